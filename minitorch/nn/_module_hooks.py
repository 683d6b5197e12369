"""Module hooks: forward (pre-)hooks, full backward (pre-)hooks, and the global hooks of every module.

Calling a module (``_call_impl``, as PyTorch's) runs, in order:

1. the forward pre-hooks (global ones first), which may replace the arguments;
2. when backward hooks exist, ``BackwardHook.setup_input_hook``: the tensor
   arguments go through ``BackwardHookFunction``, an identity ``Function``,
   so that the gradient w.r.t. the module's *inputs* passes through one node;
3. ``forward``, then the forward hooks (global ones first);
4. ``setup_output_hook``: the outputs go through another identity node.

In backward the output node is reached first: its post hook records
``grad_output`` (after the backward pre-hooks may replace it); later the
input node's post hook calls ``hook(module, grad_input, grad_output)``, whose
result may replace ``grad_input``. The identity nodes are how "the gradient of
the module's inputs" exists at all, whatever ops ``forward`` is made of.
"""

from __future__ import annotations

import warnings
import weakref
from collections import OrderedDict
from typing import Callable

from .._tensor import Tensor, _zeros
from ..autograd.function import Function
from ..autograd.grad_mode import _enabled


class RemovableHandle:
    """Returned by ``register_forward_hook`` and friends: ``handle.remove()`` takes the hook out."""

    _next_id = 0

    def __init__(self, hooks_dict: dict, *, extra_dict=None):
        self._hooks_dict = hooks_dict
        self.id = RemovableHandle._next_id
        RemovableHandle._next_id += 1
        self._extra_dicts = [extra_dict] if isinstance(extra_dict, dict) else list(extra_dict or ())

    def remove(self) -> None:
        for d in [self._hooks_dict, *self._extra_dicts]:
            if isinstance(d, dict):
                d.pop(self.id, None)
            else:
                d.discard(self.id)

    def __enter__(self) -> "RemovableHandle":
        return self

    def __exit__(self, *args) -> None:
        self.remove()


# ---- the global hooks (for debugging and profiling), run before every module's own ------------
_global_backward_pre_hooks: dict = OrderedDict()
_global_backward_hooks: dict = OrderedDict()
_global_is_full_backward_hook: bool | None = None
_global_forward_pre_hooks: dict = OrderedDict()
_global_forward_hooks: dict = OrderedDict()
_global_forward_hooks_always_called: dict = OrderedDict()
_global_forward_hooks_with_kwargs: dict = OrderedDict()

_MIXED_GLOBAL = ("Cannot use both regular backward hooks and full backward hooks as a global Module hook. "
                 "Please use only one of them.")
_MIXED = ("Cannot use both regular backward hooks and full backward hooks on a single Module. "
          "Please use only one of them.")


def register_module_forward_pre_hook(hook: Callable) -> RemovableHandle:
    """``hook(module, args)`` runs before the ``forward`` of every module (before their own pre-hooks)."""
    handle = RemovableHandle(_global_forward_pre_hooks)
    _global_forward_pre_hooks[handle.id] = hook
    return handle


def register_module_forward_hook(hook: Callable, *, with_kwargs: bool = False,
                                 always_call: bool = False) -> RemovableHandle:
    """``hook(module, args, output)`` runs after the ``forward`` of every module (before their own hooks).

    >>> handle = register_module_forward_hook(lambda m, args, out: print(type(m).__name__))
    >>> handle.remove()
    """
    handle = RemovableHandle(_global_forward_hooks,
                             extra_dict=[_global_forward_hooks_always_called, _global_forward_hooks_with_kwargs])
    _global_forward_hooks[handle.id] = hook
    if with_kwargs:
        _global_forward_hooks_with_kwargs[handle.id] = True
    if always_call:
        _global_forward_hooks_always_called[handle.id] = True
    return handle


def register_module_backward_hook(hook: Callable) -> RemovableHandle:
    """Deprecated: the old-style backward hook for every module (see ``Module.register_backward_hook``)."""
    global _global_is_full_backward_hook
    if _global_is_full_backward_hook is True:
        raise RuntimeError(_MIXED_GLOBAL)
    _global_is_full_backward_hook = False
    handle = RemovableHandle(_global_backward_hooks)
    _global_backward_hooks[handle.id] = hook
    return handle


def register_module_full_backward_pre_hook(hook: Callable) -> RemovableHandle:
    """``hook(module, grad_output)`` for every module, before their own backward pre-hooks."""
    handle = RemovableHandle(_global_backward_pre_hooks)
    _global_backward_pre_hooks[handle.id] = hook
    return handle


def register_module_full_backward_hook(hook: Callable) -> RemovableHandle:
    """``hook(module, grad_input, grad_output)`` for every module, before their own backward hooks."""
    global _global_is_full_backward_hook
    if _global_is_full_backward_hook is False:
        raise RuntimeError(_MIXED_GLOBAL)
    _global_is_full_backward_hook = True
    handle = RemovableHandle(_global_backward_hooks)
    _global_backward_hooks[handle.id] = hook
    return handle


# ---- the identity node and the bookkeeping of one call ------------------------------------------
class BackwardHookFunction(Function):
    """Identity on its tensor arguments, recorded as one node (d(x)/dx = 1): the place where the
    gradients w.r.t. a module's inputs (or outputs) are all available together."""

    node_name = "BackwardHookFunctionBackward"

    @staticmethod
    def forward(ctx, *args):
        outs = tuple(a._alias() for a in args)  # new tensor objects sharing data and version counter
        ctx.mark_non_differentiable(*[o for a, o in zip(args, outs) if not a.requires_grad])
        ctx.set_materialize_grads(False)  # the hooks see None for unused outputs, as in PyTorch
        return outs

    @staticmethod
    def backward(ctx, *grads):
        return tuple(g if g is not None else _zeros(*meta) for g, meta in zip(grads, ctx._out_meta))


class _WrappedHook:
    """An old-style backward hook on a node: calls ``hook(module, grad_input, grad_output)``."""

    def __init__(self, hook: Callable, module=None):
        self.hook = hook
        self.__name__ = getattr(hook, "__name__", type(hook).__name__)
        self.module = weakref.ref(module) if module is not None else None

    def __call__(self, *args):
        if self.module is None:
            return self.hook(*args)
        module = self.module()
        if module is None:
            raise RuntimeError("You are trying to call the hook of a dead Module!")
        return self.hook(module, *args)


class BackwardHook:
    """The state of one module call with full backward hooks (PyTorch's ``torch.utils.hooks.BackwardHook``)."""

    def __init__(self, module, user_hooks: list, user_pre_hooks: list):
        self.user_hooks, self.user_pre_hooks, self.module = user_hooks, user_pre_hooks, module
        self.grad_outputs = None
        self.n_outputs = self.n_inputs = -1
        self.output_tensors_index = self.input_tensors_index = None
        self._watched = ()  # (output index, tensor, version) of the inputs given to forward

    @staticmethod
    def _pack_with_none(indices, values, size) -> tuple:
        res = [None] * size
        for idx, val in zip(indices, values):
            res[idx] = val
        return tuple(res)

    def _set_user_hook(self, grad_fn) -> None:
        def hook(grad_input, _):
            if self.grad_outputs is None:  # the gradient reached the inputs without passing the outputs
                return None
            res = self._pack_with_none(self.input_tensors_index, grad_input, self.n_inputs)
            for user_hook in self.user_hooks:
                out = user_hook(self.module, res, self.grad_outputs)
                if out is None:
                    continue
                if len(out) != len(res):
                    raise RuntimeError("Backward hook returned an invalid number of grad_input, "
                                       f"got {len(out)}, but expected {len(res)}")
                res = out
            self.grad_outputs = None
            return tuple(res[i] for i in self.input_tensors_index)

        grad_fn.register_hook(hook)

    def _apply_on_tensors(self, fn, args):
        tensors_idx = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        tensors = [args[i] for i in tensors_idx]
        if not (any(t.requires_grad for t in tensors) and _enabled[0]):
            return args, None
        new_tensors = BackwardHookFunction.apply(*tensors)
        grad_fns = [t.grad_fn for t in new_tensors
                    if t.grad_fn is not None and t.grad_fn.name() == "BackwardHookFunctionBackward"]
        fn(grad_fns[0])
        arg_list = list(args)
        for idx, val in zip(tensors_idx, new_tensors):
            arg_list[idx] = val
        out = tuple(arg_list) if type(args) is tuple else type(args)(*arg_list)
        return out, tensors_idx

    def setup_input_hook(self, args):
        res, self.input_tensors_index = self._apply_on_tensors(self._set_user_hook, args)
        self.n_inputs = len(args)
        if self.input_tensors_index is not None:
            self._watched = [(k, res[i], res[i]._version[0]) for k, i in enumerate(self.input_tensors_index)]
        return res

    def check_inputs_unmodified(self) -> None:
        """PyTorch forbids changing the (viewed) inputs in place under backward hooks; minitorch checks
        their version counters once ``forward`` has returned."""
        for k, t, version in self._watched:
            if t._version[0] != version:
                raise RuntimeError(
                    f"Output {k} of BackwardHookFunction is a view and is being modified inplace. This view was "
                    "created inside a custom Function (or because an input was returned as-is) and the autograd "
                    "logic to handle view+inplace would override the custom backward associated with the custom "
                    "Function, leading to incorrect gradients. This behavior is forbidden. You can fix this by "
                    "cloning the output of the custom Function.")

    def _output_hook(self, grad_fn) -> None:
        def hook(_, grad_output):
            self.grad_outputs = self._pack_with_none(self.output_tensors_index, grad_output, self.n_outputs)
            for user_pre_hook in self.user_pre_hooks:
                new = user_pre_hook(self.module, self.grad_outputs)
                if new is None:
                    continue
                if len(new) != len(self.grad_outputs):
                    raise RuntimeError("Backward pre hook returned an invalid number of grad_output, "
                                       f"got {len(new)}, but expected {len(self.grad_outputs)}")
                self.grad_outputs = new
            local_grad_outputs = self.grad_outputs
            if self.input_tensors_index is None:  # no input requires grad: the hooks fire here
                warnings.warn("Full backward hook is firing when gradients are computed with respect to module "
                              "outputs since no inputs require gradients. See https://docs.pytorch.org/docs/main/"
                              "generated/torch.nn.Module.html#torch.nn.Module.register_full_backward_hook for more "
                              "details.", stacklevel=6)
                grad_inputs = (None,) * self.n_inputs
                for user_hook in self.user_hooks:
                    res = user_hook(self.module, grad_inputs, self.grad_outputs)
                    if res is not None and not (isinstance(res, tuple) and all(el is None for el in res)):
                        raise RuntimeError("Backward hook for Modules where no input requires gradient should "
                                           "always return None or None for all gradients.")
                self.grad_outputs = None
            return tuple(local_grad_outputs[i] for i in self.output_tensors_index)

        grad_fn.register_hook(hook)

    def setup_output_hook(self, result):
        is_tuple = isinstance(result, tuple)
        args = result if is_tuple else (result,)
        res, self.output_tensors_index = self._apply_on_tensors(self._output_hook, args)
        self.n_outputs = len(args)
        return res if is_tuple else res[0]


# ---- calling a module ---------------------------------------------------------------------------
def _call_impl(module, args: tuple, kwargs: dict):
    """Everything ``module(*args, **kwargs)`` does when some hook is registered (PyTorch's ``_call_impl``)."""
    result = None
    called_always = set()
    try:
        full_hooks, old_hooks = _backward_hooks_of(module)
        pre_hooks = [*_global_backward_pre_hooks.values(), *module._backward_pre_hooks.values()]
        args, kwargs = _run_forward_pre_hooks(module, args, kwargs)
        bw_hook = None
        if full_hooks or pre_hooks:
            bw_hook = BackwardHook(module, full_hooks, pre_hooks)
            args = bw_hook.setup_input_hook(args)
        result = module.forward(*args, **kwargs)
        if bw_hook:
            bw_hook.check_inputs_unmodified()
        for hook_id, hook in [*_global_forward_hooks.items(), *module._forward_hooks.items()]:
            if hook_id in module._forward_hooks_always_called or hook_id in _global_forward_hooks_always_called:
                called_always.add(hook_id)
            if hook_id in module._forward_hooks_with_kwargs or hook_id in _global_forward_hooks_with_kwargs:
                hook_result = hook(module, args, kwargs, result)
            else:
                hook_result = hook(module, args, result)
            if hook_result is not None:
                result = hook_result
        if bw_hook:
            if not isinstance(result, (Tensor, tuple)):
                warnings.warn("For backward hooks to be called, module output should be a Tensor or a tuple of "
                              f"Tensors but received {type(result)}", stacklevel=3)
            result = bw_hook.setup_output_hook(result)
        if old_hooks:
            _register_old_backward_hooks(module, old_hooks, args, result)
        return result
    except Exception:
        _run_always_called_hooks(module, args, kwargs, result, called_always)
        raise


def _run_forward_pre_hooks(module, args: tuple, kwargs: dict) -> tuple:
    for hook_id, hook in [*_global_forward_pre_hooks.items(), *module._forward_pre_hooks.items()]:
        if hook_id in module._forward_pre_hooks_with_kwargs:
            result = hook(module, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError("forward pre-hook must return None or a tuple of (new_args, new_kwargs), "
                                       f"but got {result}.")
                args, kwargs = result
        else:
            result = hook(module, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
    return args, kwargs


def _run_always_called_hooks(module, args, kwargs, result, called: set) -> None:
    """``forward`` (or a hook) raised: the ``always_call=True`` forward hooks not run yet still run."""
    for hook_id, hook in _global_forward_hooks.items():
        if hook_id in _global_forward_hooks_always_called and hook_id not in called:
            try:
                hook_result = hook(module, args, result)
                if hook_result is not None:
                    result = hook_result
            except Exception as e:  # noqa: BLE001 - the first error is the one to raise
                warnings.warn("global module forward hook with ``always_call=True`` raised an exception that was "
                              f"silenced as another error was raised in forward: {e}", stacklevel=3)
    for hook_id, hook in module._forward_hooks.items():
        if hook_id in module._forward_hooks_always_called and hook_id not in called:
            try:
                if hook_id in module._forward_hooks_with_kwargs:
                    hook_result = hook(module, args, kwargs, result)
                else:
                    hook_result = hook(module, args, result)
                if hook_result is not None:
                    result = hook_result
            except Exception as e:  # noqa: BLE001
                warnings.warn("module forward hook with ``always_call=True`` raised an exception that was "
                              f"silenced as another error was raised in forward: {e}", stacklevel=3)


def _backward_hooks_of(module) -> tuple[list, list]:
    """(full backward hooks, old-style backward hooks) of ``module``, the global ones first."""
    full, old = [], []
    for is_full, hooks in ((_global_is_full_backward_hook, _global_backward_hooks),
                           (module._is_full_backward_hook, module._backward_hooks)):
        if is_full is True:
            full += hooks.values()
        elif is_full is False:
            old += hooks.values()
    return full, old


def _register_old_backward_hooks(module, hooks: list, args, result) -> None:
    """Old-style hooks go on the node that made the (first) output: they see *that node's* gradients."""
    var = result
    while not isinstance(var, Tensor):
        var = next(v for v in var.values() if isinstance(v, Tensor)) if isinstance(var, dict) else var[0]
    grad_fn = var.grad_fn
    if grad_fn is not None:
        for hook in hooks:
            grad_fn.register_hook(_WrappedHook(hook, module))
        _maybe_warn_non_full_backward_hook(args, result, grad_fn)


def _warn_future(msg: str) -> None:
    warnings.warn(msg, FutureWarning, stacklevel=4)


def _maybe_warn_non_full_backward_hook(inputs, result, grad_fn) -> None:
    if isinstance(result, Tensor):
        result = (result,)
    elif not (isinstance(result, tuple) and all(isinstance(r, Tensor) for r in result)):
        return _warn_future("Using non-full backward hooks on a Module that does not return a single Tensor or a "
                            "tuple of Tensors is deprecated and will be removed in future versions. This hook will be "
                            "missing some of the grad_output. Please use register_full_backward_hook to get the "
                            "documented behavior.")
    if isinstance(inputs, Tensor):
        inputs = (inputs,)
    elif not (isinstance(inputs, tuple) and all(isinstance(i, Tensor) for i in inputs)):
        return _warn_future("Using non-full backward hooks on a Module that does not take as input a single Tensor "
                            "or a tuple of Tensors is deprecated and will be removed in future versions. This hook "
                            "will be missing some of the grad_input. Please use register_full_backward_hook to get "
                            "the documented behavior.")
    out_grad_fn = {r.grad_fn for r in result if r.grad_fn is not None}
    if len(out_grad_fn) == 0 or (len(out_grad_fn) == 1 and grad_fn not in out_grad_fn):
        _warn_future("Using a non-full backward hook when outputs are nested in python data structure is deprecated "
                     "and will be removed in future versions. This hook will be missing some grad_output.")
    elif len(out_grad_fn) > 1:
        _warn_future("Using a non-full backward hook when outputs are generated by different autograd Nodes is "
                     "deprecated and will be removed in future versions. This hook will be missing some grad_output. "
                     "Please use register_full_backward_hook to get the documented behavior.")
    else:
        inputs_grad_fn = {i.grad_fn for i in inputs if i.grad_fn is not None}
        next_functions = {n[0] for n in grad_fn.next_functions}
        if inputs_grad_fn != next_functions:
            _warn_future("Using a non-full backward hook when the forward contains multiple autograd Nodes is "
                         "deprecated and will be removed in future versions. This hook will be missing some "
                         "grad_input. Please use register_full_backward_hook to get the documented behavior.")
    return None


def _has_hooks(module) -> bool:
    return bool(module._backward_hooks or module._backward_pre_hooks or module._forward_hooks
                or module._forward_pre_hooks or _global_backward_pre_hooks or _global_backward_hooks
                or _global_forward_hooks or _global_forward_pre_hooks)


class _HooksMixin:
    """Calling a module and registering its hooks, mixed into ``Module``."""

    _is_full_backward_hook: bool | None = None

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        for name in ("_backward_hooks", "_backward_pre_hooks"):  # pickles from before backward hooks existed
            self.__dict__.setdefault(name, OrderedDict())

    def __call__(self, *args, **kwargs):
        if not _has_hooks(self):
            return self.forward(*args, **kwargs)
        return _call_impl(self, args, kwargs)

    def register_forward_pre_hook(self, hook: Callable, *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """``hook(module, args)`` runs before ``forward``; it may return new args.

        With ``with_kwargs=True``: ``hook(module, args, kwargs)``, returning None or ``(args, kwargs)``."""
        return self._add_hook(self._forward_pre_hooks, self._forward_pre_hooks_with_kwargs, hook, prepend, with_kwargs)

    def register_forward_hook(self, hook: Callable, *, prepend: bool = False, with_kwargs: bool = False,
                              always_call: bool = False) -> RemovableHandle:
        """``hook(module, args, output)`` runs after ``forward``; it may return a new output.

        >>> handle = layer.register_forward_hook(lambda m, args, out: print(out.shape))
        >>> handle.remove()
        """
        handle = self._add_hook(self._forward_hooks, self._forward_hooks_with_kwargs, hook, prepend, with_kwargs)
        handle._extra_dicts.append(self._forward_hooks_always_called)
        if always_call:
            self._forward_hooks_always_called.add(handle.id)
        return handle

    @staticmethod
    def _add_hook(hooks: OrderedDict, kw_set: set, hook, prepend: bool, with_kwargs: bool) -> RemovableHandle:
        handle = RemovableHandle(hooks, extra_dict=[kw_set])
        hooks[handle.id] = hook
        if with_kwargs:
            kw_set.add(handle.id)
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        return handle

    def register_full_backward_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """``hook(module, grad_output)`` runs when the gradients w.r.t. the outputs are known; it may return a
        new ``grad_output`` (a tuple, ``None`` for non-tensor outputs)."""
        handle = RemovableHandle(self._backward_pre_hooks)
        self._backward_pre_hooks[handle.id] = hook
        if prepend:
            self._backward_pre_hooks.move_to_end(handle.id, last=False)
        return handle

    def register_backward_hook(self, hook: Callable) -> RemovableHandle:
        """Deprecated (use ``register_full_backward_hook``): ``hook(module, grad_input, grad_output)`` on the
        node that made the output, so ``grad_input`` is that node's, not the module's."""
        if self._is_full_backward_hook is True:
            raise RuntimeError(_MIXED)
        self._is_full_backward_hook = False
        handle = RemovableHandle(self._backward_hooks)
        self._backward_hooks[handle.id] = hook
        return handle

    def register_full_backward_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """``hook(module, grad_input, grad_output)`` runs when the gradients w.r.t. the inputs are known;
        it may return a new ``grad_input``.

        >>> layer.register_full_backward_hook(lambda m, gin, gout: print(gout[0].shape))
        """
        if self._is_full_backward_hook is False:
            raise RuntimeError(_MIXED)
        self._is_full_backward_hook = True
        handle = RemovableHandle(self._backward_hooks)
        self._backward_hooks[handle.id] = hook
        if prepend:
            self._backward_hooks.move_to_end(handle.id, last=False)
        return handle
