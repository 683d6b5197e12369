"""DataLoader benchmark: minitorch vs PyTorch on the same data.

One epoch over 60,000 x 784 float32 samples (MNIST-sized), batch 128,
shuffled, with 0 and 2 worker processes:

* ``tensor``: ``TensorDataset`` (``__getitem__`` is two row lookups: the
  loader's own overhead dominates);
* ``transform``: ``__getitem__`` does real work on each sample (pad, random
  crop, random flip, 3x3 blur, normalise; the same NumPy code for both
  libraries), which is where worker processes pay off.

Prints the median epoch time of each case and the ratio minitorch / PyTorch.

    python benchmarks/bench_dataloader.py            # 5 epochs per case
    python benchmarks/bench_dataloader.py --repeats 3 --n 20000
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import minitorch
import minitorch.utils.data as mdata

try:
    import torch
    import torch.utils.data as tdata
except ImportError:  # the table then has minitorch's column only
    torch = tdata = None


class TransformDataset:
    """28x28 images augmented in ``__getitem__`` with NumPy; ``lib`` turns the result into its tensor type."""

    def __init__(self, images: np.ndarray, labels: np.ndarray, lib) -> None:
        self.images = images.reshape(-1, 28, 28)
        self.labels = labels
        self.lib = lib

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i):
        rng = np.random  # seeded per worker by both DataLoaders
        img = np.pad(self.images[i], 2)  # 32x32
        top, left = rng.randint(0, 5, size=2)
        img = img[top:top + 28, left:left + 28]
        if rng.rand() < 0.5:
            img = img[:, ::-1]
        padded = np.pad(img, 1, mode="edge")
        blur = sum(padded[dy:dy + 28, dx:dx + 28] for dy in range(3) for dx in range(3)) / 9.0
        out = ((blur - 0.1307) / 0.3081).astype(np.float32)
        return self.lib.from_numpy(out[None]), int(self.labels[i])


def _as_dataset(cls_base, obj):
    """Make ``obj`` an instance of the library's Dataset class (both loaders accept any indexable, but be fair)."""
    return type("Transform", (TransformDataset, cls_base), {})(obj.images, obj.labels, obj.lib)


def epoch_seconds(loader_cls, dataset, workers: int) -> float:
    loader = loader_cls(dataset, batch_size=128, shuffle=True, num_workers=workers)
    start = time.perf_counter()
    n = 0
    for batch in loader:
        n += batch[0].shape[0]
    elapsed = time.perf_counter() - start
    assert n == len(dataset), (n, len(dataset))
    return elapsed


def median_times(ours, theirs, workers: int, repeats: int) -> tuple[float, float]:
    """Median epoch time of each loader; epochs alternate between the two so that load changes hit both."""
    mt, th = [], []
    for r in range(repeats + 1):  # the first round warms up (imports, page faults) and is not counted
        t_mt = epoch_seconds(mdata.DataLoader, ours, workers)
        t_th = epoch_seconds(tdata.DataLoader, theirs, workers) if theirs is not None else float("nan")
        if r:
            mt.append(t_mt)
            th.append(t_th)
    return statistics.median(mt), statistics.median(th)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=60_000, help="number of samples (default 60000)")
    parser.add_argument("--repeats", type=int, default=5, help="timed epochs per case (median reported)")
    parser.add_argument("--torch-threads", type=int, default=1,
                        help="torch.set_num_threads (default 1: on 2 cores PyTorch's stack is fastest single-threaded)")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    x = rng.random((args.n, 784), dtype=np.float32)
    y = rng.integers(0, 10, args.n)
    minitorch.manual_seed(0)
    cases = {
        "tensor": (mdata.TensorDataset(minitorch.from_numpy(x), minitorch.from_numpy(y)),
                   tdata and tdata.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))),
        "transform": (_as_dataset(mdata.Dataset, TransformDataset(x, y, minitorch)),
                      tdata and _as_dataset(tdata.Dataset, TransformDataset(x, y, torch))),
    }
    if torch is not None:
        torch.manual_seed(0)
        torch.set_num_threads(args.torch_threads)

    threads = torch.get_num_threads() if torch is not None else "-"
    print(f"One epoch, {args.n} x 784 float32, batch 128, shuffled; median of {args.repeats} epochs (seconds); "
          f"torch {getattr(torch, '__version__', 'absent')} with {threads} intra-op thread(s)\n")
    print(f"{'dataset':<10} {'workers':>7} {'minitorch':>10} {'torch':>8} {'mt/torch':>9} {'speed-up vs 0 workers':>22}")
    for name, (ours, theirs) in cases.items():
        base = None
        for workers in (0, 2):
            mt, th = median_times(ours, theirs, workers, args.repeats)
            base = base or mt
            speedup = f"{base / mt:.2f}x" if workers else ""
            print(f"{name:<10} {workers:>7} {mt:>10.3f} {th:>8.3f} {mt / th:>8.2f}x {speedup:>22}")


if __name__ == "__main__":
    main()
