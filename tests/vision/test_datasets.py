"""minitorch.vision.datasets on small files written here in the real formats (IDX, CIFAR pickles, PNGs).

No internet: downloads are tested against file:// mirrors and a local http.server.
"""

import functools
import gzip
import hashlib
import http.server
import io
import os
import pickle
import struct
import tarfile
import threading

import numpy as np
import pytest

import minitorch
from minitorch.vision import _pil, datasets, transforms
from minitorch.vision.datasets import utils as dutils

Image = pytest.importorskip("PIL.Image")


# ----------------------------------------------------------------------------- helpers

def idx_bytes(arr: np.ndarray) -> bytes:
    """An IDX file: 0, 0, type code, ndim, big-endian sizes, big-endian data."""
    code = {np.uint8: 0x08, np.int8: 0x09, np.int16: 0x0B, np.int32: 0x0C, np.float32: 0x0D}[arr.dtype.type]
    header = struct.pack(">BBBB", 0, 0, code, arr.ndim) + struct.pack(f">{arr.ndim}I", *arr.shape)
    return header + arr.astype(arr.dtype.newbyteorder(">")).tobytes()


def write_mnist(raw: str, n_train=5, n_test=3, gz=False, seed=0):
    os.makedirs(raw, exist_ok=True)
    rng = np.random.default_rng(seed)
    arrays = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, size=n).astype(np.uint8)
        arrays[prefix] = (images, labels)
        for kind, arr in (("images-idx3", images), ("labels-idx1", labels)):
            data = idx_bytes(arr)
            name = os.path.join(raw, f"{prefix}-{kind}-ubyte")
            with open(name + ".gz" if gz else name, "wb") as f:
                f.write(gzip.compress(data) if gz else data)
    return arrays


def md5(path):
    return hashlib.md5(open(path, "rb").read()).hexdigest()


def cifar_batch(n, seed, str_keys=False):
    rng = np.random.default_rng(seed)
    data = rng.integers(0, 256, size=(n, 3072), dtype=np.uint8)
    labels = [int(v) for v in rng.integers(0, 10, size=n)]
    batch = {b"batch_label": b"batch", b"labels": labels, b"data": data, b"filenames": [b"x.png"] * n}
    if str_keys:  # like the original files once read with encoding="latin1"
        batch = {k.decode(): v for k, v in batch.items()}
    return batch


def write_cifar(root, n=4, str_keys=False):
    folder = os.path.join(root, "cifar-10-batches-py")
    os.makedirs(folder, exist_ok=True)
    batches = {}
    for i, name in enumerate([f"data_batch_{k}" for k in range(1, 6)] + ["test_batch"]):
        batches[name] = cifar_batch(n, i, str_keys)
        with open(os.path.join(folder, name), "wb") as f:
            pickle.dump(batches[name], f, protocol=2)
    names = [b"airplane", b"automobile", b"bird", b"cat", b"deer", b"dog", b"frog", b"horse", b"ship", b"truck"]
    with open(os.path.join(folder, "batches.meta"), "wb") as f:
        pickle.dump({b"label_names": names, b"num_vis": 3072}, f, protocol=2)
    return batches


# ----------------------------------------------------------------------------- MNIST / FashionMNIST

@pytest.mark.parametrize("gz", [False, True])
def test_mnist_reads_idx_files(tmp_path, gz):
    arrays = write_mnist(str(tmp_path / "MNIST" / "raw"), gz=gz)
    train = datasets.MNIST(str(tmp_path), train=True)
    test = datasets.MNIST(str(tmp_path), train=False)
    assert len(train) == 5 and len(test) == 3
    assert train.data.dtype == minitorch.uint8 and tuple(train.data.shape) == (5, 28, 28)
    assert train.targets.dtype == minitorch.int64
    np.testing.assert_array_equal(train.data.numpy(), arrays["train"][0])
    np.testing.assert_array_equal(test.targets.numpy(), arrays["t10k"][1])
    img, label = train[1]
    assert isinstance(img, Image.Image) and img.mode == "L" and img.size == (28, 28)
    np.testing.assert_array_equal(np.asarray(img), arrays["train"][0][1])
    assert label == int(arrays["train"][1][1]) and type(label) is int
    assert train.classes[3] == "3 - three" and train.class_to_idx["9 - nine"] == 9
    assert "Split: Train" in repr(train)


def test_mnist_transforms_and_no_pillow(tmp_path, monkeypatch):
    arrays = write_mnist(str(tmp_path / "MNIST" / "raw"))
    ds = datasets.MNIST(str(tmp_path), transform=transforms.ToTensor(), target_transform=lambda y: y + 100)
    img, label = ds[0]
    assert tuple(img.shape) == (1, 28, 28) and img.dtype == minitorch.float32
    np.testing.assert_allclose(img.numpy()[0], arrays["train"][0][0] / 255.0, rtol=1e-6)
    assert label == int(arrays["train"][1][0]) + 100
    monkeypatch.setattr(_pil, "Image", None)
    raw, _ = datasets.MNIST(str(tmp_path))[0]
    assert isinstance(raw, np.ndarray) and raw.dtype == np.uint8 and raw.shape == (28, 28)


def test_fashion_mnist_uses_its_own_folder_and_classes(tmp_path):
    write_mnist(str(tmp_path / "FashionMNIST" / "raw"), gz=True)
    ds = datasets.FashionMNIST(str(tmp_path), train=False)
    assert len(ds) == 3 and ds.classes[0] == "T-shirt/top" and ds.classes[9] == "Ankle boot"
    with pytest.raises(RuntimeError, match="MNIST"):
        datasets.MNIST(str(tmp_path))


def test_missing_files_say_where_and_what(tmp_path):
    with pytest.raises(RuntimeError) as info:
        datasets.MNIST(str(tmp_path))
    message = str(info.value)
    assert "Dataset not found at " + str(tmp_path / "MNIST" / "raw") in message
    assert "train-images-idx3-ubyte" in message and "train-labels-idx1-ubyte" in message
    assert "download=True" in message
    with pytest.raises(RuntimeError, match=r"Dataset not found at .*cifar-10-batches-py.*data_batch_1"):
        datasets.CIFAR10(str(tmp_path))


def test_corrupt_idx_files_raise_clear_errors(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    write_mnist(str(raw))
    images = raw / "train-images-idx3-ubyte"
    good = images.read_bytes()
    images.write_bytes(b"\x12\x34" + good[2:])
    with pytest.raises(RuntimeError, match="Corrupt IDX file .*train-images-idx3-ubyte: bad magic number 1234"):
        datasets.MNIST(str(tmp_path))
    images.write_bytes(good[:-10])
    with pytest.raises(RuntimeError, match="Corrupt IDX file .*train-images-idx3-ubyte.*truncated"):
        datasets.MNIST(str(tmp_path))
    images.write_bytes(good[:10])
    with pytest.raises(RuntimeError, match="truncated header"):
        datasets.MNIST(str(tmp_path))
    images.write_bytes(good)
    (raw / "train-labels-idx1-ubyte").write_bytes(idx_bytes(np.zeros(4, np.uint8)))
    with pytest.raises(RuntimeError, match="5 images but .* 4 labels"):
        datasets.MNIST(str(tmp_path))


def test_truncated_gzip_raises_clear_error(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    write_mnist(str(raw), gz=True)
    path = raw / "t10k-labels-idx1-ubyte.gz"
    path.write_bytes(path.read_bytes()[:15])
    with pytest.raises(RuntimeError, match="Corrupt IDX file .*t10k-labels-idx1-ubyte.gz"):
        datasets.MNIST(str(tmp_path), train=False)


# ----------------------------------------------------------------------------- downloads

def make_mirror(tmp_path):
    """A folder holding the four gzipped MNIST files, and the resources list (name, md5) for it."""
    mirror = tmp_path / "mirror"
    arrays = write_mnist(str(mirror), gz=True)
    resources = [(name, md5(mirror / name)) for name in
                 ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                  "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]]
    return mirror, resources, arrays


def test_mnist_download_from_file_mirror_checks_md5_and_extracts(tmp_path, monkeypatch):
    mirror, resources, arrays = make_mirror(tmp_path)
    missing = (tmp_path / "nowhere").as_uri() + "/"
    monkeypatch.setattr(datasets.MNIST, "mirrors", [missing, mirror.as_uri() + "/"])  # first mirror fails
    monkeypatch.setattr(datasets.MNIST, "resources", resources)
    root = tmp_path / "root"
    ds = datasets.MNIST(str(root), train=True, download=True)
    np.testing.assert_array_equal(ds.data.numpy(), arrays["train"][0])
    raw = root / "MNIST" / "raw"
    assert (raw / "train-images-idx3-ubyte").is_file() and (raw / "t10k-labels-idx1-ubyte.gz").is_file()
    assert not list(raw.glob("*.part"))
    datasets.MNIST(str(root), train=False, download=True)  # already there: nothing to do


def test_download_md5_mismatch_is_an_error_and_leaves_no_file(tmp_path, monkeypatch):
    mirror, resources, _ = make_mirror(tmp_path)
    resources[0] = (resources[0][0], "0" * 32)
    monkeypatch.setattr(datasets.MNIST, "mirrors", [mirror.as_uri() + "/"])
    monkeypatch.setattr(datasets.MNIST, "resources", resources)
    pattern = "train-images-idx3-ubyte.gz .* MD5 checksum is [0-9a-f]{32}, expected 0{32}"
    with pytest.raises(RuntimeError, match=pattern):
        datasets.MNIST(str(tmp_path / "root"), download=True)
    assert not list((tmp_path / "root" / "MNIST" / "raw").iterdir())


def test_download_fails_when_no_mirror_has_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets.MNIST, "mirrors", [(tmp_path / "nowhere").as_uri() + "/"])
    with pytest.raises(RuntimeError, match="Error downloading train-images-idx3-ubyte.gz"):
        datasets.MNIST(str(tmp_path / "root"), download=True)


def test_download_url_from_local_http_server(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    payload = os.urandom(3000)
    (served / "blob.bin").write_bytes(payload)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/blob.bin"
        path = dutils.download_url(url, str(tmp_path / "out"), md5=hashlib.md5(payload).hexdigest())
        assert open(path, "rb").read() == payload
        with pytest.raises(RuntimeError, match="corrupted"):
            dutils.download_url(url, str(tmp_path / "out2"), md5="f" * 32)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_cifar_download_from_file_url_extracts_the_archive(tmp_path, monkeypatch):
    source = tmp_path / "source"
    batches = write_cifar(str(source))
    archive = tmp_path / "cifar-10-python.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(source / "cifar-10-batches-py", arcname="cifar-10-batches-py")
    monkeypatch.setattr(datasets.CIFAR10, "url", archive.as_uri())
    monkeypatch.setattr(datasets.CIFAR10, "tgz_md5", md5(archive))
    ds = datasets.CIFAR10(str(tmp_path / "root"), train=False, download=True)
    assert ds.targets == batches["test_batch"][b"labels"]


def test_extract_refuses_paths_outside_the_target(tmp_path):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("../escaped.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    (tmp_path / "out").mkdir()
    with pytest.raises((tarfile.TarError, RuntimeError)):
        dutils.extract_archive(str(archive), str(tmp_path / "out"))
    assert not (tmp_path / "escaped.txt").exists()


# ----------------------------------------------------------------------------- CIFAR10

@pytest.mark.parametrize("str_keys", [False, True])
def test_cifar10_reads_python_batches(tmp_path, str_keys):
    batches = write_cifar(str(tmp_path), n=4, str_keys=str_keys)
    train = datasets.CIFAR10(str(tmp_path), train=True)
    test = datasets.CIFAR10(str(tmp_path), train=False)
    assert len(train) == 20 and len(test) == 4
    key = "data" if str_keys else b"data"
    expected = np.vstack([batches[f"data_batch_{k}"][key] for k in range(1, 6)]).reshape(-1, 3, 32, 32)
    assert train.data.shape == (20, 32, 32, 3) and train.data.dtype == np.uint8
    np.testing.assert_array_equal(train.data, expected.transpose(0, 2, 3, 1))
    labels_key = "labels" if str_keys else b"labels"
    assert train.targets == sum((batches[f"data_batch_{k}"][labels_key] for k in range(1, 6)), [])
    assert train.classes[1] == "automobile" and train.class_to_idx["truck"] == 9
    img, label = test[2]
    assert isinstance(img, Image.Image) and img.mode == "RGB" and img.size == (32, 32)
    test_planes = batches["test_batch"][key].reshape(-1, 3, 32, 32)
    np.testing.assert_array_equal(np.asarray(img), test_planes[2].transpose(1, 2, 0))
    # channel planes: pixel (0, 0) of image 2 is (R, G, B) = data[2][0], data[2][1024], data[2][2048]
    raw = batches["test_batch"][key][2]
    assert tuple(np.asarray(img)[0, 0]) == (raw[0], raw[1024], raw[2048])
    assert label == batches["test_batch"][labels_key][2]
    tensor_img, _ = datasets.CIFAR10(str(tmp_path), train=False, transform=transforms.ToTensor())[2]
    assert tuple(tensor_img.shape) == (3, 32, 32)


class _Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_malicious_cifar_pickle_is_refused_and_runs_nothing(tmp_path):
    write_cifar(str(tmp_path))
    marker = tmp_path / "pwned"
    path = tmp_path / "cifar-10-batches-py" / "test_batch"
    with open(path, "wb") as f:
        pickle.dump({b"data": _Evil(marker), b"labels": []}, f, protocol=2)
    with pytest.raises(RuntimeError, match=r"unsafe CIFAR file .*test_batch.*(posix|os)\.system.*not allowed"):
        datasets.CIFAR10(str(tmp_path), train=False)
    assert not marker.exists()
    with open(path, "wb") as f:  # any other callable too, e.g. builtins.eval
        f.write(b"cbuiltins\neval\n(Vprint(1)\ntR.")
    with pytest.raises(RuntimeError, match="builtins.eval"):
        datasets.CIFAR10(str(tmp_path), train=False)


def test_corrupt_cifar_files_raise_clear_errors(tmp_path):
    write_cifar(str(tmp_path))
    path = tmp_path / "cifar-10-batches-py" / "test_batch"
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(RuntimeError, match="CIFAR file .*test_batch"):
        datasets.CIFAR10(str(tmp_path), train=False)
    with open(path, "wb") as f:
        pickle.dump({b"data": np.zeros((2, 100), np.uint8), b"labels": [0, 1]}, f, protocol=2)
    pattern = r"Corrupt CIFAR file .*test_batch: expected uint8 data of shape \(N, 3072\)"
    with pytest.raises(RuntimeError, match=pattern):
        datasets.CIFAR10(str(tmp_path), train=False)
    with open(path, "wb") as f:
        pickle.dump({b"labels": [0, 1]}, f, protocol=2)
    with pytest.raises(RuntimeError, match="no 'data' entry"):
        datasets.CIFAR10(str(tmp_path), train=False)


# ----------------------------------------------------------------------------- ImageFolder

def write_folder(root):
    rng = np.random.default_rng(0)
    files = {"dog": ["b.png", "a.png"], "cat": ["z.png", "sub/y.png"], "bird": ["c.PNG"]}
    for cls, names in files.items():
        for name in names:
            path = root / cls / name
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(rng.integers(0, 256, size=(4, 5, 3), dtype=np.uint8)).save(path)
    (root / "cat" / "notes.txt").write_text("not an image")
    (root / "stray.png").write_bytes(b"")  # a file at the top level is not a class


def test_image_folder_classes_samples_and_items(tmp_path):
    write_folder(tmp_path)
    ds = datasets.ImageFolder(str(tmp_path))
    assert ds.classes == ["bird", "cat", "dog"]
    assert ds.class_to_idx == {"bird": 0, "cat": 1, "dog": 2}
    rel = [(os.path.relpath(p, tmp_path), t) for p, t in ds.samples]
    assert rel == [("bird/c.PNG", 0), ("cat/z.png", 1), ("cat/sub/y.png", 1), ("dog/a.png", 2), ("dog/b.png", 2)]
    assert ds.targets == [0, 1, 1, 2, 2] and ds.imgs == ds.samples and len(ds) == 5
    img, label = ds[3]
    assert isinstance(img, Image.Image) and img.mode == "RGB" and img.size == (5, 4) and label == 2
    t_ds = datasets.ImageFolder(str(tmp_path), transform=transforms.ToTensor(), target_transform=str)
    x, y = t_ds[0]
    assert tuple(x.shape) == (3, 4, 5) and y == "0"


def test_image_folder_is_valid_file_loader_and_errors(tmp_path, monkeypatch):
    write_folder(tmp_path)
    ds = datasets.ImageFolder(str(tmp_path), loader=lambda p: p, is_valid_file=lambda p: p.endswith(".txt"),
                              allow_empty=True)
    assert [os.path.basename(p) for p, _ in ds.samples] == ["notes.txt"] and ds[0][0].endswith("notes.txt")
    with pytest.raises(FileNotFoundError, match="Found no valid file for the classes bird, dog"):
        datasets.ImageFolder(str(tmp_path), is_valid_file=lambda p: p.endswith(".txt"))
    with pytest.raises(FileNotFoundError, match="Couldn't find any class folder"):
        datasets.ImageFolder(str(tmp_path / "bird"))
    monkeypatch.setattr(_pil, "Image", None)
    with pytest.raises(ImportError, match="Pillow"):
        datasets.ImageFolder(str(tmp_path))
    assert len(datasets.ImageFolder(str(tmp_path), loader=open)) == 5  # a custom loader needs no Pillow


# ----------------------------------------------------------------------------- Digits

def test_digits_counts_shapes_and_values():
    all_digits = datasets.Digits(train=None)
    train, test = datasets.Digits(train=True), datasets.Digits(train=False)
    assert len(all_digits) == 1797 and len(train) == 1438 and len(test) == 359
    assert tuple(all_digits.data.shape) == (1797, 1, 8, 8) and all_digits.data.dtype == minitorch.float32
    assert all_digits.targets.dtype == minitorch.int64
    img, label = train[0]
    assert tuple(img.shape) == (1, 8, 8) and img.dtype == minitorch.float32 and type(label) is int
    data = all_digits.data.numpy()
    assert data.min() == 0.0 and data.max() == 1.0
    assert np.all(np.isin(np.round(data * 16), np.arange(17))) and np.allclose(np.round(data * 16), data * 16)
    counts = np.bincount(all_digits.targets.numpy(), minlength=10)
    assert counts.tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    # the first image of the UCI file is a zero
    assert all_digits[0][1] == 0 and all_digits[0][0].numpy()[0, 0].tolist() == [0, 0, 5 / 16, 13 / 16, 9 / 16,
                                                                                    1 / 16, 0, 0]


def test_digits_split_is_stratified_disjoint_and_deterministic():
    all_digits = datasets.Digits(train=None)
    train, test = datasets.Digits(train=True), datasets.Digits(train=False)
    rows = {row.tobytes(): n for n, row in enumerate(all_digits.data.numpy().reshape(1797, -1))}
    both = np.concatenate([train.data.numpy(), test.data.numpy()]).reshape(1797, -1)
    assert np.array_equal(np.sort(both, axis=0), np.sort(all_digits.data.numpy().reshape(1797, -1), axis=0))
    assert len(rows) > 1700  # (almost) all images are distinct, so the comparison above means something
    train_counts = np.bincount(train.targets.numpy(), minlength=10)
    all_counts = np.bincount(all_digits.targets.numpy(), minlength=10)
    np.testing.assert_array_equal(train_counts, np.round(0.8 * all_counts))
    minitorch.manual_seed(999)
    again = datasets.Digits(train=True)
    np.testing.assert_array_equal(again.data.numpy(), train.data.numpy())


def test_digits_transforms_and_item_independence():
    ds = datasets.Digits(transform=transforms.Normalize((0.5,), (0.5,)), target_transform=lambda y: -y)
    img, label = ds[5]
    raw = datasets.Digits()
    np.testing.assert_allclose(img.numpy(), (raw[5][0].numpy() - 0.5) / 0.5)
    assert label == -raw[5][1]
    item, _ = raw[0]
    item.mul_(0)
    assert raw[0][0].numpy().sum() > 0  # items are copies
    with pytest.raises(TypeError, match="train must be True, False or None"):
        datasets.Digits("data")


# ----------------------------------------------------------------------------- toy sets

@pytest.mark.parametrize("cls,kwargs,n_classes", [
    (datasets.Spirals, {"n_samples": 301, "n_classes": 3}, 3),
    (datasets.Moons, {"n_samples": 101}, 2),
    (datasets.Blobs, {"n_samples": 100, "n_classes": 4}, 4),
])
def test_toy_datasets_shapes_labels_and_seed(cls, kwargs, n_classes):
    ds = cls(**kwargs, seed=0)
    n = kwargs["n_samples"]
    assert len(ds) == n and tuple(ds.data.shape) == (n, 2) and ds.data.dtype == minitorch.float32
    assert ds.targets.dtype == minitorch.int64
    counts = np.bincount(ds.targets.numpy(), minlength=n_classes)
    assert counts.max() - counts.min() <= 1 and len(counts) == n_classes
    x, y = ds[7]
    assert tuple(x.shape) == (2,) and type(y) is int
    np.testing.assert_array_equal(x.numpy(), ds.data.numpy()[7])
    np.testing.assert_array_equal(cls(**kwargs, seed=0).data.numpy(), ds.data.numpy())
    assert not np.array_equal(cls(**kwargs, seed=1).data.numpy(), ds.data.numpy())
    assert 0 < ds.targets.numpy()[: n // 2].mean() < n_classes - 1  # shuffled: classes mixed


def test_moons_and_spirals_geometry_without_noise():
    moons = datasets.Moons(n_samples=50, noise=0.0)
    x, y = moons.data.numpy().astype(np.float64), moons.targets.numpy()
    np.testing.assert_allclose(np.hypot(x[y == 0, 0], x[y == 0, 1]), 1.0, atol=1e-6)
    np.testing.assert_allclose(np.hypot(x[y == 1, 0] - 1, x[y == 1, 1] - 0.5), 1.0, atol=1e-6)
    spirals = datasets.Spirals(n_samples=40, n_classes=2, noise=0.0)
    r = np.hypot(*spirals.data.numpy().T)
    assert r.max() <= 1.0 + 1e-6 and r.min() < 1e-6


def test_blobs_with_given_centers():
    centers = [[0.0, 0.0], [100.0, 100.0]]
    ds = datasets.Blobs(n_samples=40, centers=centers, cluster_std=0.5)
    x, y = ds.data.numpy(), ds.targets.numpy()
    np.testing.assert_allclose(x[y == 1].mean(0), [100, 100], atol=0.5)
    assert np.abs(x[y == 0]).max() < 3


# ----------------------------------------------------------------------------- with the DataLoader

def test_datasets_are_utils_data_datasets_and_load_in_batches():
    from minitorch.utils.data import DataLoader, Dataset

    ds = datasets.Digits(train=False)
    assert isinstance(ds, Dataset) and isinstance(datasets.Moons(), Dataset)
    loader = DataLoader(ds, batch_size=100, shuffle=False)
    batches = list(loader)
    assert [tuple(x.shape) for x, _ in batches] == [(100, 1, 8, 8)] * 3 + [(59, 1, 8, 8)]
    np.testing.assert_array_equal(np.concatenate([y.numpy() for _, y in batches]), ds.targets.numpy())
    np.testing.assert_array_equal(batches[1][0].numpy(), ds.data.numpy()[100:200])


def test_digits_with_worker_processes():
    from minitorch.utils.data import DataLoader

    ds = datasets.Digits(train=False)
    loader = DataLoader(ds, batch_size=64, num_workers=2)
    labels = np.concatenate([y.numpy() for _, y in loader])
    np.testing.assert_array_equal(labels, ds.targets.numpy())


def test_repr_prints_standard_transform_like_torchvision():
    ds = datasets.Moons(n_samples=10, transform=transforms.Compose([transforms.ToTensor()]),
                        target_transform=transforms.Lambda(lambda y: y))
    # torchvision indents only the first line of the StandardTransform block.
    assert repr(ds).endswith("\n    StandardTransform\nTransform: Compose(\n               ToTensor()\n"
                             "           )\nTarget transform: Lambda()")
    assert "StandardTransform" not in repr(datasets.Moons(n_samples=10))


def test_vision_dataset_transforms_argument():
    both = datasets.VisionDataset("root", transforms=lambda x, y: (x + 1, y * 2))
    assert both.transforms(1, 2) == (2, 4) and both.transform is None
    with pytest.raises(ValueError, match="Only transforms or transform/target_transform can be passed as argument"):
        datasets.VisionDataset("root", transforms=lambda x, y: (x, y), transform=lambda x: x)
    separate = datasets.VisionDataset("root", transform=lambda x: -x)
    assert separate.transforms(3, "t") == (-3, "t")
