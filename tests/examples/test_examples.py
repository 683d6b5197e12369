"""The runnable examples run in fast mode, and the transfer-learning recipe trains only the head."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest

import minitorch
from minitorch.examples import cgan, transfer_learning

quiet = lambda *args, **kwargs: None  # noqa: E731


@pytest.fixture(scope="module")
def transfer():
    return transfer_learning.main(["--fast"])  # the command line, as `python -m ... --fast` runs it


def test_transfer_learning_reports_accuracies(transfer):
    for key in ("pretrain_accuracy", "pretrained_features_accuracy", "random_features_accuracy",
                "uncalibrated_random_features_accuracy"):
        assert 0.0 <= transfer[key] <= 100.0, key


def test_transfer_learning_changes_only_the_head(transfer):
    model, before = transfer["model"], transfer["state_before_head_training"]
    after = model.state_dict()
    assert list(after) == list(before)
    changed = [k for k in after if not np.array_equal(after[k].numpy(), before[k].numpy())]
    assert changed == ["fc.weight", "fc.bias"]  # buffers (BatchNorm statistics) did not move either


def test_transfer_learning_frozen_parameters_have_no_grad(transfer):
    model = transfer["model"]
    assert model.fc.out_features == 5
    for name, param in model.named_parameters():
        if name.startswith("fc."):
            assert param.requires_grad and param.grad is not None, name
        else:
            assert not param.requires_grad and param.grad is None, name


def test_freeze_and_replace_head_follows_the_recipe():
    model = minitorch.vision.models.resnet_small(num_classes=5, in_channels=1, width=4)
    old_fc = model.fc
    model = transfer_learning.freeze_and_replace_head(model, 3)
    assert model.fc is not old_fc and model.fc.in_features == 32 and model.fc.out_features == 3
    assert [n for n, p in model.named_parameters() if p.requires_grad] == ["fc.weight", "fc.bias"]
    assert not model.training


def test_calibrate_batchnorm_changes_only_buffers():
    minitorch.manual_seed(0)
    model = minitorch.vision.models.resnet_small(num_classes=2, in_channels=1, width=4)
    params = {k: v.detach().clone() for k, v in model.named_parameters()}
    x = minitorch.rand(8, 1, 8, 8)
    loader = minitorch.utils.data.DataLoader(minitorch.utils.data.TensorDataset(x, minitorch.zeros(8)), batch_size=4)
    transfer_learning.calibrate_batchnorm(model, loader)
    assert all(minitorch.equal(params[k], v) for k, v in model.named_parameters())
    # momentum=None averaged the two batches: the stem BN's running mean is the mean of its input over both.
    with minitorch.no_grad():
        stem = model.conv1(x)
    minitorch.testing.assert_close(model.bn1.running_mean, stem.mean((0, 2, 3)), atol=1e-6, rtol=1e-5)
    assert model.bn1.momentum == 0.1 and not model.training


def test_digits_subsets_are_upsampled_and_renumbered():
    images, labels = transfer_learning.digits_subset(False, [5, 6, 7, 8, 9])
    assert images.shape[1:] == (1, 16, 16) and sorted(set(labels.tolist())) == [0, 1, 2, 3, 4]
    few_x, few_y = transfer_learning.few_shot(images, labels, 3, seed=0)
    assert few_x.shape == (15, 1, 16, 16) and np.bincount(few_y.numpy()).tolist() == [3] * 5


@pytest.fixture(scope="module")
def gan(tmp_path_factory):
    out = tmp_path_factory.mktemp("cgan") / "grid.png"
    return cgan.main(["--fast", "--out", str(out)]), out


def test_cgan_fast_run_writes_a_grid_and_scores(gan):
    result, out = gan
    assert len(result["per_class_accuracy"]) == 10
    assert all(0.0 <= s <= 100.0 for s in result["per_class_accuracy"])
    assert math.isclose(result["mean_accuracy"], float(np.mean(result["per_class_accuracy"])))
    assert result["classifier_accuracy"] > 80.0  # the judge must recognise real digits
    assert all(math.isfinite(d) and math.isfinite(g) for d, g in result["history"])
    assert result["grid_written"] and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pil = pytest.importorskip("PIL.Image")
    assert pil.open(out).size == (4 * (10 * 9 + 1),) * 2  # 10x10 cells of 8 pixels + 1 gap, scaled 4x


def test_cgan_players_are_conditional():
    minitorch.manual_seed(0)
    gen, disc = cgan.Generator(), cgan.Discriminator()
    assert isinstance(gen.label_emb, minitorch.nn.Embedding) and isinstance(disc.label_emb, minitorch.nn.Embedding)
    images, labels = cgan.generate(gen, per_class=2)
    assert images.shape == (20, 1, 8, 8) and labels.tolist() == [c for c in range(10) for _ in range(2)]
    assert float(images.abs().max()) <= 1.0 and gen.training
    assert disc(images, labels).shape == (20, 1)
    # The label changes the output: the same noise with two different labels gives two images.
    gen.eval()
    z = minitorch.randn(1, cgan.LATENT_DIM)
    assert not minitorch.allclose(gen(z, minitorch.tensor([0])), gen(z, minitorch.tensor([1])))


def test_cgan_skips_the_picture_without_pillow_or_matplotlib(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    messages = []
    assert not cgan.save_grid(minitorch.zeros(10, 1, 8, 8), 10, str(tmp_path / "g.png"), log=messages.append)
    assert "neither Pillow nor matplotlib" in messages[0] and not (tmp_path / "g.png").exists()
