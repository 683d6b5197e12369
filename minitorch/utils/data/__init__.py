"""Datasets, samplers and the DataLoader, as ``torch.utils.data``.

Read in this order: ``dataset.py`` (where samples come from), ``sampler.py``
(which indices, in which order), ``collate.py`` (samples -> batch),
``dataloader.py`` (the loop that ties them together, with worker
processes) and ``_worker.py`` (what a worker process does).

>>> from minitorch.utils.data import DataLoader, TensorDataset
>>> loader = DataLoader(TensorDataset(minitorch.arange(10)), batch_size=4)
>>> [b[0].tolist() for b in loader]
[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
"""

from ._worker import WorkerInfo, get_worker_info
from .collate import default_collate, default_convert
from .dataloader import DataLoader
from .dataset import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    StackDataset,
    Subset,
    TensorDataset,
    random_split,
)
from .sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

__all__ = [
    "BatchSampler", "ChainDataset", "ConcatDataset", "DataLoader", "Dataset", "IterableDataset", "RandomSampler",
    "Sampler", "SequentialSampler", "StackDataset", "Subset", "SubsetRandomSampler", "TensorDataset", "WeightedRandomSampler",
    "WorkerInfo", "default_collate", "default_convert", "get_worker_info", "random_split",
]
