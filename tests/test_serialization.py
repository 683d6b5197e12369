"""minitorch.save / minitorch.load (a zip of JSON + .npy, never pickle) and .safetensors files."""

import io
import math
import os
import pickle
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import minitorch
from minitorch.serialization import load_safetensors, save_safetensors

DTYPES = [minitorch.float16, minitorch.float32, minitorch.float64, minitorch.int32, minitorch.int64,
          minitorch.bool, minitorch.uint8, minitorch.int8, minitorch.int16]


def _sample(dtype, shape=(2, 3), seed=0):
    rng = np.random.default_rng(seed)
    return minitorch.tensor((rng.standard_normal(shape) * 5).astype(dtype.np))


def _round_trip(obj, **load_kwargs):
    buf = io.BytesIO()
    minitorch.save(obj, buf)
    buf.seek(0)
    return minitorch.load(buf, **load_kwargs)


# ---- round trips ------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
def test_tensor_round_trip_keeps_dtype_shape_and_values(dtype, tmp_path):
    for shape in [(2, 3), (), (0, 4), (1, 2, 1, 2)]:
        t = _sample(dtype, shape)
        minitorch.save(t, tmp_path / "t.pt")
        r = minitorch.load(tmp_path / "t.pt")
        assert isinstance(r, minitorch.Tensor)
        assert r.dtype is dtype and tuple(r.shape) == shape
        np.testing.assert_array_equal(r.numpy(), t.numpy())


def test_path_as_str_and_file_objects(tmp_path):
    t = _sample(minitorch.float32)
    path = str(tmp_path / "a.pt")
    minitorch.save({"t": t}, path)
    with open(path, "rb") as fh:
        assert minitorch.equal(minitorch.load(fh)["t"], t)
    with open(tmp_path / "b.pt", "wb") as fh:
        minitorch.save([t], fh)
    assert minitorch.equal(minitorch.load(os.fspath(tmp_path / "b.pt"))[0], t)


def test_nested_structures_and_python_values():
    obj = {
        "model": OrderedDict([("0.weight", _sample(minitorch.float32)), ("0.bias", _sample(minitorch.float64, (3,)))]),
        "optim": {"state": {0: {"step": minitorch.tensor(3.0), "exp_avg": _sample(minitorch.float32)}},
                  "param_groups": [{"lr": 0.1, "betas": (0.9, 0.999), "amsgrad": False, "params": [0, 1],
                                    "foreach": None}]},
        "epoch": 7, "best": -1.5, "name": "run-1 ✓", "flags": [True, False, None], "nested": [[1, (2, [3])]],
        "specials": [math.inf, -math.inf], "big": 2**70, "bytes": b"\x00\xff", (1, "a"): "tuple key", 2.5: "x",
        None: 0, True: "t", "array": np.arange(6, dtype=np.int16).reshape(2, 3), "scalar": np.float64(0.25),
        "dtype": minitorch.float16, "device": minitorch.device("cpu"), "size": minitorch.Size([2, 3]),
        "empty": {}, "empty_list": [], "empty_tuple": (),
    }
    r = _round_trip(obj)
    assert type(r["model"]) is OrderedDict and list(r["model"]) == ["0.weight", "0.bias"]
    assert r["model"]["0.bias"].dtype is minitorch.float64
    assert minitorch.equal(r["model"]["0.weight"], obj["model"]["0.weight"])
    assert list(r["optim"]["state"]) == [0] and r["optim"]["state"][0]["step"].item() == 3.0
    assert r["optim"]["param_groups"] == obj["optim"]["param_groups"]
    assert isinstance(r["optim"]["param_groups"][0]["betas"], tuple)
    for key in ["epoch", "best", "name", "flags", "nested", "specials", "big", "bytes", (1, "a"), 2.5, None, True,
                "dtype", "device", "size", "empty", "empty_list", "empty_tuple"]:
        assert r[key] == obj[key] and type(r[key]) is type(obj[key]), key
    assert type(r["epoch"]) is int and type(r["flags"][0]) is bool
    assert r["array"].dtype == np.int16 and isinstance(r["array"], np.ndarray)
    np.testing.assert_array_equal(r["array"], obj["array"])
    assert r["scalar"] == 0.25 and isinstance(r["scalar"], np.float64)
    assert math.isnan(_round_trip(float("nan")))


def test_requires_grad_is_kept_and_data_only_is_stored():
    w = minitorch.randn(3, requires_grad=True)
    y = w * 2  # a non-leaf: its numbers are saved, not its graph
    r = _round_trip({"w": w, "y": y, "plain": w.detach()})
    assert r["w"].requires_grad and r["w"].is_leaf and r["w"].grad is None
    assert r["y"].is_leaf and r["y"].grad_fn is None
    assert not r["plain"].requires_grad
    np.testing.assert_array_equal(r["y"].detach().numpy(), y.detach().numpy())


def test_shared_tensors_stay_shared_and_non_contiguous_tensors_are_saved():
    t = minitorch.arange(12.0).reshape(3, 4)
    view = t.t()
    r = _round_trip({"a": t, "b": t, "view": view})
    assert r["a"] is r["b"]
    np.testing.assert_array_equal(r["view"].numpy(), view.numpy())
    assert r["view"].is_contiguous()


def test_the_file_is_a_zip_of_json_and_npy(tmp_path):
    minitorch.save({"x": minitorch.ones(2)}, tmp_path / "c.pt")
    with zipfile.ZipFile(tmp_path / "c.pt") as zf:
        assert sorted(zf.namelist()) == ["arrays/0.npy", "minitorch/data.json"]
    assert list(np.load(tmp_path / "c.pt", allow_pickle=False)["arrays/0"]) == [1.0, 1.0]


def test_unsupported_objects_raise_at_save_time():
    class Model:
        def state_dict(self):
            return {}

    with pytest.raises(TypeError, match="cannot save an object of type Model.*Save its state_dict\\(\\) instead"):
        minitorch.save(Model(), io.BytesIO())
    with pytest.raises(TypeError, match="cannot save an object of type set"):
        minitorch.save({1, 2}, io.BytesIO())
    with pytest.raises(TypeError, match="arrays of dtype object cannot be saved"):
        minitorch.save(np.array([object()]), io.BytesIO())


def test_top_level_save_and_load_resolve_lazily():
    from minitorch import serialization

    assert minitorch.save is serialization.save and minitorch.load is serialization.load


# ---- map_location -------------------------------------------------------------------------------------
def test_map_location_forms():
    t = _sample(minitorch.float32)
    for loc in [None, "cpu", minitorch.device("cpu"), {"cpu": "cpu"}]:
        r = _round_trip({"t": t}, map_location=loc)["t"]
        assert r.device == minitorch.device("cpu") and minitorch.equal(r, t)
    seen = []

    def fn(tensor, location):
        seen.append(location)
        return tensor * 2

    r = _round_trip([t], map_location=fn)[0]
    assert seen == ["cpu"] and minitorch.equal(r, t * 2)


def _checkpoint_from_cuda(tmp_path):
    """A checkpoint as a CUDA machine would write it: the same file, with the tensor's device 'cuda:0'."""
    path = tmp_path / "cuda.pt"
    minitorch.save({"w": minitorch.ones(2)}, path)
    with zipfile.ZipFile(path) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    files["minitorch/data.json"] = files["minitorch/data.json"].replace(b'"device": "cpu"', b'"device": "cuda:0"')
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


@pytest.mark.skipif(minitorch.cuda.is_available(), reason="checks the CPU-only error")
def test_cuda_checkpoint_on_a_cpu_machine(tmp_path):
    path = _checkpoint_from_cuda(tmp_path)
    with pytest.raises(RuntimeError, match="CUDA device.*is_available\\(\\) is False.*map_location='cpu'"):
        minitorch.load(path)
    assert minitorch.load(path, map_location="cpu")["w"].device.type == "cpu"
    assert minitorch.load(path, map_location={"cuda:0": "cpu"})["w"].device.type == "cpu"
    assert minitorch.load(path, map_location=lambda t, loc: t)["w"].device.type == "cpu"


# ---- malicious and broken files -------------------------------------------------------------------------
class _Exploit:
    """Unpickling this would create a marker file (what a malicious checkpoint could do)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_pickle_file_is_refused_and_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    payload = pickle.dumps({"weights": _Exploit(str(marker))})
    path = tmp_path / "evil.pt"
    path.write_bytes(payload)
    with pytest.raises(RuntimeError, match="is not a minitorch checkpoint \\(expected a zip file with.*pickle"):
        minitorch.load(path)
    with pytest.raises(RuntimeError, match="is not a minitorch checkpoint"):
        minitorch.load(io.BytesIO(payload))
    assert not marker.exists()
    pickle.loads(payload)  # the payload really is live: unpickling it creates the marker
    assert marker.exists()


def test_a_torch_style_zip_with_a_pickle_inside_is_refused(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "torch_like.pt"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("archive/data.pkl", pickle.dumps(_Exploit(str(marker))))
        zf.writestr("archive/version", "3\n")
    with pytest.raises(RuntimeError, match="not a minitorch checkpoint.*looks like a PyTorch checkpoint"):
        minitorch.load(path)
    assert not marker.exists()


def test_a_real_torch_save_file_is_refused(tmp_path):
    torch = pytest.importorskip("torch")
    torch.save({"w": torch.ones(2)}, tmp_path / "t.pt")
    with pytest.raises(RuntimeError, match="looks like a PyTorch checkpoint"):
        minitorch.load(tmp_path / "t.pt")


def test_random_bytes_truncated_and_empty_files(tmp_path):
    rng = np.random.default_rng(0)
    (tmp_path / "random.pt").write_bytes(rng.integers(0, 256, 1000, dtype=np.uint8).tobytes())
    (tmp_path / "empty.pt").write_bytes(b"")
    minitorch.save({"w": minitorch.randn(50, 50)}, tmp_path / "good.pt")
    data = (tmp_path / "good.pt").read_bytes()
    (tmp_path / "truncated.pt").write_bytes(data[: len(data) // 2])
    (tmp_path / "cut_tail.pt").write_bytes(data[:-10])
    for name in ["random.pt", "empty.pt", "truncated.pt", "cut_tail.pt"]:
        with pytest.raises(RuntimeError, match="not a .*minitorch checkpoint"):
            minitorch.load(tmp_path / name)


def _zip(path, entries):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def _npy(arr, allow_pickle=False):
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=allow_pickle)
    return buf.getvalue()


def _desc(obj):
    import json

    return json.dumps({"format": "minitorch.save", "version": 1, "object": obj})


BAD_DESCRIPTIONS = [
    "not json {",
    '{"format": "something else", "version": 1, "object": {"type": "none"}}',
    '{"format": "minitorch.save", "version": 99, "object": {"type": "none"}}',
    _desc({"type": "__class__"}),
    _desc({"type": "pickle", "value": "cos\nsystem\n"}),
    _desc({"type": "int", "value": "12"}),
    _desc({"type": "bool", "value": 1}),
    _desc({"type": "float", "value": "__import__('os')"}),
    _desc({"type": "dict", "items": [[{"type": "list", "items": []}, {"type": "none"}]]}),
    _desc({"type": "dict", "items": "abc"}),
    _desc({"type": "tensor", "data": "../../etc/passwd"}),
    _desc({"type": "tensor", "data": "arrays/7.npy"}),
    _desc({"type": "dtype", "value": "object"}),
    _desc({"type": "device", "value": "tpu"}),
    _desc(["not", "a", "node"]),
    "[" * 100000 + "]" * 100000,
]


@pytest.mark.parametrize("text", BAD_DESCRIPTIONS, ids=range(len(BAD_DESCRIPTIONS)))
def test_invalid_descriptions_raise_a_clear_error(text, tmp_path):
    path = _zip(tmp_path / "bad.pt", {"minitorch/data.json": text, "arrays/0.npy": _npy(np.ones(2))})
    with pytest.raises(RuntimeError, match="minitorch checkpoint|newer minitorch"):
        minitorch.load(path)


def test_an_object_array_inside_is_never_unpickled(tmp_path):
    marker = tmp_path / "pwned"
    evil = np.empty(1, dtype=object)
    evil[0] = _Exploit(str(marker))
    path = _zip(tmp_path / "bad.pt", {"minitorch/data.json": _desc({"type": "ndarray", "data": "arrays/0.npy"}),
                                      "arrays/0.npy": _npy(evil, allow_pickle=True)})
    with pytest.raises(RuntimeError, match="not a valid minitorch checkpoint: cannot read arrays/0.npy"):
        minitorch.load(path)
    assert not marker.exists()


def test_a_zip_without_the_description(tmp_path):
    path = _zip(tmp_path / "other.zip", {"readme.txt": "hello"})
    with pytest.raises(RuntimeError, match="is not a minitorch checkpoint \\(expected a zip file with"):
        minitorch.load(path)


# ---- safetensors --------------------------------------------------------------------------------------
def test_safetensors_round_trip(tmp_path):
    pytest.importorskip("safetensors")
    state = OrderedDict((f"t.{d.name}", _sample(d, (2, 3), seed=i)) for i, d in enumerate(DTYPES))
    state["scalar"] = minitorch.tensor(1.5)
    state["array"] = np.arange(4, dtype=np.int64)
    save_safetensors(state, tmp_path / "m.safetensors", metadata={"format": "pt"})
    loaded = load_safetensors(tmp_path / "m.safetensors")
    assert set(loaded) == set(state)
    for key, value in state.items():
        expected = value if isinstance(value, np.ndarray) else value.numpy()
        assert loaded[key].dtype.np == expected.dtype and tuple(loaded[key].shape) == expected.shape, key
        np.testing.assert_array_equal(loaded[key].numpy(), expected)


def test_safetensors_interoperates_with_torch(tmp_path):
    torch = pytest.importorskip("torch")
    st_torch = pytest.importorskip("safetensors.torch")
    theirs = {"w": torch.randn(3, 4), "b": torch.arange(3, dtype=torch.int64), "m": torch.tensor([True, False]),
              "h": torch.randn(2).half(), "bf": torch.tensor([1.5, -2.25, 3.0e10]).bfloat16()}
    st_torch.save_file(theirs, str(tmp_path / "torch.safetensors"))
    with pytest.warns(UserWarning, match="'bf' is bfloat16"):
        mine = load_safetensors(tmp_path / "torch.safetensors")
    for key in ["w", "b", "m", "h"]:
        np.testing.assert_array_equal(mine[key].numpy(), theirs[key].numpy())
        assert mine[key].dtype.name == str(theirs[key].dtype).replace("torch.", "")
    np.testing.assert_array_equal(mine["bf"].numpy(), theirs["bf"].float().numpy())
    assert mine["bf"].dtype is minitorch.float32

    save_safetensors({k: v for k, v in mine.items() if k != "bf"}, tmp_path / "mine.safetensors")
    back = st_torch.load_file(str(tmp_path / "mine.safetensors"))
    for key in ["w", "b", "m", "h"]:
        assert torch.equal(back[key], theirs[key])


def test_safetensors_errors(tmp_path):
    pytest.importorskip("safetensors")
    with pytest.raises(TypeError, match="keys must be strings"):
        save_safetensors({0: minitorch.ones(1)}, tmp_path / "x.safetensors")
    with pytest.raises(TypeError, match="must be a tensor or a NumPy array, got int"):
        save_safetensors({"epoch": 3}, tmp_path / "x.safetensors")
    (tmp_path / "junk.safetensors").write_bytes(b"\x00" * 20)
    with pytest.raises(RuntimeError, match="is not a valid .safetensors file"):
        load_safetensors(tmp_path / "junk.safetensors")


def test_safetensors_missing_package_message(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "safetensors" or name.startswith("safetensors."):
            raise ImportError("no safetensors")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match="pip install safetensors"):
        save_safetensors({"w": minitorch.ones(1)}, "unused.safetensors")


def test_parameters_come_back_as_parameters():
    nn = pytest.importorskip("minitorch.nn")
    if not hasattr(nn, "Parameter"):
        pytest.skip("minitorch.nn.Parameter is not available yet")
    p = nn.Parameter(minitorch.randn(3))
    r = _round_trip({"p": p, "frozen": nn.Parameter(minitorch.ones(2), requires_grad=False)})
    assert isinstance(r["p"], nn.Parameter) and r["p"].requires_grad
    assert isinstance(r["frozen"], nn.Parameter) and not r["frozen"].requires_grad
    np.testing.assert_array_equal(r["p"].detach().numpy(), p.detach().numpy())
