"""minitorch.autograd.functional (jacobian, hessian, vjp, jvp, vhp, hvp) compared with PyTorch's."""

import warnings

import numpy as np
import pytest

import minitorch
from minitorch import autograd


def _outcome(T, case):
    """``("ok", numbers)`` or ``("error", type name, message with the library's name removed)``."""
    try:
        result = case(T)
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return ("error", type(e).__name__, str(e).replace("minitorch.", "").replace("torch.", ""))
    return ("ok", _numbers(result))


def _numbers(r):
    if isinstance(r, (list, tuple)):
        return [_numbers(v) for v in r]
    return (list(r.shape), np.round(np.asarray(r.detach().tolist(), dtype=float), 4).tolist(), bool(r.requires_grad))


def _same_as_torch(case):
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected, got = _outcome(torch, case), _outcome(minitorch, case)
    assert got == expected


def _functional_cases():
    def x(T):
        return T.tensor([1.0, 2.0], requires_grad=True)

    def f(T):
        return T.autograd.functional

    return {
        "jacobian": lambda T: f(T).jacobian(lambda t: t ** 2, x(T)),
        "jacobian_tuples": lambda T: f(T).jacobian(lambda t, u: (t * u, t.sum()), (x(T), T.ones(2))),
        "jacobian_matrix": lambda T: f(T).jacobian(lambda t: t @ t.T, T.tensor([[1.0, 2.0], [3.0, 4.0]])),
        "jacobian_detached": lambda T: f(T).jacobian(lambda t: t.detach(), x(T)),
        "hessian": lambda T: f(T).hessian(lambda t: (t ** 3).prod(), T.tensor([[1.0, 2.0], [3.0, 4.0]])),
        "hessian_tuple": lambda T: f(T).hessian(lambda t, u: (t * u * u).sum(), (x(T), T.tensor([3.0, 4.0]))),
        "hessian_not_scalar": lambda T: f(T).hessian(lambda t: t ** 3, x(T)),
        "vjp": lambda T: f(T).vjp(lambda t: t ** 2, x(T), T.tensor([1.0, -1.0])),
        "vjp_needs_v": lambda T: f(T).vjp(lambda t: t ** 2, x(T)),
        "vjp_v_wrong_size": lambda T: f(T).vjp(lambda t: t ** 2, x(T), T.ones(3)),
        "jvp": lambda T: f(T).jvp(lambda t, u: (t * u, (t * t).sum()), (x(T), T.ones(2)), (T.ones(2), T.ones(2))),
        "hvp": lambda T: f(T).hvp(lambda t: (t ** 3).sum(), x(T), T.tensor([1.0, -1.0])),
        "vhp": lambda T: f(T).vhp(lambda t, u: (t * u * u).sum(), (x(T), T.tensor([3.0, 4.0])), (T.ones(2), T.ones(2))),
    }


@pytest.mark.parametrize("name", list(_functional_cases()))
def test_autograd_functional_matches_torch(name):
    _same_as_torch(_functional_cases()[name])


def test_jacobian_with_create_graph_is_differentiable():
    x = minitorch.tensor([1.0, 2.0], dtype=minitorch.float64, requires_grad=True)
    jac = autograd.functional.jacobian(lambda t: t ** 3, x, create_graph=True)  # diag(3 x^2)
    (g,) = autograd.grad(jac.sum(), x)  # d/dx sum(3 x^2) = 6 x
    np.testing.assert_allclose(g.numpy(), [6.0, 12.0])
