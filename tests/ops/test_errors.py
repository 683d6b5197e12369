"""Error paths: the exception type PyTorch raises, with PyTorch's message (naming the op and the shapes)."""

from __future__ import annotations

import pytest

import minitorch

# (name, lambda on the library, the message both must contain)
CASES = [
    ("broadcast_add", lambda t: t.ones(2, 3) + t.ones(2, 4),
     "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"),
    ("broadcast_mul_3d", lambda t: t.ones(5, 2, 3) * t.ones(4, 1, 3),
     "The size of tensor a (5) must match the size of tensor b (4) at non-singleton dimension 0"),
    ("broadcast_sub", lambda t: t.ones(3) - t.ones(4),
     "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0"),
    ("broadcast_div", lambda t: t.ones(2, 3) / t.ones(2, 4),
     "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"),
    ("broadcast_eq", lambda t: t.ones(2, 3) == t.ones(2, 4),
     "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"),
    ("broadcast_maximum", lambda t: t.maximum(t.ones(2, 3), t.ones(2, 4)),
     "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"),
    ("matmul_2d", lambda t: t.ones(2, 3) @ t.ones(4, 5), "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"),
    ("mm", lambda t: t.mm(t.ones(2, 3), t.ones(4, 5)), "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"),
    ("matmul_0d", lambda t: t.matmul(t.ones(()), t.ones(3)), "both arguments to matmul need to be at least 1D"),
    ("item", lambda t: t.ones(2, 3).item(), "a Tensor with 6 elements cannot be converted to Scalar"),
    ("bool_ambiguous", lambda t: bool(t.ones(2)), "Boolean value of Tensor with more than one value is ambiguous"),
    ("sum_dim", lambda t: t.ones(2, 3).sum(2),
     "Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
    ("softmax_dim", lambda t: t.ones(2, 3).softmax(-3),
     "Dimension out of range (expected to be in range of [-2, 1], but got -3)"),
    ("transpose_dim", lambda t: t.ones(2, 3).transpose(0, 2),
     "Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
    ("unsqueeze_dim", lambda t: t.ones(2, 3).unsqueeze(3),
     "Dimension out of range (expected to be in range of [-3, 2], but got 3)"),
    ("max_dim", lambda t: t.ones(2, 3).max(dim=5),
     "Dimension out of range (expected to be in range of [-2, 1], but got 5)"),
    ("cat_sizes", lambda t: t.cat([t.ones(2, 3), t.ones(2, 4)]),
     "Sizes of tensors must match except in dimension 0. Expected "
     "size 3 but got size 4 for tensor number 1 in the list."),
    ("cat_ndim", lambda t: t.cat([t.ones(2, 3), t.ones(3)]),
     "Tensors must have same number of dimensions: got 2 and 1"),
    ("cat_empty", lambda t: t.cat([]), "expected a non-empty list of Tensors"),
    ("stack_sizes", lambda t: t.stack([t.ones(2, 3), t.ones(2, 4)]),
     "stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [2, 4] at entry 1"),
    ("reshape", lambda t: t.ones(3, 5).reshape(2, 6), "shape '[2, 6]' is invalid for input of size 15"),
    ("view_two_minus_one", lambda t: t.ones(4).view(-1, -1), "only one dimension can be inferred"),
    ("view_noncontiguous", lambda t: t.ones(3, 4).t().view(12),
     "view size is not compatible with input tensor's size and stride"),
    ("expand", lambda t: t.ones(3, 2).expand(3, 4),
     "The expanded size of the tensor (4) must match the existing size (2) at non-singleton dimension 1"),
    ("index_out_of_range", lambda t: t.ones(3)[5], "index 5 is out of bounds for dimension 0 with size 3"),
    ("index_float", lambda t: t.ones(3)[t.tensor([0.0])], "tensors used as indices must be long, int, byte or bool"),
    ("requires_grad_int", lambda t: t.tensor([1, 2], requires_grad=True),
     "nly Tensors of floating point and complex dtype can require gradients"),  # PyTorch: "Only ..."
    ("mean_int", lambda t: t.tensor([1, 2]).mean(), "mean(): could not infer output dtype"),
    ("where_cond", lambda t: t.where(t.ones(2), t.ones(2), t.ones(2)), "where expected condition to be a boolean"),
    ("permute_len", lambda t: t.ones(2, 3).permute(0), "number of dimensions in the tensor input does not match"),
    ("dot_sizes", lambda t: t.dot(t.ones(3), t.ones(4)), "inconsistent tensor size"),
    ("bmm_batch", lambda t: t.bmm(t.ones(2, 3, 4), t.ones(3, 4, 5)),
     "Expected size for first two dimensions of batch2"),
    ("numpy_requires_grad", lambda t: t.ones(2, requires_grad=True).numpy(),
     "Can't call numpy() on Tensor that requires grad"),
    ("neg_bool", lambda t: -t.tensor([True]), "Negation, the `-` operator, on a bool tensor is not supported"),
    ("sub_bool", lambda t: t.tensor([True]) - t.tensor([False]),
     "Subtraction, the `-` operator, with two bool tensors is not supported"),
    ("int_neg_pow", lambda t: t.tensor([2]) ** -1, "Integers to negative integer powers are not allowed."),
    ("split_sizes", lambda t: t.ones(5).split([2, 2]), "split_with_sizes expects split_sizes to sum exactly to 5"),
    ("masked_fill_mask", lambda t: t.ones(2).masked_fill(t.ones(2), 0.0), "only supports boolean masks"),
    ("leaf_inplace", lambda t: t.ones(2, requires_grad=True).add_(1),
     "a leaf Variable that requires grad is being used in an in-place operation."),
    ("grad_non_scalar", lambda t: (t.ones(2, requires_grad=True) * 2).backward(),
     "grad can be implicitly created only for scalar outputs"),
    ("len_0d", lambda t: len(t.tensor(1.0)), "len() of a 0-d tensor"),
    ("flatten_dims", lambda t: t.ones(2, 3, 4).flatten(2, 1),
     "flatten() has invalid args: start_dim cannot come after"),
    ("squeeze_dim", lambda t: t.ones(2, 3).squeeze(4), "Dimension out of range"),
    ("gather_ndim", lambda t: t.ones(2, 3).gather(1, t.tensor([0])),
     "Index tensor must have the same number of dimensions as input tensor"),
    ("chunk_zero", lambda t: t.ones(4).chunk(0), "chunk expects `chunks` to be greater than 0"),
]


def _ids(cases):
    return [c[0] for c in cases]


@pytest.mark.parametrize("name,fn,message", CASES, ids=_ids(CASES))
def test_error_message(name, fn, message):
    with pytest.raises(Exception) as info:
        fn(minitorch)
    assert message in str(info.value), f"{name}: got {type(info.value).__name__}: {info.value}"


@pytest.mark.parametrize("name,fn,message", CASES, ids=_ids(CASES))
def test_error_matches_torch(name, fn, message):
    torch = pytest.importorskip("torch")
    with pytest.raises(Exception) as want:
        fn(torch)
    assert message in str(want.value).replace("torch.", "minitorch."), "the expected message is PyTorch's"
    with pytest.raises(Exception) as got:
        fn(minitorch)
    assert type(got.value) is type(want.value), (
        f"{name}: minitorch raised {type(got.value).__name__}, torch {type(want.value).__name__}: {want.value}"
    )


def test_broadcast_error_names_the_op_and_shapes():
    with pytest.raises(RuntimeError) as info:
        minitorch.ones(2, 3) * minitorch.ones(2, 4)
    assert "mul" in str(info.value) and "[2, 3]" in str(info.value) and "[2, 4]" in str(info.value)


def test_no_numpy_exception_leaks_from_common_mistakes():
    """A user's mistake gives a minitorch/PyTorch error, never a NumPy traceback."""
    mistakes = [
        lambda: minitorch.ones(2, 3) + minitorch.ones(3, 2),
        lambda: minitorch.ones(2, 3)[:, 5],
        lambda: minitorch.ones(2, 3).reshape(4, 2),
        lambda: minitorch.ones(2, 3).sum(dim=(0, 0)),
        lambda: minitorch.ones(2, 3).expand(4, 3),
        lambda: minitorch.ones(2, 3).gather(1, minitorch.tensor([[5]])),
        lambda: minitorch.ones(2, 3).index_select(0, minitorch.tensor([7])),
        lambda: minitorch.ones(2, 3).masked_fill(minitorch.ones(3, 2, dtype=minitorch.bool), 1.0),
    ]
    for i, m in enumerate(mistakes):
        with pytest.raises((RuntimeError, IndexError, TypeError, ValueError)) as info:
            m()
        assert "numpy" not in type(info.value).__module__, f"mistake {i}: {info.value!r}"
