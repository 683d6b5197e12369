"""minitorch.vision.transforms against torchvision's semantics, with NumPy references written here.

torchvision is not installable here: references are computed by hand (and, for
resizing, also with torch.nn.functional.interpolate when torch is installed,
which is what torchvision's tensor Resize calls).
"""

import numpy as np
import pytest

import minitorch
from minitorch.vision import transforms as T
from minitorch.vision.transforms import functional as F

Image = pytest.importorskip("PIL.Image")


def _rng(seed=0):
    return np.random.default_rng(seed)


def _t(arr):
    return minitorch.from_numpy(np.ascontiguousarray(arr))


# ----------------------------------------------------------------------------- ToTensor & friends

def test_to_tensor_uint8_hwc_becomes_chw_float32_in_unit_range():
    arr = _rng().integers(0, 256, size=(4, 5, 3), dtype=np.uint8)
    out = T.ToTensor()(arr)
    assert out.dtype == minitorch.float32 and tuple(out.shape) == (3, 4, 5)
    expected = arr.transpose(2, 0, 1).astype(np.float32) / np.float32(255)
    np.testing.assert_array_equal(out.numpy(), expected)


def test_to_tensor_2d_array_gets_a_channel_axis():
    arr = np.arange(12, dtype=np.uint8).reshape(3, 4)
    out = T.ToTensor()(arr)
    assert tuple(out.shape) == (1, 3, 4)
    np.testing.assert_allclose(out.numpy()[0], arr / 255.0, rtol=1e-6)


def test_to_tensor_float_arrays_are_not_rescaled_and_keep_their_dtype():
    arr = _rng().random((2, 3, 3)) * 7.0  # float64, values beyond 1
    out = T.ToTensor()(arr)
    assert out.dtype == minitorch.float64
    np.testing.assert_array_equal(out.numpy(), arr.transpose(2, 0, 1))


def test_to_tensor_pil_images():
    arr = _rng().integers(0, 256, size=(6, 7, 3), dtype=np.uint8)
    out = T.ToTensor()(Image.fromarray(arr))
    np.testing.assert_array_equal(out.numpy(), arr.transpose(2, 0, 1).astype(np.float32) / np.float32(255))
    gray = Image.fromarray(arr[:, :, 0])
    assert tuple(T.ToTensor()(gray).shape) == (1, 6, 7)
    # mode "F" keeps float values, mode "1" becomes 0/1 after scaling 0/255
    f = T.ToTensor()(Image.fromarray(np.full((2, 2), 3.5, np.float32)))
    assert f.dtype == minitorch.float32 and f.numpy().max() == 3.5
    bw = T.ToTensor()(Image.fromarray(np.array([[True, False]])))
    assert bw.tolist() == [[[1.0, 0.0]]]


def test_to_tensor_errors():
    with pytest.raises(TypeError, match="pic should be PIL Image or ndarray"):
        T.ToTensor()([[1, 2]])
    with pytest.raises(ValueError, match="2/3 dimensional. Got 4 dimensions"):
        T.ToTensor()(np.zeros((1, 2, 2, 3), np.uint8))


def test_pil_to_tensor_keeps_uint8_values():
    arr = _rng().integers(0, 256, size=(3, 4, 3), dtype=np.uint8)
    out = T.PILToTensor()(Image.fromarray(arr))
    assert out.dtype == minitorch.uint8
    np.testing.assert_array_equal(out.numpy(), arr.transpose(2, 0, 1))


def test_to_pil_image_round_trip():
    arr = _rng().integers(0, 256, size=(3, 4, 5), dtype=np.uint8)
    pic = T.ToPILImage()(_t(arr))
    assert pic.mode == "RGB" and pic.size == (5, 4)
    np.testing.assert_array_equal(np.asarray(pic), arr.transpose(1, 2, 0))
    x = _t(np.array([[[0.0, 0.5, 1.0]]], np.float32))
    assert np.asarray(T.ToPILImage()(x)).tolist() == [[0, 127, 255]]  # truncation like pic.mul(255).byte()


# ----------------------------------------------------------------------------- Normalize

def test_normalize_matches_numpy_per_channel():
    x = _rng().random((3, 4, 5)).astype(np.float32)
    mean, std = (0.1, 0.2, 0.3), (0.5, 0.25, 2.0)
    out = T.Normalize(mean, std)(_t(x))
    ref = (x - np.array(mean, np.float32)[:, None, None]) / np.array(std, np.float32)[:, None, None]
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-6, atol=1e-7)
    assert out.dtype == minitorch.float32


def test_normalize_batched_and_inplace():
    x = _t(_rng().random((2, 3, 2, 2)).astype(np.float64))
    before = x.numpy().copy()
    out = T.Normalize([0.5] * 3, [0.5] * 3)(x)
    np.testing.assert_array_equal(x.numpy(), before)  # not in place by default
    np.testing.assert_allclose(out.numpy(), (before - 0.5) / 0.5)
    same = T.Normalize([0.5] * 3, [0.5] * 3, inplace=True)(x)
    assert same is x
    np.testing.assert_allclose(x.numpy(), (before - 0.5) / 0.5)


def test_normalize_errors():
    with pytest.raises(TypeError, match="img should be Tensor Image"):
        T.Normalize((0.5,), (0.5,))(np.zeros((1, 2, 2), np.float32))
    with pytest.raises(TypeError, match="should be a float tensor"):
        T.Normalize((0.5,), (0.5,))(minitorch.zeros(1, 2, 2, dtype=minitorch.uint8))
    with pytest.raises(ValueError, match=r"\(\.\.\., C, H, W\)"):
        T.Normalize((0.5,), (0.5,))(minitorch.zeros(2, 2))
    with pytest.raises(ValueError, match="std evaluated to zero"):
        T.Normalize((0.5,), (0.0,))(minitorch.zeros(1, 2, 2))


# ----------------------------------------------------------------------------- Resize

def _bilinear_reference(img, out_h, out_w):
    """Bilinear resize (align_corners=False, no antialias), written pixel by pixel."""
    in_h, in_w = img.shape[-2:]
    out = np.zeros(img.shape[:-2] + (out_h, out_w))
    for i in range(out_h):
        y = max((i + 0.5) * in_h / out_h - 0.5, 0.0)
        y0 = int(np.floor(y))
        y1, dy = min(y0 + 1, in_h - 1), y - y0
        for j in range(out_w):
            x = max((j + 0.5) * in_w / out_w - 0.5, 0.0)
            x0 = int(np.floor(x))
            x1, dx = min(x0 + 1, in_w - 1), x - x0
            top = (1 - dx) * img[..., y0, x0] + dx * img[..., y0, x1]
            bottom = (1 - dx) * img[..., y1, x0] + dx * img[..., y1, x1]
            out[..., i, j] = (1 - dy) * top + dy * bottom
    return out


@pytest.mark.parametrize("in_hw,out_hw", [((7, 9), (3, 5)), ((5, 6), (11, 13)), ((8, 8), (8, 3))])
def test_resize_bilinear_no_antialias_matches_reference(in_hw, out_hw):
    x = _rng(1).random((3,) + in_hw).astype(np.float32)
    out = T.Resize(out_hw, antialias=False)(_t(x))
    assert tuple(out.shape) == (3,) + out_hw and out.dtype == minitorch.float32
    np.testing.assert_allclose(out.numpy(), _bilinear_reference(x.astype(np.float64), *out_hw), atol=1e-5)


def test_resize_int_size_matches_the_shorter_edge():
    assert tuple(T.Resize(10)(minitorch.rand(3, 20, 31)).shape) == (3, 10, 15)  # int(10 * 31 / 20) = 15
    assert tuple(T.Resize([10])(minitorch.rand(3, 31, 20)).shape) == (3, 15, 10)
    assert tuple(T.Resize(10, max_size=12)(minitorch.rand(1, 20, 40)).shape) == (1, 6, 12)


def test_resize_same_size_returns_input_and_batches_work():
    x = minitorch.rand(2, 3, 6, 6)
    assert T.Resize(6)(x) is x
    out = T.Resize((3, 4), antialias=False)(x)
    np.testing.assert_allclose(out.numpy(), _bilinear_reference(x.numpy().astype(np.float64), 3, 4), atol=1e-5)


def test_resize_uint8_tensor_rounds_back_to_uint8():
    x = _rng(2).integers(0, 256, size=(1, 5, 7), dtype=np.uint8)
    out = T.Resize((3, 4), antialias=False)(_t(x))
    assert out.dtype == minitorch.uint8
    ref = np.round(_bilinear_reference(x.astype(np.float32).astype(np.float64), 3, 4))
    assert np.abs(out.numpy().astype(np.int64) - ref).max() <= 1  # float32 round-off may flip a .5


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact", "bilinear", "bicubic"])
@pytest.mark.parametrize("antialias", [False, True])
def test_resize_matches_torch_interpolate(mode, antialias):
    torch = pytest.importorskip("torch")
    x = _rng(3).random((2, 3, 13, 17)).astype(np.float32)
    for size in [(5, 7), (20, 30), (13, 4)]:
        out = F.resize(_t(x), list(size), interpolation=T.InterpolationMode(mode), antialias=antialias)
        aa = antialias and mode in ("bilinear", "bicubic")
        kwargs = {"align_corners": False} if mode in ("bilinear", "bicubic") else {}
        ref = torch.nn.functional.interpolate(torch.from_numpy(x), size=size, mode=mode, antialias=aa, **kwargs)
        np.testing.assert_allclose(out.numpy(), ref.numpy(), atol=1e-5)


def test_resize_pil_image_uses_pillow():
    arr = _rng(4).integers(0, 256, size=(20, 30, 3), dtype=np.uint8)
    pic = Image.fromarray(arr)
    out = T.Resize(10)(pic)
    assert out.size == (15, 10)
    np.testing.assert_array_equal(np.asarray(out), np.asarray(pic.resize((15, 10), Image.BILINEAR)))
    near = T.Resize((4, 5), interpolation=T.InterpolationMode.NEAREST)(pic)
    np.testing.assert_array_equal(np.asarray(near), np.asarray(pic.resize((5, 4), Image.NEAREST)))


def test_resize_errors_and_repr():
    with pytest.raises(TypeError):
        T.Resize(4)(np.zeros((3, 8, 8), np.float32))
    with pytest.raises(ValueError, match="1 or 2 values"):
        T.Resize((1, 2, 3))
    with pytest.raises(TypeError, match="Size should be int or sequence"):
        T.Resize(2.5)
    assert repr(T.Resize(32)) == "Resize(size=32, interpolation=bilinear, max_size=None, antialias=True)"


# ----------------------------------------------------------------------------- crops

def test_center_crop_matches_numpy_slicing():
    x = np.arange(3 * 7 * 6, dtype=np.float32).reshape(3, 7, 6)
    out = T.CenterCrop((3, 2))(_t(x))
    top, left = int(round((7 - 3) / 2)), int(round((6 - 2) / 2))
    np.testing.assert_array_equal(out.numpy(), x[:, top:top + 3, left:left + 2])
    # Python's round(): (5 - 2) / 2 = 1.5 -> 2
    y = np.arange(25, dtype=np.float32).reshape(1, 5, 5)
    np.testing.assert_array_equal(T.CenterCrop(2)(_t(y)).numpy(), y[:, 2:4, 2:4])


def test_center_crop_larger_than_image_pads_with_zeros():
    x = np.ones((1, 2, 3), np.float32)
    out = T.CenterCrop((5, 4))(_t(x)).numpy()
    expected = np.zeros((1, 5, 4), np.float32)
    expected[:, 1:3, 0:3] = 1  # top pad (5-2)//2 = 1, left pad (4-3)//2 = 0; the odd pixel goes right/bottom
    np.testing.assert_array_equal(out, expected)


def test_center_crop_pil():
    arr = _rng().integers(0, 256, size=(7, 6, 3), dtype=np.uint8)
    out = T.CenterCrop(4)(Image.fromarray(arr))
    np.testing.assert_array_equal(np.asarray(out), arr[2:6, 1:5])


def test_random_crop_is_a_window_of_the_padded_image_and_seed_reproduces():
    x = _rng().random((3, 8, 8)).astype(np.float32)
    crop = T.RandomCrop(8, padding=2)
    padded = np.pad(x, ((0, 0), (2, 2), (2, 2)))
    minitorch.manual_seed(0)
    top = minitorch.randint(0, 5, size=(1,)).item()
    left = minitorch.randint(0, 5, size=(1,)).item()
    minitorch.manual_seed(0)
    out = crop(_t(x)).numpy()
    np.testing.assert_array_equal(out, padded[:, top:top + 8, left:left + 8])
    minitorch.manual_seed(0)
    np.testing.assert_array_equal(crop(_t(x)).numpy(), out)
    draws = {tuple(crop(_t(x)).numpy().ravel()[:3]) for _ in range(20)}
    assert len(draws) > 1  # the position really is random


def test_random_crop_padding_forms_and_modes():
    x = np.arange(12, dtype=np.float32).reshape(1, 3, 4)
    for padding, widths in [((1, 2), ((2, 2), (1, 1))), ((1, 2, 3, 4), ((2, 4), (1, 3)))]:
        for mode, np_mode in [("constant", "constant"), ("edge", "edge"), ("reflect", "reflect"),
                              ("symmetric", "symmetric")]:
            out = F.pad(_t(x), padding, padding_mode=mode).numpy()
            np.testing.assert_array_equal(out, np.pad(x, ((0, 0),) + widths, mode=np_mode))
    full = T.RandomCrop((7, 6), padding=(1, 2), fill=5.0)(_t(x)).numpy()
    np.testing.assert_array_equal(full, np.pad(x, ((0, 0), (2, 2), (1, 1)), constant_values=5.0))


def test_random_crop_pad_if_needed_and_errors():
    x = minitorch.ones(1, 3, 3)
    assert tuple(T.RandomCrop(5, pad_if_needed=True)(x).shape) == (1, 5, 5)
    with pytest.raises(ValueError, match=r"Required crop size \(5, 5\) is larger than input image size \(3, 3\)"):
        T.RandomCrop(5)(x)
    crop = T.RandomCrop(2, padding=1, padding_mode="wrap")  # torchvision checks the mode when it pads
    with pytest.raises(ValueError, match="Padding mode should be either"):
        crop(x)
    with pytest.raises(ValueError, match="Padding must be an int or a 1, 2, or 4 element tuple"):
        F.pad(x, (1, 2, 3))


def test_random_crop_pil():
    arr = _rng().integers(0, 256, size=(6, 6, 3), dtype=np.uint8)
    minitorch.manual_seed(3)
    out = T.RandomCrop(4, padding=1, fill=(10, 20, 30))(Image.fromarray(arr))
    assert out.size == (4, 4)
    padded = np.empty((8, 8, 3), np.uint8)
    padded[:] = (10, 20, 30)
    padded[1:7, 1:7] = arr
    got = np.asarray(out)
    windows = [padded[i:i + 4, j:j + 4] for i in range(5) for j in range(5)]
    assert any(np.array_equal(got, w) for w in windows)


def test_crop_outside_the_image_fills_zeros():
    x = np.arange(9, dtype=np.float32).reshape(1, 3, 3) + 1
    out = F.crop(_t(x), -1, 1, 3, 3).numpy()
    expected = np.zeros((1, 3, 3), np.float32)
    expected[:, 1:3, 0:2] = x[:, 0:2, 1:3]
    np.testing.assert_array_equal(out, expected)


def test_pad_negative_crops_and_fill_type():
    x = np.arange(16, dtype=np.float32).reshape(1, 4, 4)
    np.testing.assert_array_equal(F.pad(_t(x), [-1, 0, 1, 0]).numpy(), np.pad(x[:, :, 1:], ((0, 0), (0, 0), (0, 1))))
    with pytest.raises(TypeError, match="padding"):
        F.pad(_t(x), "1")


# ----------------------------------------------------------------------------- flips, Lambda, Compose

def test_random_horizontal_flip_follows_minitorch_rand():
    x = _t(np.arange(6, dtype=np.float32).reshape(1, 2, 3))
    flipped = x.numpy()[..., ::-1]
    minitorch.manual_seed(7)
    coins = [minitorch.rand(1).item() < 0.5 for _ in range(10)]
    minitorch.manual_seed(7)
    flip = T.RandomHorizontalFlip()
    for coin in coins:
        out = flip(x).numpy()
        np.testing.assert_array_equal(out, flipped if coin else x.numpy())
    assert any(coins) and not all(coins)
    np.testing.assert_array_equal(T.RandomHorizontalFlip(p=1.0)(x).numpy(), flipped)
    np.testing.assert_array_equal(T.RandomHorizontalFlip(p=0.0)(x).numpy(), x.numpy())


def test_flips_on_pil_and_vertical():
    arr = np.arange(6, dtype=np.uint8).reshape(2, 3)
    np.testing.assert_array_equal(np.asarray(T.RandomHorizontalFlip(1.0)(Image.fromarray(arr))), arr[:, ::-1])
    np.testing.assert_array_equal(np.asarray(T.RandomVerticalFlip(1.0)(Image.fromarray(arr))), arr[::-1])
    np.testing.assert_array_equal(T.RandomVerticalFlip(1.0)(_t(arr[None])).numpy(), arr[None, ::-1])
    with pytest.raises(TypeError, match="PIL Image or Tensor"):
        F.hflip(arr)


def test_lambda_and_compose():
    with pytest.raises(TypeError, match="Argument lambd should be callable, got 'int'"):
        T.Lambda(3)
    pipeline = T.Compose([T.ToTensor(), T.Lambda(lambda t: t * 2), T.Normalize((1.0,), (0.5,))])
    out = pipeline(np.full((2, 2), 255, np.uint8))
    np.testing.assert_allclose(out.numpy(), np.full((1, 2, 2), 2.0))
    assert repr(T.Compose([T.ToTensor(), T.RandomHorizontalFlip()])) == (
        "Compose(\n    ToTensor()\n    RandomHorizontalFlip(p=0.5)\n)")


def test_augmentation_pipeline_reproducible_with_manual_seed():
    pipeline = T.Compose([T.RandomCrop(6, padding=2), T.RandomHorizontalFlip(), T.RandomVerticalFlip()])
    x = minitorch.rand(2, 6, 6)
    minitorch.manual_seed(123)
    first = [pipeline(x).numpy() for _ in range(5)]
    minitorch.manual_seed(123)
    second = [pipeline(x).numpy() for _ in range(5)]
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


# ----------------------------------------------------------------------------- edge cases vs torchvision's rules

def test_crop_sizes_follow_torchvisions_setup_size():
    # A number becomes (n, n) truncated to ints; a 1-sequence [n] is (n, n); a 2-sequence is kept as given,
    # so CenterCrop shows a list as a list while RandomCrop always stores a tuple.
    assert repr(T.CenterCrop(10)) == "CenterCrop(size=(10, 10))"
    assert repr(T.CenterCrop([5, 6])) == "CenterCrop(size=[5, 6])"
    assert T.CenterCrop(3.7).size == (3, 3) and T.CenterCrop([4]).size == (4, 4)
    assert repr(T.RandomCrop([5, 6])) == "RandomCrop(size=(5, 6), padding=None)"
    with pytest.raises(ValueError, match=r"^Please provide only two dimensions \(h, w\) for size\.$"):
        T.CenterCrop((1, 2, 3))


def test_pad_transform_modes_repr_and_errors():
    img = minitorch.arange(12.0).view(1, 3, 4)
    x = img.numpy()
    np.testing.assert_array_equal(T.Pad(1, padding_mode="reflect")(img).numpy(),
                                  np.pad(x, ((0, 0), (1, 1), (1, 1)), mode="reflect"))
    np.testing.assert_array_equal(T.Pad((2, 1), padding_mode="symmetric")(img).numpy(),
                                  np.pad(x, ((0, 0), (1, 1), (2, 2)), mode="symmetric"))
    np.testing.assert_array_equal(T.Pad([1, 0, 2, 1], fill=-1)(img).numpy(),
                                  np.pad(x, ((0, 0), (0, 1), (1, 2)), constant_values=-1))
    assert T.Pad(1, padding_mode="edge")(img)[0, 0].tolist() == [0.0, 0.0, 1.0, 2.0, 3.0, 3.0]
    assert repr(T.Pad([1, 2], fill=1, padding_mode="edge")) == "Pad(padding=[1, 2], fill=1, padding_mode=edge)"
    with pytest.raises(ValueError, match="Padding must be an int or a 1, 2, or 4 element tuple, not a 3 element tuple"):
        T.Pad((1, 2, 3))
    with pytest.raises(TypeError, match="Got inappropriate padding arg"):
        T.Pad("1")
    with pytest.raises(ValueError, match="Padding mode should be either constant, edge, reflect or symmetric"):
        T.Pad(1, padding_mode="wrap")


def test_resize_size_and_interpolation_arguments():
    x = minitorch.rand(1, 4, 6)
    with pytest.raises(ValueError, match="Size must be an int or a 1 or 2 element tuple/list, not a 3 element"):
        F.resize(x, (1, 2, 3))
    with pytest.raises(ValueError, match=r"the smaller edge size = \[3\]"):
        F.resize(x, 3, max_size=3)
    # Pillow's integer constants name the modes too (3 is PIL.Image.BICUBIC).
    resize = T.Resize([2], interpolation=3)
    assert resize.interpolation is T.InterpolationMode.BICUBIC
    assert repr(resize) == "Resize(size=[2], interpolation=bicubic, max_size=None, antialias=True)"
    assert tuple(resize(x).shape) == (1, 2, 3)
    with pytest.raises(TypeError, match="Argument interpolation should be a InterpolationMode"):
        F.resize(x, 2, interpolation=1.5)


def test_normalize_rejects_non_images_like_torchvision():
    with pytest.raises(TypeError, match="Tensor is not a torch image"):
        T.Normalize([0.5], [0.5])(minitorch.rand(5))
    with pytest.raises(ValueError, match=r"Got tensor.size\(\) = minitorch.Size\(\[4, 5\]\)"):
        T.Normalize([0.5], [0.5])(minitorch.rand(4, 5))
    x = minitorch.rand(2, 3, 3)
    assert T.Normalize([0.5, 0.5], [0.5, 0.5], inplace=True)(x) is x


def test_to_tensor_follows_the_default_dtype_and_pil_to_tensor_keeps_numpys_dtype():
    arr = np.full((2, 2), 51, np.uint8)
    previous = minitorch.get_default_dtype()
    minitorch.set_default_dtype(minitorch.float64)
    try:
        out = T.ToTensor()(arr)
    finally:
        minitorch.set_default_dtype(previous)
    assert out.dtype == minitorch.float64 and out.tolist() == [[[0.2, 0.2], [0.2, 0.2]]]
    bits = T.PILToTensor()(Image.fromarray(np.eye(2, dtype=bool)))  # mode "1": np.array gives bools
    assert bits.dtype == minitorch.bool and bits.tolist() == [[[True, False], [False, True]]]
    with pytest.raises(TypeError, match="can't convert np.ndarray of type uint16"):
        T.ToTensor()(np.zeros((2, 2), np.uint16))
