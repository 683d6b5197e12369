"""A conditional GAN (Mirza & Osindero, 2014) on the 8x8 digits, written as one would for PyTorch.

The generator ``G(z, y)`` turns noise ``z`` and a requested digit ``y`` into an
image; the discriminator ``D(x, y)`` says how likely ``x`` is a real image of
digit ``y``. Both see the label through an ``nn.Embedding`` whose vector is
concatenated with their input. They play the GAN game with ``BCELoss``:

* D step: push ``D(real, y)`` to 1 and ``D(G(z, y), y)`` to 0 (the fake is
  ``detach()``-ed: this step must not change G);
* G step: push ``D(G(z, y), y)`` to 1 (the "non-saturating" generator loss).

Both use Adam with lr=2e-4 and betas=(0.5, 0.999), the DCGAN settings.

Quality is measured without looking at the pictures: a small MLP classifier
is trained on *real* digits, then asked to recognise generated samples of each
requested class. High accuracy means G draws the digit it was asked for.

    python -m minitorch.examples.cgan [--fast] [--out grid.png]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

import minitorch
from minitorch import nn, optim
from minitorch.utils.data import DataLoader, TensorDataset
from minitorch.vision import datasets

LATENT_DIM = 32
NUM_CLASSES = 10
IMAGE_PIXELS = 64  # 1 x 8 x 8


def is_fast() -> bool:
    """True when the environment asks for the quick version (``MINITORCH_FAST=1``)."""
    return os.environ.get("MINITORCH_FAST", "") not in ("", "0")


# ---- the two players -----------------------------------------------------------------------------------
class Generator(nn.Module):
    """``(z, label) -> image``: an MLP on ``[z, embedding(label)]``, Tanh output in [-1, 1], shaped (1, 8, 8).

    >>> Generator()(minitorch.randn(4, 32), minitorch.tensor([0, 1, 2, 3])).shape
    minitorch.Size([4, 1, 8, 8])
    """

    def __init__(self, latent_dim: int = LATENT_DIM, num_classes: int = NUM_CLASSES, embed_dim: int = 10):
        super().__init__()
        self.label_emb = nn.Embedding(num_classes, embed_dim)
        self.model = nn.Sequential(
            nn.Linear(latent_dim + embed_dim, 128), nn.LeakyReLU(0.2),
            nn.Linear(128, 256), nn.BatchNorm1d(256), nn.LeakyReLU(0.2),
            nn.Linear(256, IMAGE_PIXELS), nn.Tanh(),
        )

    def forward(self, z: minitorch.Tensor, labels: minitorch.Tensor) -> minitorch.Tensor:
        gen_input = minitorch.cat([z, self.label_emb(labels)], dim=1)  # condition by concatenation
        return self.model(gen_input).view(-1, 1, 8, 8)


class Discriminator(nn.Module):
    """``(image, label) -> probability real``: an MLP on ``[flattened image, embedding(label)]``.

    >>> Discriminator()(minitorch.randn(4, 1, 8, 8), minitorch.tensor([0, 1, 2, 3])).shape
    minitorch.Size([4, 1])
    """

    def __init__(self, num_classes: int = NUM_CLASSES, embed_dim: int = 10):
        super().__init__()
        self.label_emb = nn.Embedding(num_classes, embed_dim)
        self.model = nn.Sequential(
            nn.Linear(IMAGE_PIXELS + embed_dim, 256), nn.LeakyReLU(0.2), nn.Dropout(0.3),
            nn.Linear(256, 128), nn.LeakyReLU(0.2), nn.Dropout(0.3),
            nn.Linear(128, 1), nn.Sigmoid(),
        )

    def forward(self, images: minitorch.Tensor, labels: minitorch.Tensor) -> minitorch.Tensor:
        d_input = minitorch.cat([images.flatten(1), self.label_emb(labels)], dim=1)
        return self.model(d_input)


# ---- training ----------------------------------------------------------------------------------------
def real_digits(train: bool = True) -> tuple[minitorch.Tensor, minitorch.Tensor]:
    """Digits images scaled from [0, 1] to [-1, 1] (the range of the generator's Tanh), and labels."""
    data = datasets.Digits(train=train)
    return data.data * 2 - 1, data.targets


def train_gan(generator: Generator, discriminator: Discriminator, loader: DataLoader, epochs: int,
              log=print) -> list[tuple[float, float]]:
    """The CGAN loop; returns the mean (D loss, G loss) of each epoch."""
    adversarial_loss = nn.BCELoss()
    optimizer_G = optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optimizer_D = optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    history = []
    for epoch in range(epochs):
        d_total, g_total = 0.0, 0.0
        for imgs, labels in loader:
            batch_size = imgs.shape[0]
            valid = minitorch.ones(batch_size, 1)
            fake = minitorch.zeros(batch_size, 1)

            # Generator: make D believe that G's images of the requested digits are real.
            optimizer_G.zero_grad()
            z = minitorch.randn(batch_size, LATENT_DIM)
            gen_labels = minitorch.randint(0, NUM_CLASSES, (batch_size,))
            gen_imgs = generator(z, gen_labels)
            g_loss = adversarial_loss(discriminator(gen_imgs, gen_labels), valid)
            g_loss.backward()
            optimizer_G.step()

            # Discriminator: real images of their labels -> 1, generated ones -> 0.
            optimizer_D.zero_grad()
            real_loss = adversarial_loss(discriminator(imgs, labels), valid)
            fake_loss = adversarial_loss(discriminator(gen_imgs.detach(), gen_labels), fake)
            d_loss = (real_loss + fake_loss) / 2
            d_loss.backward()
            optimizer_D.step()
            d_total, g_total = d_total + d_loss.item(), g_total + g_loss.item()
        history.append((d_total / len(loader), g_total / len(loader)))
        if (epoch + 1) % max(1, epochs // 10) == 0 or epoch == epochs - 1:
            log(f"  epoch {epoch + 1:3d}/{epochs}: D loss {history[-1][0]:.3f}  G loss {history[-1][1]:.3f}")
    return history


def generate(generator: Generator, per_class: int) -> tuple[minitorch.Tensor, minitorch.Tensor]:
    """``per_class`` samples of each digit, in [-1, 1], ordered 0, 0, ..., 1, 1, ... (eval mode, no grad)."""
    generator.eval()
    labels = minitorch.tensor(np.repeat(np.arange(NUM_CLASSES), per_class))
    with minitorch.no_grad():
        images = generator(minitorch.randn(len(labels), LATENT_DIM), labels)
    generator.train()
    return images, labels


# ---- the quality measure ----------------------------------------------------------------------------
def train_classifier(epochs: int) -> tuple[nn.Module, float]:
    """A small MLP trained on real digits (in [-1, 1]); returns it and its test accuracy in percent."""
    classifier = nn.Sequential(nn.Flatten(), nn.Linear(IMAGE_PIXELS, 128), nn.ReLU(), nn.Linear(128, NUM_CLASSES))
    optimizer = optim.Adam(classifier.parameters(), lr=1e-2)
    criterion = nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(*real_digits(train=True)), batch_size=64, shuffle=True)
    for _ in range(epochs):
        for images, labels in loader:
            optimizer.zero_grad()
            criterion(classifier(images), labels).backward()
            optimizer.step()
    return classifier, accuracy(classifier, *real_digits(train=False))


def accuracy(classifier: nn.Module, images: minitorch.Tensor, labels: minitorch.Tensor) -> float:
    """Percentage of ``images`` that ``classifier`` labels as ``labels``."""
    with minitorch.no_grad():
        _, predicted = minitorch.max(classifier(images).data, 1)
    return 100.0 * (predicted == labels).float().mean().item()


def per_class_accuracy(classifier: nn.Module, images: minitorch.Tensor, labels: minitorch.Tensor) -> list[float]:
    """The classifier's accuracy on the generated samples of each requested digit."""
    return [accuracy(classifier, images[labels == c], labels[labels == c]) for c in range(NUM_CLASSES)]


# ---- the grid picture --------------------------------------------------------------------------------
def grid_array(images: minitorch.Tensor, nrow: int, pad: int = 1, scale: int = 4) -> np.ndarray:
    """Images (N, 1, 8, 8) in [-1, 1] tiled ``nrow`` per row as a uint8 array, each pixel ``scale`` x ``scale``."""
    arr = ((images.numpy()[:, 0] + 1) / 2).clip(0, 1)
    rows = len(arr) // nrow
    cell = 8 + pad
    canvas = np.ones((rows * cell + pad, nrow * cell + pad), dtype=np.float32)
    for i, img in enumerate(arr[: rows * nrow]):
        r, c = divmod(i, nrow)
        canvas[pad + r * cell: pad + r * cell + 8, pad + c * cell: pad + c * cell + 8] = 1 - img  # ink is dark
    return (np.kron(canvas, np.ones((scale, scale))) * 255).astype(np.uint8)


def save_grid(images: minitorch.Tensor, nrow: int, path: str, log=print) -> bool:
    """Write the grid as a PNG with Pillow (or matplotlib); skip with a message if neither is installed."""
    pixels = grid_array(images, nrow)
    try:
        from PIL import Image

        Image.fromarray(pixels).save(path)  # a 2-D uint8 array is a grayscale ("L") image
        return True
    except ImportError:
        pass
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        plt.imsave(path, pixels, cmap="gray", vmin=0, vmax=255)
        return True
    except ImportError:
        log(f"(neither Pillow nor matplotlib is installed: {path} not written; pip install Pillow)")
        return False


# ---- the experiment ----------------------------------------------------------------------------------
def run(fast: bool = False, out: str | None = "cgan_digits.png", seed: int = 0, log=print) -> dict:
    """Train the CGAN and the judge, write the grid, and return the scores (for the tests)."""
    epochs, classifier_epochs, per_class = (3, 3, 20) if fast else (200, 20, 100)
    minitorch.manual_seed(seed)
    loader = DataLoader(TensorDataset(*real_digits(train=True)), batch_size=64, shuffle=True)
    generator, discriminator = Generator(), Discriminator()
    log(f"training a conditional GAN on {len(loader.dataset)} 8x8 digits for {epochs} epochs")
    start = time.perf_counter()
    history = train_gan(generator, discriminator, loader, epochs, log)
    log(f"  ({time.perf_counter() - start:.0f} s)")

    classifier, real_acc = train_classifier(classifier_epochs)
    images, labels = generate(generator, per_class)
    scores = per_class_accuracy(classifier, images, labels)
    log(f"\njudge: an MLP trained on real digits ({real_acc:.1f}% on the real test digits)")
    log("its accuracy on generated samples of each requested digit:")
    log("  " + "  ".join(f"{c}: {s:5.1f}%" for c, s in enumerate(scores)))
    log(f"  mean: {np.mean(scores):.1f}%  (chance: 10%)")

    written = False
    if out:
        written = save_grid(generate(generator, 10)[0], nrow=10, path=out, log=log)
        if written:
            log(f"wrote {out}: one row per digit 0-9, ten samples each")
    return {"history": history, "classifier_accuracy": real_acc, "per_class_accuracy": scores,
            "mean_accuracy": float(np.mean(scores)), "generator": generator, "grid_written": written}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m minitorch.examples.cgan", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fast", action="store_true", help="fewer epochs (also MINITORCH_FAST=1)")
    parser.add_argument("--out", default="cgan_digits.png", help="where to write the PNG grid ('' for none)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    return run(fast=args.fast or is_fast(), out=args.out, seed=args.seed)


if __name__ == "__main__":
    main()
