"""The backward engine: runs the recorded graph from the output to the leaves.

``run_backward`` is the whole algorithm, in four steps a student can trace:

1. **Discover** every node reachable from the roots and count, for each, how
   many gradient contributions it will receive (its *dependencies*). The walk
   uses an explicit stack, never recursion, so a chain of 100,000 ops works.
2. **Seed** the roots' input buffers with the starting gradients.
3. **Run** nodes from a *ready queue*: a node is ready once all its
   dependencies have delivered. Among ready nodes the most recently created
   runs first (a heap on the creation number), which is PyTorch's order.
   A node's ``backward`` gets the summed gradient of each of its outputs and
   returns one gradient per input; each is added to the buffer of the node
   that produced that input (chain rule: contributions along different paths
   add up).
4. **Accumulate** at the leaves: ``AccumulateGrad`` adds into ``.grad``.

Saved tensors are freed as each node finishes unless ``retain_graph``.
"""

from __future__ import annotations

import heapq

from . import anomaly
from .function import _grad_edge
from .grad_mode import _enabled

# Callables fn(node, grads_in, grads_out) told about each node as it runs
# (minitorch.viz's backward replay listens here).
_observers: list = []


def _discover(root_nodes):
    """Count the incoming edges of every node reachable from ``root_nodes``."""
    deps: dict = {}
    stack = list({id(n): n for n in root_nodes}.values())  # several roots may share a node
    seen = set(map(id, stack))
    while stack:
        node = stack.pop()
        for edge in node._edges:
            if not edge:
                continue
            # BEGIN SOLUTION 1.1
            # HINT: each edge (child, nr) is one gradient the child will receive: deps[child] += 1; push each child
            # HINT: not seen before onto the stack
            child = edge[0]
            deps[child] = deps.get(child, 0) + 1
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
            # END SOLUTION
    return deps


def _needed(root_nodes, targets) -> tuple[set, set]:
    """For ``autograd.grad``: which nodes the gradients must reach, and which must run.

    A node is *needed* when it lies on a path from a root to one of ``targets``;
    it must *run* (call its backward) only when one of its inputs is needed: a
    target's own backward is skipped unless another target lies below it.
    """
    order, stack, seen = [], [(n, False) for n in root_nodes], set()
    while stack:  # iterative post-order
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for edge in node._edges:
            if edge and id(edge[0]) not in seen:
                stack.append((edge[0], False))
    needed, runs = set(), set()
    for node in order:  # children come before parents in post-order
        if any(e and id(e[0]) in needed for e in node._edges):
            runs.add(id(node))
            needed.add(id(node))
        elif id(node) in targets:
            needed.add(id(node))
    return needed, runs


def _add(a, b):
    """Sum two gradient contributions (never in place: ``a`` may be someone else's)."""
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def _root_array(g):
    arr = g._data
    return id(arr if arr.base is None else arr.base)


def run_backward(tensors, grad_tensors, retain_graph=False, create_graph=False, inputs=None, allow_unused=False):
    """Backpropagate from ``tensors`` (with upstream ``grad_tensors``).

    With ``inputs=None`` gradients accumulate into the leaves' ``.grad``.
    Otherwise (``autograd.grad``) the gradients w.r.t. ``inputs`` are returned
    and no ``.grad`` is touched.
    """
    roots = []
    for i, t in enumerate(tensors):
        edge = _grad_edge(t)
        if edge is None:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        roots.append(edge)
    root_nodes = [e[0] for e in roots]

    deps = _discover(root_nodes)
    for node, _ in roots:  # the starting gradients count as deliveries too
        deps[node] = deps.get(node, 0) + 1

    captures = None
    needed = runs = None
    if inputs is not None:
        captures = {}
        for k, t in enumerate(inputs):
            edge = _grad_edge(t)
            if edge is None:
                raise RuntimeError("One of the differentiated Tensors does not require grad")
            captures.setdefault(id(edge[0]), []).append((k, edge[1]))
        needed, runs = _needed(root_nodes, captures)
        results = [None] * len(inputs)

    buffers: dict = {}
    ready: list = []
    prev_mode = _enabled[0]
    _enabled[0] = create_graph
    try:
        for (node, nr), g in zip(roots, grad_tensors):
            _deliver(node, nr, g, buffers, deps, ready)
        while ready:
            # BEGIN SOLUTION 1.3
            # HINT: pop the ready node (heapq.heappop gives the smallest -seq: the most recently created node) and
            # HINT: take its summed output gradients out of buffers (buffers.pop(id(node)))
            _, _, node = heapq.heappop(ready)
            grads = buffers.pop(id(node))
            # END SOLUTION
            # autograd.grad: a node that also runs gives its inputs' gradient before its tensor hooks, one
            # that is only captured after them (PyTorch's order).
            runs_too = runs is not None and id(node) in runs
            if runs_too:
                _capture(captures, node, grads, results)
            hooked = node._pre_hooks or node._retain or (node._is_accumulate and node.variable._hooks)
            if hooked:
                grads = _run_pre_hooks(node, grads, create_graph)
            if captures is not None and not runs_too:
                _capture(captures, node, grads, results)
                if node._is_accumulate:
                    continue
            if node._is_accumulate:
                _accumulate_leaf(node.variable, grads[0], create_graph, bool(hooked))
                for obs in _observers:
                    obs(node, grads, ())
                continue
            if runs is not None and id(node) not in runs:
                continue
            if anomaly._enabled[0]:  # on an error, show where the node was created (then re-raise)
                outs = anomaly.traced(node, _call, node, grads)
            else:
                outs = _call(node, grads)
            if not retain_graph:
                node._release()
            for obs in _observers:
                obs(node, grads, outs)
            _send(node, outs, buffers, deps, ready, needed)
    finally:
        _enabled[0] = prev_mode
    if captures is None:
        return None
    for k, r in enumerate(results):
        if r is None and not allow_unused:
            raise RuntimeError(
                f"The differentiated Tensor at index {k} appears to not have been used in the graph. "
                "Set allow_unused=True if this is the desired behavior."
            )
    return tuple(results)


def _capture(captures, node, grads, results) -> None:
    """autograd.grad: keep the gradients of the requested inputs that ``node`` produced."""
    for k, nr in captures.get(id(node), ()):
        results[k] = grads[nr]


def _deliver(node, nr, g, buffers, deps, ready):
    """Add gradient ``g`` for output ``nr`` of ``node``; queue the node once complete."""
    # BEGIN SOLUTION 1.2
    # HINT: buffers[id(node)] is a list with one slot per output: add g into slot nr (_add), then deps[node] -= 1; at
    # HINT: 0 push (-node._seq, id(node), node) onto the ready heap
    buf = buffers.get(id(node))
    if buf is None:
        buf = buffers[id(node)] = [None] * max(1, len(node._out_meta))
    buf[nr] = _add(buf[nr], g)
    deps[node] -= 1
    if deps[node] == 0:
        heapq.heappush(ready, (-node._seq, id(node), node))
    # END SOLUTION


def _run_pre_hooks(node, grads, create_graph):
    """Tensor hooks (``register_hook``) and ``retain_grad`` see the summed gradient."""
    hooks = node.variable._hooks if node._is_accumulate else node._pre_hooks
    if hooks:
        grads = list(grads)
        for nr, fns in (enumerate([hooks]) if node._is_accumulate else hooks.items()):
            if nr == -1:  # node-level pre-hooks get all grads
                for fn in fns:
                    r = fn(tuple(grads))
                    if r is not None:
                        if not isinstance(r, tuple):
                            raise TypeError(f"expected tuple, but hook returned '{type(r).__name__}'")
                        grads = list(r)
                continue
            for fn in fns:
                if grads[nr] is None:
                    continue
                r = fn(grads[nr])
                if r is not None:
                    grads[nr] = _check_hook_result(fn, grads[nr], r)
    if node._retain:
        for nr, ref in node._retain.items():
            t = ref()
            g = grads[nr]
            if t is None or g is None:
                continue
            g = g if create_graph else g.detach()
            t._grad = g.clone() if t._grad is None else t._grad + g
    return grads


def _check_hook_result(fn, grad, new):
    """A tensor hook may replace the gradient, but not change its shape or dtype (PyTorch's checks)."""
    from .._tensor import Tensor

    if not isinstance(new, Tensor):
        raise TypeError(f"expected Variable, but hook returned '{type(new).__name__}'")
    name = getattr(fn, "__name__", type(fn).__name__)
    if new.shape != grad.shape:
        raise RuntimeError(f"hook '{name}' has changed the size of value")
    if new.dtype is not grad.dtype:
        raise RuntimeError(f"hook '{name}' has changed the type of value (was {grad.type()} got {new.type()})")
    return new


def _call(node, grads):
    """Run one node's backward on its summed output gradients, then PyTorch's checks of what it returned,
    then the node's post hooks."""
    if node._materialize and _has_none(grads):
        from .._tensor import _zeros

        grads = [g if g is not None else _zeros(*meta) for g, meta in zip(grads, node._out_meta)]
    outs = node.apply(tuple(grads))
    n_in = len(node._edges)
    if len(outs) != n_in:
        outs = _count_checked(node, outs, n_in)
    if anomaly._enabled[0]:
        anomaly.check_grads(node, outs)
    if node._hooks:  # post hooks fn(grad_inputs, grad_outputs) may replace grad_inputs
        for fn in node._hooks:
            r = fn(outs, tuple(grads))
            if r is not None:
                outs = _check_post_hook_result(fn, outs, r)
    return outs


def _check_post_hook_result(fn, outs, new) -> tuple:
    new = tuple(new)
    if len(new) != len(outs):
        name = getattr(fn, "__name__", type(fn).__name__)
        raise RuntimeError(f"hook '{name}' has returned an incorrect number of values (got {len(new)}, but expected "
                           f"{len(outs)})")
    return new


def _count_checked(node, outs, n_in) -> tuple:
    """One gradient per forward argument; extra trailing Nones are allowed (and dropped), as in PyTorch."""
    if len(outs) > n_in and not any(g is not None for g in outs[n_in:]):
        return outs[:n_in]
    raise RuntimeError(
        f"function {node.name()} returned an incorrect number of gradients (expected {n_in}, got {len(outs)})"
    )


def _has_none(items) -> bool:
    for g in items:
        if g is None:
            return True
    return False


def _send(node, outs, buffers, deps, ready, needed):
    """Pass each input gradient along its edge (the chain rule's sum happens in the buffers)."""
    edges = node._edges
    seen_arrays = set() if len(edges) > 1 else None
    for i in range(len(edges)):
        edge = edges[i]
        if not edge:  # an argument that is not a tensor, or needs no gradient
            if edge is False and outs[i] is not None:
                raise RuntimeError(f"function {node.name()} returned a gradient different than None at position "
                                   f"{i + 1}, but the corresponding forward input was not a Variable")
            continue
        child, nr = edge
        if needed is not None and id(child) not in needed:
            continue
        g = outs[i]
        if g is None:
            _count_down(child, buffers, deps, ready, needed)
            continue
        meta = child._out_meta[nr]
        try:
            data = g._data
        except AttributeError:
            raise RuntimeError(f"expected Variable or None (got {type(g).__name__})") from None
        if data.shape != meta[0] or data.dtype != meta[1] or g._device is not meta[2]:
            g = _validate(node, i, g, meta)
        if seen_arrays is not None:  # two inputs must never share one gradient array
            key = _root_array(g)
            if key in seen_arrays:
                g = g.clone()
            seen_arrays.add(key)
        # BEGIN SOLUTION 1.2
        # HINT: as _deliver, for the child: add g into buffers[id(child)][nr] (a new list of len(child._out_meta)
        # HINT: slots the first time), deps[child] -= 1, and push (-child._seq, id(child), child) once it reaches 0
        # _deliver, inlined: add into the child's buffer, queue it once complete.
        buf = buffers.get(id(child))
        if buf is None:
            buf = buffers[id(child)] = [None] * len(child._out_meta)
            buf[nr] = g
        else:
            buf[nr] = g if buf[nr] is None else buf[nr] + g
        left = deps[child] - 1
        deps[child] = left
        if left == 0:
            heapq.heappush(ready, (-child._seq, id(child), child))
        # END SOLUTION


def _count_down(child, buffers, deps, ready, needed):
    deps[child] -= 1
    if deps[child] == 0:
        if id(child) in buffers:
            heapq.heappush(ready, (-child._seq, id(child), child))
        else:
            _skip(child, buffers, deps, ready, needed)


def _skip(node, buffers, deps, ready, needed):
    """A node that received no gradient at all: release its dependents' counts."""
    stack = [node]
    while stack:
        n = stack.pop()
        for edge in n._edges:
            if not edge:
                continue
            child = edge[0]
            if needed is not None and id(child) not in needed:
                continue
            deps[child] -= 1
            if deps[child] == 0:
                if id(child) in buffers:
                    heapq.heappush(ready, (-child._seq, id(child), child))
                else:
                    stack.append(child)


def _validate(node, i, g, meta):
    """PyTorch's validate_outputs: a gradient must have its input's shape, dtype and device."""
    shape, dtype, device = meta
    data = g._data
    if data.shape != shape:
        if not _expandable(shape, g.shape):
            raise RuntimeError(
                f"Function {node.name()} returned an invalid gradient at index {i} - got "
                f"{list(g.shape)} but expected shape compatible with {list(shape)}"
            )
        g = g.sum_to_size(shape)
    if g._data.dtype != dtype:
        from .._dtype import from_numpy_dtype

        g = g.to(from_numpy_dtype(dtype))
    if g._device != device:  # e.g. the gradient of a CPU scalar that was used with a GPU tensor
        g = g.to(device)
    return g


def _expandable(small, big) -> bool:
    if len(small) > len(big):
        return False
    for s, b in zip(reversed(small), reversed(big)):
        if s != b and s != 1:
            return False
    return True


def _accumulate_leaf(variable, g, create_graph, shared=False):
    """AccumulateGrad: add ``g`` into ``variable.grad``; a first gradient must own its memory.

    The first gradient becomes ``.grad`` itself, and later ones may be added
    into it in place. So it must not be a read-only broadcast view (the
    gradient of ``x.sum()`` is ``ones`` expanded from one number), nor a tensor
    that a hook kept or returned (``shared``): PyTorch copies such a gradient,
    laid out like the leaf, and takes it over only when nobody else holds it.
    """
    if variable._grad is None and _needs_copy(variable, g, shared):
        if create_graph:
            g = g.clone()  # a recorded copy: .grad stays differentiable
        else:
            from .._tensor import _wrap

            copy = variable._device.xp.empty_like(variable._data)  # the leaf's dtype and layout
            copy[...] = g._data
            g = _wrap(copy, variable._device)
    _accumulate(variable, g, create_graph)


def _needs_copy(variable, g, shared) -> bool:
    data = g._data
    return shared or data.strides != variable._data.strides or not getattr(data.flags, "writeable", True)


def _accumulate(variable, g, create_graph):
    """``variable.grad += g``, out of place the first time (PyTorch's AccumulateGrad)."""
    # BEGIN SOLUTION 1.4
    # HINT: first gradient: .grad = g (g.detach() unless create_graph); later ones: .grad = .grad + g out of place
    # HINT: when create_graph or grad mode is on, else add in place into ._grad._data and bump ._grad._version[0]
    if variable._grad is None:
        variable._grad = g if create_graph else g.detach()
    elif create_graph or _enabled[0]:
        variable._grad = variable._grad + g
    else:
        variable._grad._data += g._data
        variable._grad._version[0] += 1
    # END SOLUTION
