"""``minitorch demo``: train a small network on the built-in Digits and report its accuracy.

The whole PyTorch workflow, written exactly as in PyTorch:

* ``Digits`` (8x8 handwritten digits shipped with minitorch: no download);
* a train/validation split with ``SubsetRandomSampler`` and two ``DataLoader``s;
* an ``nn.Sequential`` MLP, ``CrossEntropyLoss`` and ``optim.Adam``;
* the loop: ``zero_grad`` / forward / ``loss.backward()`` / ``step``, then
  validation under ``no_grad``.
"""

from __future__ import annotations

import numpy as np

import minitorch
from minitorch import nn, optim
from minitorch.utils.data import DataLoader, SubsetRandomSampler
from minitorch.vision.datasets import Digits

from ._progress import progress


def make_loaders(batch_size: int = 64, valid_fraction: float = 0.2, seed: int = 0):
    """Training and validation loaders over one Digits set, split by index."""
    data = Digits(train=None)
    indices = np.random.default_rng(seed).permutation(len(data)).tolist()
    n_valid = int(len(data) * valid_fraction)
    generator = minitorch.Generator().manual_seed(seed)
    train = DataLoader(data, batch_size=batch_size, sampler=SubsetRandomSampler(indices[n_valid:], generator))
    valid = DataLoader(data, batch_size=256, sampler=SubsetRandomSampler(indices[:n_valid], generator))
    return train, valid


def make_model(hidden: int = 128) -> nn.Module:
    return nn.Sequential(nn.Flatten(), nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                         nn.Linear(hidden, 10))


def evaluate(model: nn.Module, loader) -> float:
    """Fraction of correctly classified images."""
    model.eval()
    correct = total = 0
    with minitorch.no_grad():
        for images, labels in loader:
            _, predicted = minitorch.max(model(images), 1)
            correct += (predicted == labels).sum().item()
            total += labels.shape[0]
    model.train()
    return correct / total


def run(epochs: int | None = None, seed: int = 0, quiet: bool = False, graph: str | None = None) -> float:
    """Train, print the validation accuracy after each epoch, and return the final one."""
    epochs = epochs or 20
    minitorch.manual_seed(seed)
    train_loader, valid_loader = make_loaders(seed=seed)
    model = make_model()
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    accuracy = 0.0
    for epoch in range(1, epochs + 1):
        batches = train_loader if quiet else progress(train_loader, desc=f"epoch {epoch:2d}/{epochs}")
        for images, labels in batches:
            optimizer.zero_grad()
            loss = criterion(model(images), labels)
            loss.backward()
            if graph is not None:  # draw one training step's graph, with values and gradients
                from . import viz

                path = viz.save_graph(loss, graph, params=dict(model.named_parameters()))
                print(f"demo: graph of one training step written to {path}")
                graph = None
            optimizer.step()
            if not quiet:
                batches.set_postfix(loss=loss.item())
        accuracy = evaluate(model, valid_loader)
        if not quiet:
            print(f"epoch {epoch:2d}: validation accuracy {accuracy:.1%}")
    n_train, n_valid = len(train_loader.sampler), len(valid_loader.sampler)
    print(f"demo: MLP on Digits ({n_train} training / {n_valid} validation images), "
          f"final validation accuracy {accuracy:.1%}")
    return accuracy
