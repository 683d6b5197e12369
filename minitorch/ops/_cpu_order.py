"""Which of several equal elements PyTorch's CPU kernels pick: the C++ algorithms they run, step by step.

Sorting and selection give the same *values* whatever the algorithm, but when elements tie, the *indices*
(and so where the gradient goes) depend on the algorithm. PyTorch's CPU kernels use the GNU C++ library's
``std::sort`` (introsort; sort with ``stable=False``, mode), ``std::nth_element`` and ``std::partial_sort``
(topk), and Sedgewick's quickselect (kthvalue). This module replays them on one row at a time, in Python.
sorting.py calls it only for rows that have ties: without ties every algorithm gives the same answer, and
the vectorised NumPy path is used instead.

A row is a list of ``(key, index)`` pairs; ``lt(p, q)`` is the kernel's comparison of two pairs.
"""

from __future__ import annotations

import numpy as np

_THRESHOLD = 16  # libstdc++: ranges this short are left to insertion sort


def tied_rows(xp, s):
    """Rows (of values ``s`` sorted along the last axis) with two equal elements (NaNs count as equal)."""
    same = s[..., 1:] == s[..., :-1]
    if s.dtype.kind == "f":
        same |= xp.isnan(s[..., 1:]) & xp.isnan(s[..., :-1])
    return same.any(axis=-1)


def rank_keys(row) -> list:
    """Each element's rank among the distinct values (NaN the largest), for replaying the C++ comparisons."""
    return np.unique(row, return_inverse=True)[1].reshape(-1).tolist()


def replay(xp, x, idx, rows, fn):
    """On the CPU, overwrite ``idx[r]`` with ``fn(x[r])`` for each row ``r`` flagged by ``rows()``."""
    if xp is not np:
        return idx  # CuPy: PyTorch's CUDA kernels order ties their own way; keep the stable order
    idx, flags = np.array(idx), rows()
    for r in np.ndindex(flags.shape):
        if flags[r]:
            idx[r] = fn(x[r])
    return idx


def _key_lt(p, q) -> bool:
    return p[0] < q[0]


def std_sort(a: list, lt=_key_lt) -> None:
    """``std::sort(a.begin(), a.end(), lt)``: introsort, then one insertion sort pass."""
    n = len(a)
    if n > 1:
        _introsort_loop(a, 0, n, 2 * (n.bit_length() - 1), lt)
        _final_insertion_sort(a, 0, n, lt)


def std_nth_element(a: list, nth: int, lt=_key_lt) -> None:
    """``std::nth_element``: a[nth] is what a full sort would put there; smaller ones before it."""
    n = len(a)
    if n == 0 or nth == n:
        return
    first, last, depth = 0, n, 2 * (n.bit_length() - 1)
    while last - first > 3:
        if depth == 0:
            _heap_select(a, first, nth + 1, last, lt)
            a[first], a[nth] = a[nth], a[first]
            return
        depth -= 1
        cut = _partition_pivot(a, first, last, lt)
        if cut <= nth:
            first = cut
        else:
            last = cut
    _insertion_sort(a, first, last, lt)


def std_partial_sort(a: list, middle: int, lt=_key_lt) -> None:
    """``std::partial_sort``: the ``middle`` smallest, sorted, first (a heap select, then a heap sort)."""
    _heap_select(a, 0, middle, len(a), lt)
    _sort_heap(a, 0, middle, lt)


def quick_select(a: list, k: int, gt) -> None:
    """PyTorch's ``quick_select_template`` (Sedgewick 1978) for kthvalue: a[k] ends up in sorted position."""
    L, R = 0, len(a) - 1
    while R > L:
        if R == L + 1:
            if gt(a[L], a[R]):
                a[L], a[R] = a[R], a[L]
            return
        P = (L + R) >> 1
        a[P], a[L + 1] = a[L + 1], a[P]
        if gt(a[L + 1], a[R]):
            a[L + 1], a[R] = a[R], a[L + 1]
        if gt(a[L], a[R]):
            a[L], a[R] = a[R], a[L]
        if gt(a[L + 1], a[L]):
            a[L + 1], a[L] = a[L], a[L + 1]
        i, j, piv = L + 1, R, a[L]
        while True:
            i += 1
            while gt(piv, a[i]):
                i += 1
            j -= 1
            while gt(a[j], piv):
                j -= 1
            if j < i:
                break
            a[i], a[j] = a[j], a[i]
        a[L], a[j] = a[j], a[L]
        if j <= k:
            L = i
        if j >= k:
            R = j - 1


# ---- the pieces of libstdc++'s algorithms (bits/stl_algo.h, bits/stl_heap.h) ------------------------
def _introsort_loop(a, first, last, depth, lt):
    while last - first > _THRESHOLD:
        if depth == 0:  # too many bad pivots: heap sort this range
            _heap_select(a, first, last, last, lt)
            _sort_heap(a, first, last, lt)
            return
        depth -= 1
        cut = _partition_pivot(a, first, last, lt)
        _introsort_loop(a, cut, last, depth, lt)
        last = cut


def _partition_pivot(a, first, last, lt):
    """Move the median of a[first+1], a[mid], a[last-1] to a[first] and partition the rest around it."""
    mid = first + (last - first) // 2
    x, y, z = first + 1, mid, last - 1
    if lt(a[x], a[y]):
        m = y if lt(a[y], a[z]) else (z if lt(a[x], a[z]) else x)
    else:
        m = x if lt(a[x], a[z]) else (z if lt(a[y], a[z]) else y)
    a[first], a[m] = a[m], a[first]
    pivot, lo, hi = a[first], first + 1, last
    while True:
        while lt(a[lo], pivot):
            lo += 1
        hi -= 1
        while lt(pivot, a[hi]):
            hi -= 1
        if not lo < hi:
            return lo
        a[lo], a[hi] = a[hi], a[lo]
        lo += 1


def _final_insertion_sort(a, first, last, lt):
    if last - first > _THRESHOLD:
        _insertion_sort(a, first, first + _THRESHOLD, lt)
        for i in range(first + _THRESHOLD, last):
            _linear_insert(a, i, lt)
    else:
        _insertion_sort(a, first, last, lt)


def _insertion_sort(a, first, last, lt):
    for i in range(first + 1, last):
        if lt(a[i], a[first]):
            v = a[i]
            a[first + 1:i + 1] = a[first:i]
            a[first] = v
        else:
            _linear_insert(a, i, lt)


def _linear_insert(a, last, lt):
    """Shift ``a[last]`` left past the larger elements (something before it is never larger: no bound check)."""
    v = a[last]
    while lt(v, a[last - 1]):
        a[last] = a[last - 1]
        last -= 1
    a[last] = v


def _adjust_heap(a, first, hole, length, value, lt):
    top = child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if lt(a[first + child], a[first + child - 1]):
            child -= 1
        a[first + hole] = a[first + child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        a[first + hole] = a[first + child - 1]
        hole = child - 1
    parent = (hole - 1) // 2
    while hole > top and lt(a[first + parent], value):
        a[first + hole] = a[first + parent]
        hole = parent
        parent = (hole - 1) // 2
    a[first + hole] = value


def _make_heap(a, first, last, lt):
    n = last - first
    if n < 2:
        return
    for parent in range((n - 2) // 2, -1, -1):
        _adjust_heap(a, first, parent, n, a[first + parent], lt)


def _pop_heap(a, first, last, result, lt):
    v = a[result]
    a[result] = a[first]
    _adjust_heap(a, first, 0, last - first, v, lt)


def _heap_select(a, first, middle, last, lt):
    _make_heap(a, first, middle, lt)
    for i in range(middle, last):
        if lt(a[i], a[first]):
            _pop_heap(a, first, middle, i, lt)


def _sort_heap(a, first, last, lt):
    while last - first > 1:
        last -= 1
        _pop_heap(a, first, last, last, lt)
