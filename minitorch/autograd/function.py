"""`Function` and the graph node it records.

An op is a subclass of ``Function`` with two static methods::

    class Mul(Function):
        @staticmethod
        def forward(ctx, a, b):          # runs on Tensors, with grad mode off
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, grad):         # d(a*b)/da = b, d(a*b)/db = a
            a, b = ctx.saved_tensors
            return grad * b, grad * a

``Mul.apply(x, y)`` runs ``forward`` and, when grad mode is on and an input
requires grad, returns a tensor whose ``grad_fn`` is a *node*: an instance of
``MulBackward0``, made for ``Mul`` by ``__init_subclass__``. The node is also
the ``ctx`` that ``forward`` filled in: it keeps the saved tensors, the edges
to the inputs' nodes (``next_functions``) and ``needs_input_grad``, which is
all ``backward`` needs. ``loss.backward()`` (see engine.py) calls
``node.apply(grads)``, which calls ``Function.backward(ctx, *grads)``.
"""

from __future__ import annotations

import inspect
import itertools
import traceback
import weakref

from . import anomaly
from .grad_mode import _enabled

_sequence = itertools.count()
_live_nodes = [0]


def live_nodes() -> int:
    """How many graph nodes exist right now (a leak check for tests and students).

    After a training step whose loss has gone out of scope this returns to the
    number it had before: the graph is freed as soon as nothing refers to it.
    """
    return _live_nodes[0]


_SECOND_BACKWARD = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)


class Node:
    """A node of the backward graph (PyTorch's ``grad_fn``).

    ``next_functions`` lists ``(node, output_nr)`` for each tensor input: where
    the gradient for that input goes next (``None`` for inputs that do not
    require grad).
    """

    _is_accumulate = False
    _forward_cls = None  # the Function class whose backward this node runs
    # Defaults live on the class so that recording a node costs little.
    _edges = ()  # one entry per forward argument: (node, output_nr) or None
    _saved = None
    _released = False
    _pre_hooks = None  # {output_nr: [hook, ...]} from Tensor.register_hook
    _retain = None  # {output_nr: weakref to the tensor} from retain_grad()
    _hooks = None  # post hooks: fn(grad_inputs, grad_outputs)
    _out_meta = ()  # (shape, numpy dtype, device) of each output
    _trace = None  # forward stack trace, recorded in anomaly mode
    _user = False  # the node of a Function written by a user (not one of minitorch's own ops)
    needs_input_grad = ()

    def __init__(self):
        self._seq = next(_sequence)  # creation order: later nodes run first
        _live_nodes[0] += 1

    def __del__(self):
        _live_nodes[0] -= 1

    # ---- what viz and users see -------------------------------------------------
    def name(self) -> str:
        return type(self).__name__

    @property
    def next_functions(self) -> tuple:
        """``(node, output_nr)`` for each tensor input, as in PyTorch (``(None, 0)``: needs no gradient).

        PyTorch's add/sub/mul/div also list a Python number operand (as ``(None, 0)``)."""
        keep_numbers = self._forward_cls is not None and self._forward_cls._numbers_are_inputs
        return tuple(e or (None, 0) for e in self._edges if e is not False or keep_numbers)

    @property
    def metadata(self) -> dict:
        if not hasattr(self, "_metadata"):
            self._metadata = {}
        return self._metadata

    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs)`` runs after this node's backward."""
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(fn)
        return _RemovableHandle(self._hooks, fn)

    def register_prehook(self, fn):
        """``fn(grad_outputs)`` runs before this node's backward (may return new grads)."""
        return self._add_pre_hook(-1, fn)

    def _add_pre_hook(self, output_nr: int, fn):
        if self._pre_hooks is None:
            self._pre_hooks = {}
        hooks = self._pre_hooks.setdefault(output_nr, [])
        hooks.append(fn)
        return _RemovableHandle(hooks, fn)

    def __repr__(self) -> str:
        return f"<{self.name()} object at {hex(id(self))}>"

    def __call__(self, *grads):
        return self.apply(grads)

    # ---- saved tensors ------------------------------------------------------------
    def save_for_backward(self, *tensors) -> None:
        """Keep ``tensors`` for ``backward`` (checked against in-place changes)."""
        if self._user:  # minitorch's own ops may also keep Python numbers here; users keep those on ctx
            for i, t in enumerate(tensors):
                if t is not None and not isinstance(t, _Tensor[0]):
                    raise TypeError(f"save_for_backward can only save variables, but argument {i} is of type "
                                    f"{type(t).__name__}")
        self._to_save = tensors

    @property
    def saved_tensors(self) -> tuple:
        """The tensors given to ``save_for_backward``; raises if one was modified in place."""
        if self._saved is None:
            if self._released:
                raise RuntimeError(_SECOND_BACKWARD)
            return getattr(self, "_to_save", ())
        out = []
        for s in self._saved:
            if type(s) is tuple:  # (tensor or number, version at save time)
                t, version = s
                if version is not None and t._version[0] != version:
                    raise _version_error(t, t._version[0], version, self)
                out.append(t)
            else:
                out.append(_unpack(self, s))
        return tuple(out)

    def _pack_saved(self, outputs) -> None:
        to_save = self.__dict__.pop("_to_save", None)
        if not to_save:
            return
        packed = []
        Tensor = _Tensor[0]
        for t in to_save:
            if not isinstance(t, Tensor):  # None, or a Python number kept as it is
                packed.append((t, None))
                continue
            for out_nr, o in enumerate(outputs):
                if o is t:
                    # An output: keep its numbers, not the tensor (which points back to
                    # this node), so that no reference cycle keeps the graph alive.
                    packed.append(_SavedOutput(t, out_nr))
                    break
            else:
                packed.append((t, t._version[0]))
        self._saved = packed

    def _release(self) -> None:
        """Free what was saved for backward (after backward, unless retain_graph)."""
        if self._saved is not None or hasattr(self, "_to_save"):
            self._saved = None
            self._released = True
            self.__dict__.pop("_to_save", None)

    def mark_non_differentiable(self, *tensors) -> None:
        self._non_differentiable = tensors

    def mark_dirty(self, *tensors) -> None:
        """Say that ``forward`` changed these inputs in place (and returns them): they join the graph here."""
        self._dirty = tensors

    def set_materialize_grads(self, value: bool) -> None:
        self._materialize = value

    def apply(self, grads):
        raise NotImplementedError


class _RemovableHandle:
    """Returned by ``register_hook``: ``handle.remove()`` takes the hook out."""

    def __init__(self, hooks: list, fn):
        self._hooks, self._fn = hooks, fn

    def remove(self) -> None:
        if self._fn in self._hooks:
            self._hooks.remove(self._fn)


class BackwardNode(Node):
    """The node recorded for one call of a ``Function``: runs its ``backward``."""

    _materialize = True

    def apply(self, grads):
        grads = self._forward_cls.backward(self, *grads)
        if not isinstance(grads, tuple):
            grads = (grads,)
        return grads


class AccumulateGrad(Node):
    """The node of a leaf tensor: adds the incoming gradient into ``variable.grad``."""

    _is_accumulate = True

    def __init__(self, variable):
        super().__init__()
        self.variable = variable
        self._out_meta = ((variable._data.shape, variable._data.dtype, variable._device),)

    @property
    def next_functions(self) -> tuple:
        return ()

    def apply(self, grads):
        raise RuntimeError("AccumulateGrad is run by the engine, not called")


def _grad_edge(t):
    """Where the gradient of tensor ``t`` goes: ``(node, output_nr)``, or None."""
    if t.grad_fn is not None:
        return (t.grad_fn, t._output_nr)
    if not t._rg:
        return None
    acc = t._acc() if t._acc is not None else None
    if acc is None:
        acc = AccumulateGrad(t)
        t._acc = weakref.ref(acc)
    return (acc, 0)


class Function:
    """Base class of differentiable operations (PyTorch's ``autograd.Function``).

    Subclasses define ``forward(ctx, *args)`` and ``backward(ctx, *grads)`` as
    static methods and are called through ``apply``. ``backward`` returns one
    gradient per ``forward`` argument (``None`` for non-tensors and for inputs
    that need none), each with the shape of that input.

    >>> class Square(Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x * x
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return 2 * x * grad        # d(x^2)/dx = 2x
    >>> y = Square.apply(minitorch.tensor(3.0, requires_grad=True))
    """

    #: Name of the recorded node; by default ``<ClassName>Backward0`` for minitorch's own ops and
    #: ``<ClassName>Backward`` for a Function you write, as in PyTorch.
    node_name: str | None = None
    #: PyTorch's add/sub/mul/div list a Python number operand in ``next_functions`` too.
    _numbers_are_inputs = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        user = not cls.__module__.startswith("minitorch.")
        name = cls.__dict__.get("node_name") or f"{cls.__name__}Backward{'' if user else '0'}"
        cls._backward_cls = type(name, (BackwardNode,), {"_forward_cls": cls, "__module__": cls.__module__,
                                                         "_user": user})
        # PyTorch's other style: forward(*args) without ctx, then setup_context(ctx, inputs, output).
        cls._uses_setup_context = cls.setup_context is not Function.setup_context

    @staticmethod
    def forward(ctx, *args):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grads):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run ``forward`` and record a node when an input requires grad."""
        if kwargs:
            args = _bind_positionally(cls, args, kwargs)
        grad_on = _enabled[0]
        record = False
        if grad_on:
            for a in args:
                if isinstance(a, _Tensor[0]) and a._rg:
                    record = True
                    break
        ctx = cls._backward_cls()
        if record:
            Tensor = _Tensor[0]
            ctx.needs_input_grad = tuple([isinstance(a, Tensor) and a._rg for a in args])
        _enabled[0] = False
        try:
            if cls._uses_setup_context:
                out = cls.forward(*args)
                cls.setup_context(ctx, args, out)
            else:
                out = cls.forward(ctx, *args)
        finally:
            _enabled[0] = grad_on
        if not record:
            return out
        return _link(ctx, args, out)


def _bind_positionally(cls, args: tuple, kwargs: dict) -> tuple:
    """As PyTorch: keyword arguments of ``apply`` become ``forward``'s positional ones (defaults filled in),
    so that every input, also one given by name, has its place in ``backward``'s results."""
    sig = inspect.signature(cls.forward)
    lead = () if cls._uses_setup_context else (None,)  # the ctx slot
    for name in kwargs:
        p = sig.parameters.get(name)
        if p is not None and p.kind == p.KEYWORD_ONLY:
            raise TypeError(f"forward() got an unexpected keyword argument '{name}'")
    bound = sig.bind(*lead, *args, **kwargs)
    bound.apply_defaults()
    return bound.args[len(lead):]


_Tensor = [None]  # set by minitorch._tensor (Function and Tensor need each other)


def _link(ctx, args, out):
    """Connect the outputs of ``forward`` to the new node ``ctx``:
    edges to the inputs' nodes, ``grad_fn`` on the outputs, saved tensors packed."""
    Tensor = _Tensor[0]
    edges = []  # per argument: (node, output_nr); None for a tensor needing no grad; False for a non-tensor
    for a in args:
        if not isinstance(a, Tensor):
            edges.append(False)
        elif a.grad_fn is not None:
            if a._base is not None and a._base.grad_fn is not a._base_fn:
                _refresh_stale_view(a, type(ctx)._forward_cls)
            edges.append((a.grad_fn, a._output_nr))
        elif a._rg:
            edges.append(_grad_edge(a))
        else:
            edges.append(None)
    ctx._edges = edges
    if isinstance(out, Tensor):
        out = _link_output(ctx, out, 0, args)
        ctx._out_meta = ((out._data.shape, out._data.dtype, out._device),)
        fixed = (out,)
    elif not isinstance(out, (tuple, list)):
        return out  # forward returned something that is not a tensor (a number, a string...): as it is
    else:
        fixed = tuple(_link_output(ctx, o, i, args) if isinstance(o, Tensor) else o for i, o in enumerate(out))
        ctx._out_meta = tuple((o._data.shape, o._data.dtype, o._device) if isinstance(o, Tensor) else None
                              for o in fixed)
        out = fixed
    if "_to_save" in ctx.__dict__:
        ctx._pack_saved(fixed)
    if anomaly._enabled[0]:
        ctx._trace = traceback.format_stack()[:-3]
    return out


def _link_output(ctx, o, i, args):
    """Make output ``i`` of ``forward`` a tensor whose ``grad_fn`` is ``ctx``."""
    if "_dirty" in ctx.__dict__ and _is_one_of(o, ctx._dirty):
        return _link_dirty(ctx, o, i)
    non_differentiable = _is_one_of(o, ctx.__dict__.get("_non_differentiable", ()))
    if o.grad_fn is not None or o._rg or _is_one_of(o, args):
        o = o._alias()  # forward returned an input (or a graph tensor): give it its own node
    if o._data.dtype.kind == "f" and not non_differentiable:
        o.grad_fn = ctx
        o._rg = True
        o._output_nr = i
    return o


def _link_dirty(ctx, o, i):
    """An input that ``forward`` changed in place (``ctx.mark_dirty``): the same tensor object now comes from
    this node, as after a built-in in-place op."""
    if o.grad_fn is None and o._rg:
        raise RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.")
    if o._base is not None and o._base._rg:
        raise RuntimeError(f"{type(ctx)._forward_cls.__name__}: mark_dirty on a view of a tensor that requires "
                           "grad is not supported by minitorch; apply the Function to the tensor itself")
    o.grad_fn, o._rg, o._output_nr = ctx, True, i
    return o


def _is_one_of(x, items) -> bool:
    for y in items:
        if x is y:
            return True
    return False


def _refresh_stale_view(a, cls) -> None:
    """``a`` is a view whose base was changed in place since: as PyTorch, give ``a`` a ``grad_fn`` that reads
    from the base's new history (or refuse clearly when its place in the base cannot be found)."""
    from ..ops.inplace import refresh_view

    if not refresh_view(a):
        _stale_view_error(cls)


def _stale_view_error(cls):
    raise RuntimeError(
        f"{cls.__name__}: an input is a view of a tensor that was later modified by an in-place "
        "operation recorded by autograd. PyTorch would rebuild the view's gradient function; "
        "minitorch does not, so it refuses rather than return a wrong gradient. Take the view "
        "again after the in-place operation, or use out-of-place operations."
    )


# Saved tensors and @once_differentiable live in their own files; imported here, where PyTorch has them.
from .once_differentiable import once_differentiable  # noqa: E402,F401
from .saved_tensors import _SavedOutput, _unpack, _version_error  # noqa: E402,F401
