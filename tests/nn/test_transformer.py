"""Attention and Transformers against PyTorch: F.scaled_dot_product_attention, MultiheadAttention, the encoder /
decoder layers and stacks, and Transformer, with weights copied from PyTorch (outputs, attention weights, input and
parameter gradients, state-dict keys), in eval mode and in train mode with dropout=0; errors and warnings."""

import copy
import math
import warnings

import numpy as np
import pytest

import minitorch
import minitorch.nn.functional as F
from minitorch import nn

from ._util import copy_weights, torch_or_skip

torch = torch_or_skip()
TF = torch.nn.functional
RTOL, ATOL = 1e-7, 1e-9


def _rand(shape, seed):
    return np.random.default_rng(seed).standard_normal(shape)


def _both(arr):
    """The same array as a minitorch and a PyTorch tensor (floats require grad; None stays None)."""
    if arr is None:
        return None, None
    arr = np.asarray(arr)
    rg = arr.dtype.kind == "f"
    return minitorch.tensor(arr, requires_grad=rg), torch.tensor(arr, requires_grad=rg)


def _close(m, t, msg=""):
    assert tuple(m.shape) == tuple(t.shape), msg
    np.testing.assert_allclose(m.detach().numpy(), t.detach().numpy(), rtol=RTOL, atol=ATOL, err_msg=msg)


def _compare(mt_call, th_call, inputs, mt_mod=None, th_mod=None):
    """Call both with the same inputs (arrays; identical arrays passed as the same object give one shared leaf);
    compare every output, then the gradients of the inputs and parameters for random upstream gradients."""
    leaves = {}
    mts, ths = [], []
    for a in inputs:
        if a is not None and id(a) not in leaves:
            leaves[id(a)] = _both(a)
        m, t = leaves[id(a)] if a is not None else (None, None)
        mts.append(m)
        ths.append(t)
    out_m, out_t = mt_call(*mts), th_call(*ths)
    out_m = out_m if isinstance(out_m, tuple) else (out_m,)
    out_t = out_t if isinstance(out_t, tuple) else (out_t,)
    assert len(out_m) == len(out_t)
    loss_m, loss_t = 0, 0
    for i, (m, t) in enumerate(zip(out_m, out_t)):
        if t is None:
            assert m is None
            continue
        _close(m, t, f"output {i}")
        g = _rand(tuple(t.shape), 10 + i)
        loss_m = loss_m + (m * minitorch.tensor(g)).sum()
        loss_t = loss_t + (t * torch.tensor(g)).sum()
    loss_m.backward()
    loss_t.backward()
    for m, t in leaves.values():
        if t.requires_grad:
            _close(m.grad, t.grad, "input grad")
    if mt_mod is not None:
        th_params = dict(th_mod.named_parameters())
        for name, p in mt_mod.named_parameters():
            tp = th_params[name]
            if tp.grad is None:
                assert p.grad is None or not p.grad.numpy().any(), name
            else:
                _close(p.grad, tp.grad, name)
    return out_m, out_t


def _pair(mt_cls, th_cls, *args, train=False, **kwargs):
    """The same module in both libraries (float64, PyTorch's weights), in eval or train mode."""
    torch.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        th = th_cls(*args, **kwargs).double()
        mt = mt_cls(*args, **kwargs).double()
    assert list(mt.state_dict()) == list(th.state_dict())
    copy_weights(mt, th)
    return (mt.train(), th.train()) if train else (mt.eval(), th.eval())


# ---- scaled_dot_product_attention ------------------------------------------------------------------------
SDPA_CASES = [
    # (q, k, v shapes, mask shape / kind, kwargs)
    ((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 7), None, {}),
    ((3, 4, 5), (3, 6, 5), (3, 6, 2), None, {"is_causal": True}),
    ((4, 5), (6, 5), (6, 3), None, {"is_causal": True}),
    ((6, 5), (4, 5), (4, 3), None, {"is_causal": True}),
    ((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 5), ("bool", (4, 6)), {}),
    ((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 5), ("float", (2, 1, 4, 6)), {}),
    ((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 5), ("float32", (4, 6)), {}),
    ((2, 3, 4, 5), (2, 1, 6, 5), (2, 1, 6, 5), None, {"scale": 0.3}),
    ((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 5), None, {"scale": -0.7}),
    ((2, 4, 3, 5), (2, 2, 6, 5), (2, 1, 6, 4), None, {"enable_gqa": True}),
    ((4, 3, 5), (2, 6, 5), (2, 6, 5), ("bool", (3, 6)), {"enable_gqa": True}),
    ((2, 3, 0, 5), (2, 3, 6, 5), (2, 3, 6, 5), None, {}),
]


def _mask(kind, shape, seed=3):
    rng = np.random.default_rng(seed)
    if kind == "bool":
        m = rng.random(shape) > 0.4
        m[..., 0] = True
        return m
    return rng.standard_normal(shape).astype(np.float32 if kind == "float32" else np.float64)


@pytest.mark.parametrize("qs, ks, vs, mask, kwargs", SDPA_CASES)
def test_sdpa_matches_torch(qs, ks, vs, mask, kwargs):
    arrays = [_rand(qs, 0), _rand(ks, 1), _rand(vs, 2)]
    mask_arr = None if mask is None else _mask(*mask)
    mm = None if mask_arr is None else minitorch.tensor(mask_arr)
    tm = None if mask_arr is None else torch.tensor(mask_arr)
    _compare(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, mm, **kwargs),
             lambda q, k, v: TF.scaled_dot_product_attention(q, k, v, tm, **kwargs), arrays)


@pytest.mark.parametrize("kind", ["bool", "float"])
def test_sdpa_fully_masked_rows_give_zeros_and_zero_grads(kind):
    mask = np.ones((4, 6), dtype=bool)
    mask[1] = False
    if kind == "float":
        mask = np.where(mask, 0.0, -np.inf)
    mm, tm = minitorch.tensor(mask), torch.tensor(mask)
    arrays = [_rand((2, 4, 5), 0), _rand((2, 6, 5), 1), _rand((2, 6, 5), 2)]
    out_m, _ = _compare(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, mm),
                        lambda q, k, v: TF.scaled_dot_product_attention(q, k, v, tm), arrays)
    assert not out_m[0][:, 1].detach().numpy().any()


def test_sdpa_second_order_matches_torch():
    arrays = [_rand((2, 3, 4), 0), _rand((2, 5, 4), 1), _rand((2, 5, 4), 2)]
    (qm, qt), (km, kt), (vm, vt) = (_both(a) for a in arrays)
    mask = _mask("bool", (3, 5))
    om = F.scaled_dot_product_attention(qm, km, vm, minitorch.tensor(mask))
    ot = TF.scaled_dot_product_attention(qt, kt, vt, torch.tensor(mask))
    g = _rand((2, 3, 4), 5)
    gm = minitorch.autograd.grad((om * minitorch.tensor(g)).sum(), [qm, km], create_graph=True)
    gt = torch.autograd.grad((ot * torch.tensor(g)).sum(), [qt, kt], create_graph=True)
    sm, st = (gm[0] ** 2).sum() + (gm[1] * gm[1]).sum(), (gt[0] ** 2).sum() + (gt[1] * gt[1]).sum()
    for a, b in zip(minitorch.autograd.grad(sm, [qm, km, vm]), torch.autograd.grad(st, [qt, kt, vt])):
        _close(a, b)


def test_sdpa_gradcheck():
    q, k, v = (minitorch.tensor(_rand(s, i), requires_grad=True) for i, s in enumerate([(2, 3, 4), (2, 5, 4), (2, 5, 3)]))
    assert minitorch.autograd.gradcheck(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True),
                                        (q, k, v))


def test_sdpa_dropout():
    q = minitorch.randn(2, 3, 4)
    assert not F.scaled_dot_product_attention(q, q, q, dropout_p=1.0).numpy().any()
    minitorch.manual_seed(0)
    out = F.scaled_dot_product_attention(q, q, q, dropout_p=0.5)
    assert out.shape == (2, 3, 4)


def _errors(mt_fn, th_fn):
    with pytest.raises(Exception) as th_err:
        th_fn()
    with pytest.raises(type(th_err.value)) as mt_err:
        mt_fn()
    assert str(mt_err.value).replace("minitorch.", "torch.") == str(th_err.value)


SDPA_ERRORS = [
    ((2, 3, 4), (2, 5, 4), (2, 5, 4), ("bool", (3, 5)), {"is_causal": True}, None),
    ((2, 3, 4), (2, 5, 4), (2, 5, 4), None, {}, "v32"),
    ((2, 3, 4), (2, 5, 4), (2, 5, 4), None, {}, "q32"),
    ((3, 4), (5, 4), (4,), None, {}, None),
    ((2, 3, 4), (2, 5, 4), (2, 5, 4), ("int", (3, 5)), {}, None),
    ((2, 3, 4), (2, 5, 4), (2, 5, 4), None, {"dropout_p": 1.5}, None),
    ((2, 4, 3, 4), (2, 3, 5, 4), (2, 3, 5, 4), None, {"enable_gqa": True}, None),
    ((3, 4), (5, 4), (5, 4), None, {"enable_gqa": True}, None),
    ((2, 3, 4), (2, 5, 3), (2, 5, 4), None, {}, None),
    ((2, 3, 4), (2, 5, 4), (2, 4, 4), None, {}, None),
]


@pytest.mark.parametrize("qs, ks, vs, mask, kwargs, cast", SDPA_ERRORS)
def test_sdpa_errors_match_torch(qs, ks, vs, mask, kwargs, cast):
    arrays = [_rand(qs, 0), _rand(ks, 1), _rand(vs, 2)]
    if cast:
        i = "qkv".index(cast[0])
        arrays[i] = arrays[i].astype(np.float32)
    mask_arr = None
    if mask is not None:
        mask_arr = np.ones(mask[1], dtype=np.int64) if mask[0] == "int" else _mask(*mask)
    mm = None if mask_arr is None else minitorch.tensor(mask_arr)
    tm = None if mask_arr is None else torch.tensor(mask_arr)
    _errors(lambda: F.scaled_dot_product_attention(*[minitorch.tensor(a) for a in arrays], mm, **kwargs),
            lambda: TF.scaled_dot_product_attention(*[torch.tensor(a) for a in arrays], tm, **kwargs))


# ---- MultiheadAttention --------------------------------------------------------------------------------------
E, H, L, S, N = 8, 2, 4, 5, 3

MHA_CONFIGS = [
    {},
    {"bias": False},
    {"add_bias_kv": True},
    {"add_zero_attn": True, "batch_first": True},
    {"kdim": 3, "vdim": 6},
    {"kdim": 3, "vdim": 6, "add_bias_kv": True, "add_zero_attn": True, "bias": False},
    {"batch_first": True},
]


def _mha_inputs(cfg, batched=True, self_attn=False):
    kd, vd = cfg.get("kdim", E), cfg.get("vdim", E)
    bf = cfg.get("batch_first", False)

    def shape(length, dim):
        if not batched:
            return (length, dim)
        return (N, length, dim) if bf else (length, N, dim)

    q = _rand(shape(L, E), 0)
    if self_attn:
        return [q, q, q]
    return [q, _rand(shape(S, kd), 1), _rand(shape(S, vd), 2)]


@pytest.mark.parametrize("cfg", MHA_CONFIGS)
@pytest.mark.parametrize("train", [False, True])
@pytest.mark.parametrize("need_weights, average", [(True, True), (True, False), (False, True)])
def test_mha_matches_torch(cfg, train, need_weights, average):
    mt, th = _pair(nn.MultiheadAttention, torch.nn.MultiheadAttention, E, H, train=train, **cfg)
    kw = {"need_weights": need_weights, "average_attn_weights": average}
    _compare(lambda q, k, v: mt(q, k, v, **kw), lambda q, k, v: th(q, k, v, **kw), _mha_inputs(cfg), mt, th)


@pytest.mark.parametrize("cfg", [{}, {"add_bias_kv": True, "add_zero_attn": True}, {"kdim": 3, "vdim": 6}])
@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_unbatched_matches_torch(cfg, need_weights):
    mt, th = _pair(nn.MultiheadAttention, torch.nn.MultiheadAttention, E, H, **cfg)
    kpm = np.zeros(S, dtype=bool)
    kpm[-1] = True
    km, kt = minitorch.tensor(kpm), torch.tensor(kpm)
    out, _ = _compare(lambda q, k, v: mt(q, k, v, key_padding_mask=km, need_weights=need_weights),
                      lambda q, k, v: th(q, k, v, key_padding_mask=kt, need_weights=need_weights),
                      _mha_inputs(cfg, batched=False), mt, th)
    assert out[0].shape == (L, E)


def _masks(kind):
    """(attn_mask, key_padding_mask) arrays for self-attention over L positions (True / -inf = masked)."""
    rng = np.random.default_rng(4)
    causal = np.triu(np.ones((L, L), dtype=bool), 1)
    kpm = np.zeros((N, L), dtype=bool)
    kpm[0, -1] = kpm[2, -2:] = True
    return {
        "bool_attn": (causal, None),
        "float_attn": (np.where(causal, -np.inf, 0.0) + rng.standard_normal((L, L)) * 0.1, None),
        "attn_3d": (rng.standard_normal((N * H, L, L)), None),
        "kpm_bool": (None, kpm),
        "kpm_float": (None, np.where(kpm, -np.inf, 0.0)),
        "both": (causal, kpm),
        "both_float": (np.where(causal, -np.inf, 0.0), np.where(kpm, -np.inf, 0.0)),
    }[kind]


@pytest.mark.parametrize("kind", ["bool_attn", "float_attn", "attn_3d", "kpm_bool", "kpm_float", "both", "both_float"])
@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("is_causal", [False, True])
def test_mha_masks_match_torch(kind, need_weights, is_causal):
    attn, kpm = _masks(kind)
    if is_causal and (attn is None or kind == "attn_3d"):
        return
    mt, th = _pair(nn.MultiheadAttention, torch.nn.MultiheadAttention, E, H, train=True)
    (am, at), (pm, pt) = _both(attn), _both(kpm)
    am, at = (None, None) if attn is None else (am.detach(), at.detach())
    pm, pt = (None, None) if kpm is None else (pm.detach(), pt.detach())
    kw = {"need_weights": need_weights, "is_causal": is_causal}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _compare(lambda x: mt(x, x, x, key_padding_mask=pm, attn_mask=am, **kw),
                 lambda x: th(x, x, x, key_padding_mask=pt, attn_mask=at, **kw), [_rand((L, N, E), 0)], mt, th)


def test_mha_parameters_init_and_repr():
    torch.manual_seed(0)
    for cfg in MHA_CONFIGS:
        mt, th = nn.MultiheadAttention(E, H, **cfg), torch.nn.MultiheadAttention(E, H, **cfg)
        assert list(mt.state_dict()) == list(th.state_dict())
        assert [tuple(p.shape) for p in mt.parameters()] == [tuple(p.shape) for p in th.parameters()]
        assert repr(mt) == repr(th)
        assert type(mt.out_proj).__name__ == "NonDynamicallyQuantizableLinear"
        assert isinstance(mt.out_proj, nn.Linear)
        if mt.in_proj_bias is not None:
            assert not mt.in_proj_bias.detach().numpy().any() and not mt.out_proj.bias.detach().numpy().any()
        w = mt.in_proj_weight if mt._qkv_same_embed_dim else mt.k_proj_weight
        bound = math.sqrt(6.0 / sum(w.shape))
        assert np.abs(w.detach().numpy()).max() <= bound
        assert np.abs(w.detach().numpy()).max() > 0.5 * bound
        assert mt.head_dim == th.head_dim and mt._qkv_same_embed_dim == th._qkv_same_embed_dim


def _mha_call_errors():
    x, y = _rand((L, N, E), 0), _rand((S, N, E), 1)
    b = np.zeros
    return [
        ((x, x, x), {"is_causal": True}),
        ((x, y, x[:3]), {}),
        ((x[0], y, y), {}),
        ((x, x, x), {"attn_mask": b((L, L + 1))}),
        ((x, x, x), {"attn_mask": b((N, L, L))}),
        ((x, x, x), {"attn_mask": b((L, L), dtype=np.int64)}),
        ((x, x, x), {"key_padding_mask": b((N, L + 1), dtype=bool)}),
        ((x, x, x), {"key_padding_mask": b((N + 1, L), dtype=bool)}),
        ((x, x, x), {"key_padding_mask": b((L,), dtype=bool)}),
        ((x, x, x), {"attn_mask": b((1, 1, L, L))}),
        ((x[..., :3], x[..., :3], x[..., :3]), {}),
        ((x[0], x[0], x[0]), {"attn_mask": b((N, L, L))}),
        ((x[0, 0], x[0, 0], x[0, 0]), {}),
    ]


@pytest.mark.parametrize("case", range(13))
def test_mha_errors_match_torch(case):
    args, kwargs = _mha_call_errors()[case]
    mt, th = _pair(nn.MultiheadAttention, torch.nn.MultiheadAttention, E, H)
    _errors(lambda: mt(*[minitorch.tensor(a) for a in args], **{k: minitorch.tensor(v) for k, v in kwargs.items()
                                                                if not isinstance(v, bool)},
                       **{k: v for k, v in kwargs.items() if isinstance(v, bool)}),
            lambda: th(*[torch.tensor(a) for a in args], **{k: torch.tensor(v) for k, v in kwargs.items()
                                                          if not isinstance(v, bool)},
                       **{k: v for k, v in kwargs.items() if isinstance(v, bool)}))


@pytest.mark.parametrize("args", [(0, 2), (8, 0), (6, 4)])
def test_mha_constructor_errors_match_torch(args):
    _errors(lambda: nn.MultiheadAttention(*args), lambda: torch.nn.MultiheadAttention(*args))


def test_mha_mismatched_mask_types_warn_as_torch():
    mt, th = _pair(nn.MultiheadAttention, torch.nn.MultiheadAttention, E, H)
    x = _rand((L, N, E), 0)
    kpm, attn = np.zeros((N, L), dtype=bool), np.zeros((L, L))
    with pytest.warns(UserWarning, match="Support for mismatched key_padding_mask and attn_mask is deprecated"):
        mt(minitorch.tensor(x), minitorch.tensor(x), minitorch.tensor(x), key_padding_mask=minitorch.tensor(kpm),
           attn_mask=minitorch.tensor(attn))


# ---- encoder / decoder layers, stacks and Transformer ------------------------------------------------------------
D, NHEAD, FF = 8, 2, 16

LAYER_CONFIGS = [
    {},
    {"activation": "gelu", "norm_first": True},
    {"batch_first": True, "bias": False, "layer_norm_eps": 1e-3},
    {"activation": "callable"},
]


def _layer_kwargs(cfg, torch_side):
    cfg = dict(cfg)
    if cfg.get("activation") == "callable":
        cfg["activation"] = (lambda x: torch.tanh(x) * 2) if torch_side else (lambda x: minitorch.tanh(x) * 2)
    return cfg


def _layer_pair(kind, cfg, train):
    mt_cls, th_cls = getattr(nn, kind), getattr(torch.nn, kind)
    torch.manual_seed(0)
    th = th_cls(D, NHEAD, FF, dropout=0.0, **_layer_kwargs(cfg, True)).double()
    mt = mt_cls(D, NHEAD, FF, dropout=0.0, **_layer_kwargs(cfg, False)).double()
    assert list(mt.state_dict()) == list(th.state_dict())
    copy_weights(mt, th)
    return (mt.train(), th.train()) if train else (mt.eval(), th.eval())


def _seq(length, cfg, seed, batched=True):
    if not batched:
        return _rand((length, D), seed)
    return _rand((N, length, D) if cfg.get("batch_first") else (length, N, D), seed)


def _pad_mask(length):
    kpm = np.zeros((N, length), dtype=bool)
    kpm[1, -1] = kpm[2, -2:] = True
    return kpm


@pytest.mark.parametrize("cfg", LAYER_CONFIGS)
@pytest.mark.parametrize("train", [False, True])
def test_encoder_layer_matches_torch(cfg, train):
    mt, th = _layer_pair("TransformerEncoderLayer", cfg, train)
    causal = np.triu(np.ones((L, L), dtype=bool), 1)
    kpm = _pad_mask(L)
    _compare(lambda x: mt(x, src_mask=minitorch.tensor(causal), src_key_padding_mask=minitorch.tensor(kpm)),
             lambda x: th(x, src_mask=torch.tensor(causal), src_key_padding_mask=torch.tensor(kpm)),
             [_seq(L, cfg, 0)], mt, th)
    _compare(lambda x: mt(x), lambda x: th(x), [_seq(L, cfg, 1, batched=False)])


@pytest.mark.parametrize("cfg", LAYER_CONFIGS)
@pytest.mark.parametrize("train", [False, True])
def test_decoder_layer_matches_torch(cfg, train):
    mt, th = _layer_pair("TransformerDecoderLayer", cfg, train)
    causal = np.triu(np.ones((L, L), dtype=bool), 1)
    kpm = _pad_mask(S)
    kw = lambda lib: {"tgt_mask": lib.tensor(causal), "memory_key_padding_mask": lib.tensor(kpm),  # noqa: E731
                      "tgt_is_causal": True}
    _compare(lambda t, m: mt(t, m, **kw(minitorch)), lambda t, m: th(t, m, **kw(torch)),
             [_seq(L, cfg, 0), _seq(S, cfg, 1)], mt, th)
    _compare(lambda t, m: mt(t, m), lambda t, m: th(t, m), [_seq(L, cfg, 2, False), _seq(S, cfg, 3, False)])


def test_encoder_layer_activation_errors_and_flags():
    _errors(lambda: nn.TransformerEncoderLayer(D, NHEAD, activation="tanh"),
            lambda: torch.nn.TransformerEncoderLayer(D, NHEAD, activation="tanh"))
    for act, flag in [("relu", 1), ("gelu", 2), (nn.GELU(), 2), (nn.ReLU(), 1), (minitorch.tanh, 0)]:
        assert nn.TransformerEncoderLayer(D, NHEAD, activation=act).activation_relu_or_gelu == flag
    assert nn.TransformerEncoderLayer(D, NHEAD).activation is F.relu


@pytest.mark.parametrize("norm", [False, True])
def test_encoder_and_decoder_stacks_match_torch(norm):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.manual_seed(0)
        th_enc = torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(D, NHEAD, FF, 0.0), 2,
                                             torch.nn.LayerNorm(D) if norm else None).double()
        th_dec = torch.nn.TransformerDecoder(torch.nn.TransformerDecoderLayer(D, NHEAD, FF, 0.0), 2,
                                             torch.nn.LayerNorm(D) if norm else None).double()
        mt_enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(D, NHEAD, FF, 0.0), 2,
                                       nn.LayerNorm(D) if norm else None).double()
        mt_dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(D, NHEAD, FF, 0.0), 2,
                                       nn.LayerNorm(D) if norm else None).double()
    for mt, th in [(mt_enc, th_enc), (mt_dec, th_dec)]:
        assert list(mt.state_dict()) == list(th.state_dict())
        copy_weights(mt, th)
    mask = nn.Transformer.generate_square_subsequent_mask(L, dtype=minitorch.float64)
    tmask = torch.nn.Transformer.generate_square_subsequent_mask(L, dtype=torch.float64)
    _compare(lambda x: mt_enc(x, mask=mask), lambda x: th_enc(x, mask=tmask), [_seq(L, {}, 0)], mt_enc, th_enc)
    _compare(lambda t, m: mt_dec(t, m, tgt_mask=mask), lambda t, m: th_dec(t, m, tgt_mask=tmask),
             [_seq(L, {}, 1), _seq(S, {}, 2)], mt_dec, th_dec)


def test_encoder_layers_are_deep_copies():
    layer = nn.TransformerEncoderLayer(D, NHEAD, FF)
    enc = nn.TransformerEncoder(layer, 3, enable_nested_tensor=False)
    assert len(enc.layers) == 3 and enc.num_layers == 3
    ids = {id(m.linear1.weight) for m in enc.layers}
    assert len(ids) == 3 and id(layer.linear1.weight) not in ids
    np.testing.assert_array_equal(enc.layers[0].linear1.weight.detach().numpy(),
                                  enc.layers[2].linear1.weight.detach().numpy())
    dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(D, NHEAD, FF), 2)
    assert dec.layers[0].self_attn.in_proj_weight is not dec.layers[1].self_attn.in_proj_weight


def test_encoder_nested_tensor_warning_matches_torch():
    for kwargs in [{}, {"batch_first": True, "norm_first": True}, {"batch_first": True}]:
        with warnings.catch_warnings(record=True) as wt:
            warnings.simplefilter("always")
            th = torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(D, NHEAD, **kwargs), 1)
        with warnings.catch_warnings(record=True) as wm:
            warnings.simplefilter("always")
            mt = nn.TransformerEncoder(nn.TransformerEncoderLayer(D, NHEAD, **kwargs), 1)
        assert [str(w.message) for w in wm] == [str(w.message) for w in wt]
        assert mt.use_nested_tensor == th.use_nested_tensor and mt.enable_nested_tensor


@pytest.mark.parametrize("left_aligned", [True, False])
def test_encoder_eval_no_grad_padding_like_torch_nested_path(left_aligned):
    """PyTorch's nested-tensor inference path returns zeros at padded positions (before the final norm)."""
    torch.manual_seed(0)
    th = torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(D, NHEAD, FF, batch_first=True), 2,
                                     torch.nn.LayerNorm(D)).double().eval()
    mt = nn.TransformerEncoder(nn.TransformerEncoderLayer(D, NHEAD, FF, batch_first=True), 2,
                               nn.LayerNorm(D)).double().eval()
    copy_weights(mt, th)
    x = _rand((N, L, D), 0)
    kpm = _pad_mask(L)
    if not left_aligned:
        kpm[0, 0] = True
    with torch.no_grad(), minitorch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "nested tensors are a prototype"
        out_t = th(torch.tensor(x), src_key_padding_mask=torch.tensor(kpm))
        out_m = mt(minitorch.tensor(x), src_key_padding_mask=minitorch.tensor(kpm))
    _close(out_m, out_t)


@pytest.mark.parametrize("cfg", [{}, {"batch_first": True, "norm_first": True, "activation": "gelu"}])
@pytest.mark.parametrize("train", [False, True])
def test_transformer_matches_torch(cfg, train):
    torch.manual_seed(0)
    args = {"d_model": D, "nhead": NHEAD, "num_encoder_layers": 2, "num_decoder_layers": 1, "dim_feedforward": FF,
            "dropout": 0.0, **cfg}
    mt, th = _pair(nn.Transformer, torch.nn.Transformer, train=train, **args)
    tmask = lambda lib: lib.nn.Transformer.generate_square_subsequent_mask(L, dtype=lib.float64)  # noqa: E731
    kw = lambda lib: {"tgt_mask": tmask(lib), "src_key_padding_mask": lib.tensor(_pad_mask(S)),  # noqa: E731
                      "memory_key_padding_mask": lib.tensor(_pad_mask(S))}
    _compare(lambda s, t: mt(s, t, **kw(minitorch)), lambda s, t: th(s, t, **kw(torch)),
             [_seq(S, cfg, 0), _seq(L, cfg, 1)], mt, th)
    _compare(lambda s, t: mt(s, t), lambda s, t: th(s, t), [_seq(S, cfg, 2, False), _seq(L, cfg, 3, False)])


def test_transformer_init_keys_and_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mt = nn.Transformer(D, NHEAD, 1, 1, FF)
        th = torch.nn.Transformer(D, NHEAD, 1, 1, FF)
    assert list(mt.state_dict()) == list(th.state_dict())
    assert repr(mt) == repr(th)
    w = mt.encoder.layers[0].linear1.weight.detach().numpy()  # xavier_uniform_ on every matrix
    assert np.abs(w).max() <= math.sqrt(6.0 / (D + FF))
    assert not mt.encoder.layers[0].self_attn.in_proj_bias.detach().numpy().any()
    for src, tgt in [((S, N, D), (L, N + 1, D)), ((S, N, D), (L, N, D + 1))]:
        _errors(lambda: mt(minitorch.randn(*src), minitorch.randn(*tgt)),
                lambda: th(torch.randn(*src), torch.randn(*tgt)))


def test_generate_square_subsequent_mask_matches_torch():
    for sz in (0, 1, 4):
        m = nn.Transformer.generate_square_subsequent_mask(sz)
        t = torch.nn.Transformer.generate_square_subsequent_mask(sz)
        assert m.dtype == minitorch.float32
        np.testing.assert_array_equal(m.numpy(), t.numpy())


def test_deepcopy_and_custom_encoder():
    layer = nn.TransformerDecoderLayer(D, NHEAD, FF, activation="gelu")
    clone = copy.deepcopy(layer)
    assert clone.activation is F.gelu and list(clone.state_dict()) == list(layer.state_dict())
    enc = nn.Identity()
    model = nn.Transformer(D, NHEAD, 1, 1, FF, custom_encoder=enc)
    assert model.encoder is enc


# ---- on the CuPy stand-in: same numbers, everything stays on the device, no hidden host round trips ------------
def _device_run(module, inputs, kwargs, device):
    m = copy.deepcopy(module).to(device)
    xs = [minitorch.tensor(a, device=device, requires_grad=True) for a in inputs]
    kw = {k: minitorch.tensor(v, device=device) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    import _fakecupy

    with _fakecupy.count_transfers() as n:
        out = m(*xs, **kw)
        out = out[0] if isinstance(out, tuple) else out
        (out * out).sum().backward()
    assert out.device == minitorch.device(device)
    assert all(p.grad.device == minitorch.device(device) for p in m.parameters())
    host = [out.detach().cpu().numpy()] + [x.grad.cpu().numpy() for x in xs]
    return host + [p.grad.cpu().numpy() for p in m.parameters()], n


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_and_transformer_on_fake_device(gpu_device, need_weights):
    minitorch.manual_seed(0)
    mha = nn.MultiheadAttention(E, H, add_bias_kv=True, batch_first=True).double()
    x = _rand((N, L, E), 0)
    kw = {"attn_mask": np.triu(np.ones((L, L), bool), 1), "key_padding_mask": _pad_mask(L + 1)[:, :L],
          "need_weights": need_weights}
    want, _ = _device_run(mha, [x, x, x], kw, "cpu")
    got, n = _device_run(mha, [x, x, x], kw, gpu_device)
    assert n["to_host"] == 0 and n["to_device"] == 0
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = nn.Transformer(D, NHEAD, 1, 1, FF, dropout=0.0).double()
    mask = np.triu(np.full((L, L), -np.inf), 1)
    want, _ = _device_run(model, [_seq(S, {}, 0), _seq(L, {}, 1)], {"tgt_mask": mask}, "cpu")
    got, n = _device_run(model, [_seq(S, {}, 0), _seq(L, {}, 1)], {"tgt_mask": mask}, gpu_device)
    assert n["to_host"] <= 1  # the "is tgt_mask causal?" check reads one bool, as PyTorch's does
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)


def test_mha_merge_masks_matches_torch():
    mt, th = _pair(nn.MultiheadAttention, torch.nn.MultiheadAttention, E, H, batch_first=True)
    x = _rand((N, L, E), 0)
    attn, kpm = np.where(np.triu(np.ones((L, L), bool), 1), -np.inf, 0.0), np.where(_pad_mask(L), -np.inf, 0.0)
    for a, p in [(attn, None), (None, kpm), (attn, kpm), (_rand((N * H, L, L), 1), kpm)]:
        conv = lambda lib, v: None if v is None else lib.tensor(v)  # noqa: E731
        got = mt.merge_masks(conv(minitorch, a), conv(minitorch, p), minitorch.tensor(x))
        want = th.merge_masks(conv(torch, a), conv(torch, p), torch.tensor(x))
        assert got[1] == want[1]
        np.testing.assert_array_equal(got[0].numpy(), want[0].numpy())


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_dropout_one_in_training_matches_torch(need_weights):
    mt, th = _pair(nn.MultiheadAttention, torch.nn.MultiheadAttention, E, H, dropout=1.0, train=True)
    _compare(lambda x: mt(x, x, x, need_weights=need_weights), lambda x: th(x, x, x, need_weights=need_weights),
             [_rand((L, N, E), 0)], mt, th)
