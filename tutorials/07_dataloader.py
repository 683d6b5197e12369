# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     name: python3
# ---

# %% [markdown]
# # 7. How the DataLoader works
#
# A training loop wants batches: `for images, labels in loader:`. The
# `DataLoader` makes them out of three parts, each replaceable:
#
# 1. a **Dataset** says how many samples there are and how to get sample i;
# 2. a **sampler** says which indices to take, in which order;
# 3. a **collate function** puts a list of samples together into a batch.
#
# With `num_workers > 0`, worker *processes* fetch and collate batches in
# the background while the main process trains. This tutorial builds each
# part by hand and ends with a timeline of which worker made which batch.

# %%
import time

from _setup import FAST, OUT, plt  # fast mode, the picture folder, matplotlib if installed

import minitorch
from minitorch.utils.data import (
    BatchSampler,
    DataLoader,
    Dataset,
    RandomSampler,
    SequentialSampler,
    SubsetRandomSampler,
    default_collate,
    get_worker_info,
)
from minitorch.vision.datasets import Digits

# %% [markdown]
# ## 1. A Dataset is two methods
# A map-style dataset needs `__len__` and `__getitem__(i)`. Here: the 8x8
# digit images, where every read takes a couple of milliseconds, as if each
# image were decoded from a file. Every read also *records* which process
# did it and when: `get_worker_info()` returns `None` in the main process
# and, inside a DataLoader worker, an object with the worker's `id`.

# %%
class SlowDigits(Dataset):
    """The 8x8 digits, each read taking `delay` seconds (like decoding an image file)."""

    def __init__(self, delay: float = 0.002):
        digits = Digits(train=None)  # all 1,797 images
        self.images, self.labels = digits.data, digits.targets
        self.delay = delay

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, i: int):
        start = time.time()
        time.sleep(self.delay)  # pretend to read and decode a file
        info = get_worker_info()
        who = -1 if info is None else info.id  # -1: the main process
        return {"image": self.images[i], "label": self.labels[i].item(), "read": (who, start, time.time())}


data = SlowDigits()
sample = data[0]
print(len(data), "samples; sample 0:", sample["image"].shape, "label", sample["label"], "read by", sample["read"][0])

# %% [markdown]
# ## 2. Samplers choose the indices
# A sampler is an iterable of indices. `SequentialSampler` gives 0, 1, 2,
# ...; `RandomSampler` a permutation (reproducible with a `Generator`);
# `BatchSampler` groups indices into lists of `batch_size`.

# %%
small = list(range(10))
gen = minitorch.Generator().manual_seed(0)
print("sequential:", list(SequentialSampler(small)))
print("random:    ", list(RandomSampler(small, generator=gen)))
print("batches:   ", list(BatchSampler(SequentialSampler(small), batch_size=4, drop_last=False)))
assert sorted(RandomSampler(small)) == small  # a permutation: every index exactly once

# %% [markdown]
# `DataLoader(dataset, batch_size=4, shuffle=True)` is shorthand for
# `batch_sampler=BatchSampler(RandomSampler(dataset), 4, drop_last=False)`.
#
# ## 3. Collate: from a list of samples to a batch
# The loader fetches `[dataset[i] for i in batch_indices]` and hands that
# list to `collate_fn`. The default, `default_collate`, stacks tensors
# along a new first dimension, turns numbers into tensors, and keeps the
# structure (dicts stay dicts, tuples become lists):

# %%
batch = default_collate([data[0], data[1], data[2]])
print({k: (v.shape if hasattr(v, "shape") else type(v).__name__) for k, v in batch.items()})
print("labels:", batch["label"])

# %% [markdown]
# ## 4. A train/validation split with `SubsetRandomSampler`
# Two loaders can share one dataset and take disjoint sets of indices:
# shuffle the indices once, give 80% to training and 20% to validation.
# `SubsetRandomSampler(indices)` yields its indices in a new random order
# every epoch.

# %%
perm = minitorch.randperm(len(data), generator=minitorch.Generator().manual_seed(0)).tolist()
n_val = len(data) // 5
train_idx, val_idx = perm[n_val:], perm[:n_val]
train_loader = DataLoader(data, batch_size=64, sampler=SubsetRandomSampler(train_idx))
val_loader = DataLoader(data, batch_size=64, sampler=SubsetRandomSampler(val_idx))
print(f"train: {len(train_idx)} samples in {len(train_loader)} batches; val: {len(val_idx)} in {len(val_loader)}")
assert not set(train_idx) & set(val_idx) and len(train_idx) + len(val_idx) == len(data)

# %% [markdown]
# (`minitorch.utils.data.random_split(data, [0.8, 0.2])` does the same with
# two `Subset` datasets.) One epoch over the validation loader:

# %%
data.delay = 0.0  # no pretend disk for now
seen = []
for batch in val_loader:
    seen += batch["label"].tolist()
print("validation labels seen:", len(seen), " digit counts:", [seen.count(d) for d in range(10)])
assert len(seen) == n_val

# %% [markdown]
# ## 5. A custom `collate_fn`: padding sequences
# `default_collate` can only stack samples of equal shape. Sequences of
# different lengths (sentences, audio) need a custom collate function that
# pads them. This one returns the padded batch and the true lengths.

# %%
class Words(Dataset):
    words = ["autograd", "tensor", "minitorch", "loss", "grad", "backward", "step", "relu"]

    def __len__(self):
        return len(self.words)

    def __getitem__(self, i):
        codes = minitorch.tensor([ord(c) - ord("a") + 1 for c in self.words[i]])  # a=1 ... z=26, 0 = padding
        return codes, len(self.words[i])


def pad_collate(samples):
    """[(codes, length), ...] -> (padded (B, max_len) int64 tensor, lengths (B,))."""
    longest = max(length for _, length in samples)
    padded = minitorch.zeros(len(samples), longest, dtype=minitorch.int64)
    for row, (codes, length) in enumerate(samples):
        padded[row, :length] = codes
    return padded, minitorch.tensor([length for _, length in samples])


words, lengths = next(iter(DataLoader(Words(), batch_size=3, collate_fn=pad_collate)))
print(words)
print("lengths:", lengths.tolist())
assert words.shape == (3, 9) and words[1, 6:].tolist() == [0, 0, 0]  # "tensor" padded with zeros

# %% [markdown]
# ## 6. Workers
# With `num_workers=2`, the loader starts two worker processes. The main
# process sends each one lists of indices (batch 0 to worker 0, batch 1 to
# worker 1, batch 2 to worker 0, ...), keeps up to `prefetch_factor * num_workers`
# batches in flight, and hands you the results **in order**, whichever worker
# finishes first. Each worker has its own copy of the dataset and runs the
# `collate_fn` itself.
#
# To see it, a collate function that also notes who collated the batch, and
# a training loop that notes when the main process got each batch and spent
# some time "training" on it.

# %%
def timed_collate(samples):
    batch = default_collate([{"image": s["image"], "label": s["label"]} for s in samples])
    batch["reads"] = [s["read"] for s in samples]  # (worker, start, end) of each sample
    info = get_worker_info()
    batch["worker"] = -1 if info is None else info.id
    return batch


def run_epoch(num_workers: int, n_batches: int, train_time: float = 0.01):
    data.delay = 0.002
    loader = DataLoader(data, batch_size=8, sampler=SequentialSampler(range(8 * n_batches)),
                        num_workers=num_workers, collate_fn=timed_collate)
    t0 = time.time()
    batches, steps = [], []
    for batch in loader:
        got = time.time()
        time.sleep(train_time)  # pretend to train on the batch
        steps.append((got, time.time()))
        batches.append(batch)
    total = time.time() - t0
    return t0, total, batches, steps


N_BATCHES = 8 if FAST else 16
t0_single, total_single, _, _ = run_epoch(num_workers=0, n_batches=N_BATCHES)
t0, total, batches, steps = run_epoch(num_workers=2, n_batches=N_BATCHES)
print(f"num_workers=0: {total_single:.3f} s     num_workers=2: {total:.3f} s")
print("batch -> worker:", [b["worker"] for b in batches])
assert [b["worker"] for b in batches] == [i % 2 for i in range(N_BATCHES)]  # round-robin
assert all(r[0] == b["worker"] for b in batches for r in b["reads"])  # each batch read by one worker
assert [b["label"][0].item() for b in batches] == [data.labels[8 * i].item() for i in range(N_BATCHES)]  # in order

# %% [markdown]
# With workers, reading the next batches overlaps with training on the
# current one, so the epoch takes about as long as the slower of the two
# instead of their sum (on a busy machine the gain can be smaller: starting
# the processes costs time too).
#
# ## 7. The timeline
# One row per process. On the worker rows, each bar is one sample being
# read, coloured by the batch it belongs to; on the main row, each bar is a
# training step on a batch. The empty stretch at the start is the time it
# takes to start the worker processes. Then batches alternate between the
# workers, and the main process hardly waits: while it trains on batch k,
# the workers are already reading batches k+1 and k+2.

# %%
if plt is not None:
    cmap = plt.get_cmap("tab10")
    fig, ax = plt.subplots(figsize=(10, 3))
    for b, batch in enumerate(batches):
        for who, start, end in batch["reads"]:
            ax.barh(who + 1, (end - start) * 1e3, left=(start - t0) * 1e3, height=0.6, color=cmap(b % 10),
                    edgecolor="white", linewidth=0.5)
        got, done = steps[b]
        ax.barh(0, (done - got) * 1e3, left=(got - t0) * 1e3, height=0.6, color=cmap(b % 10), edgecolor="k")
        ax.text((got + done) / 2 * 1e3 - t0 * 1e3, 0, str(b), ha="center", va="center", fontsize=8)
    ax.set_yticks([0, 1, 2], ["main: training", "worker 0: reading", "worker 1: reading"])
    ax.set_xlabel("milliseconds since the loop started (colour = batch number)")
    ax.set_title(f"DataLoader(num_workers=2): {N_BATCHES} batches of 8 samples")
    ax.set_xlim(left=0)
    ax.invert_yaxis()
    fig.tight_layout()
    fig.savefig(OUT / "07_worker_timeline.png", dpi=100)
    plt.close(fig)
    print("wrote", OUT / "07_worker_timeline.png")

# %% [markdown]
# ## Exercises
# 1. Set `train_time=0` in `run_epoch`. What does the timeline look like now, and which process is the bottleneck?
# 2. Write an `IterableDataset` that yields the numbers 0..99 and iterate it with `num_workers=2`. Every number
#    comes out twice: use `get_worker_info()` inside `__iter__` to give each worker its own share.
# 3. Use `WeightedRandomSampler` to draw batches in which the digit 0 appears five times as often as the others,
#    and check the counts over one epoch.
