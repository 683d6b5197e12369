"""vision.models: torchvision's state-dict names and shapes, PyTorch-equal outputs, weight loading, LeNet, VGG.

torchvision is not installable here, so the expected ResNet keys are built from
torchvision's documented architecture (``expected_resnet_state``), and a small
torch re-implementation of BasicBlock/Bottleneck (``TorchResNet``, mirroring
torchvision's module tree) provides the numbers to compare with.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitorch
from minitorch import nn
from minitorch.vision import models
from minitorch.vision.models import resnet as R
from minitorch.vision.models import vgg as V

ARCHS = {"resnet18": ("basic", [2, 2, 2, 2]), "resnet34": ("basic", [3, 4, 6, 3]),
         "resnet50": ("bottleneck", [3, 4, 6, 3])}


# ---- the expected names, by construction from torchvision's architecture -----------------------------
def _conv(prefix, out_c, in_c, k):
    return [(f"{prefix}.weight", (out_c, in_c, k, k))]


def _bn(prefix, c):
    return [(f"{prefix}.weight", (c,)), (f"{prefix}.bias", (c,)), (f"{prefix}.running_mean", (c,)),
            (f"{prefix}.running_var", (c,)), (f"{prefix}.num_batches_tracked", ())]


def expected_resnet_state(kind: str, layers: list[int], num_classes: int = 1000) -> list[tuple[str, tuple]]:
    """(key, shape) in state_dict order for torchvision's ResNet: the stem, the four stages, fc."""
    expansion = 1 if kind == "basic" else 4
    keys = _conv("conv1", 64, 3, 7) + _bn("bn1", 64)
    inplanes = 64
    for stage, (planes, blocks) in enumerate(zip([64, 128, 256, 512], layers), start=1):
        for b in range(blocks):
            p = f"layer{stage}.{b}"
            out = planes * expansion
            if kind == "basic":
                keys += _conv(f"{p}.conv1", planes, inplanes, 3) + _bn(f"{p}.bn1", planes)
                keys += _conv(f"{p}.conv2", planes, planes, 3) + _bn(f"{p}.bn2", planes)
            else:
                keys += _conv(f"{p}.conv1", planes, inplanes, 1) + _bn(f"{p}.bn1", planes)
                keys += _conv(f"{p}.conv2", planes, planes, 3) + _bn(f"{p}.bn2", planes)
                keys += _conv(f"{p}.conv3", out, planes, 1) + _bn(f"{p}.bn3", out)
            if b == 0 and (stage > 1 or inplanes != out):  # the shortcut changes shape: 1x1 conv + BN
                keys += _conv(f"{p}.downsample.0", out, inplanes, 1) + _bn(f"{p}.downsample.1", out)
            inplanes = out
    return keys + [("fc.weight", (num_classes, 512 * expansion)), ("fc.bias", (num_classes,))]


def state_shapes(model) -> list[tuple[str, tuple]]:
    return [(k, tuple(v.shape)) for k, v in model.state_dict().items()]


@pytest.mark.parametrize("arch", list(ARCHS))
def test_resnet_state_dict_names_and_shapes_are_torchvisions(arch):
    model = getattr(models, arch)()
    assert state_shapes(model) == expected_resnet_state(*ARCHS[arch])


def test_resnet_num_classes_and_module_tree():
    model = models.resnet18(num_classes=7)
    assert model.fc.in_features == 512 and model.fc.out_features == 7
    assert [name for name, _ in model.named_children()] == [
        "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "fc"]
    assert isinstance(model.layer2[0].downsample[0], R.Conv2d)
    assert model.layer1[0].downsample is None
    assert models.resnet50(num_classes=3).fc.in_features == 2048
    assert model(minitorch.randn(2, 3, 32, 32)).shape == (2, 7)


# ---- torchvision's init ---------------------------------------------------------------------------
def test_resnet_init_is_torchvisions():
    minitorch.manual_seed(0)
    model = models.resnet18()
    w = model.layer3[0].conv1.weight  # kaiming_normal_(fan_out, relu): std = sqrt(2 / (out_channels * 3 * 3))
    assert abs(float(w.std()) - np.sqrt(2 / (256 * 9))) < 0.05 * np.sqrt(2 / (256 * 9))
    assert abs(float(w.mean())) < 1e-3
    bn = model.layer3[0].bn1
    assert (bn.weight.detach().numpy() == 1).all() and (bn.bias.detach().numpy() == 0).all()
    assert (model.layer3[0].bn2.weight.detach().numpy() == 1).all()


def test_zero_init_residual_zeroes_the_last_bn_of_each_block():
    basic = models.resnet18(zero_init_residual=True)
    assert all((blk.bn2.weight.detach().numpy() == 0).all() for layer in (basic.layer1, basic.layer4) for blk in layer)
    assert (basic.bn1.weight.detach().numpy() == 1).all()
    bottle = models.resnet50(zero_init_residual=True)
    assert (bottle.layer2[1].bn3.weight.detach().numpy() == 0).all()
    assert (bottle.layer2[1].bn2.weight.detach().numpy() == 1).all()
    # Each block starts as the identity: its residual branch outputs zero, so out = relu(x) for x >= 0.
    block = basic.layer1[0].eval()
    x = minitorch.rand(1, 64, 6, 6)
    minitorch.testing.assert_close(block(x), x)


def test_basic_block_rejects_groups():
    with pytest.raises(ValueError, match="BasicBlock only supports groups=1"):
        R.BasicBlock(8, 8, groups=2)
    with pytest.raises(NotImplementedError, match="Dilation > 1"):
        R.BasicBlock(8, 8, dilation=2)


def test_resnet_small_keeps_tiny_images():
    model = models.resnet_small(num_classes=5, in_channels=1, width=8)
    assert model.conv1.kernel_size == (3, 3) and model.conv1.stride == (1, 1)
    assert isinstance(model.maxpool, nn.Identity)
    assert [k for k, _ in state_shapes(model)][:2] == ["conv1.weight", "bn1.weight"]
    out = model(minitorch.randn(3, 1, 8, 8))
    assert out.shape == (3, 5)
    out.sum().backward()
    assert model.conv1.weight.grad.shape == (8, 1, 3, 3)


# ---- a torch re-implementation that mirrors torchvision ---------------------------------------------
def torch_resnet(kind: str, layers: list[int], num_classes: int = 1000):
    """torchvision's ResNet, written from its documented structure (torchvision itself is not installed)."""
    torch = pytest.importorskip("torch")
    tnn = torch.nn

    class TBasic(tnn.Module):
        expansion = 1

        def __init__(self, inplanes, planes, stride=1, downsample=None):
            super().__init__()
            self.conv1 = tnn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
            self.bn1 = tnn.BatchNorm2d(planes)
            self.relu = tnn.ReLU(inplace=True)
            self.conv2 = tnn.Conv2d(planes, planes, 3, 1, 1, bias=False)
            self.bn2 = tnn.BatchNorm2d(planes)
            self.downsample = downsample

        def forward(self, x):
            identity = x if self.downsample is None else self.downsample(x)
            out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
            return self.relu(out + identity)

    class TBottleneck(tnn.Module):
        expansion = 4

        def __init__(self, inplanes, planes, stride=1, downsample=None):
            super().__init__()
            self.conv1 = tnn.Conv2d(inplanes, planes, 1, bias=False)
            self.bn1 = tnn.BatchNorm2d(planes)
            self.conv2 = tnn.Conv2d(planes, planes, 3, stride, 1, bias=False)
            self.bn2 = tnn.BatchNorm2d(planes)
            self.conv3 = tnn.Conv2d(planes, planes * 4, 1, bias=False)
            self.bn3 = tnn.BatchNorm2d(planes * 4)
            self.relu = tnn.ReLU(inplace=True)
            self.downsample = downsample

        def forward(self, x):
            identity = x if self.downsample is None else self.downsample(x)
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.relu(self.bn2(self.conv2(out)))
            return self.relu(self.bn3(self.conv3(out)) + identity)

    block = TBasic if kind == "basic" else TBottleneck

    class TResNet(tnn.Module):
        def __init__(self):
            super().__init__()
            self.inplanes = 64
            self.conv1 = tnn.Conv2d(3, 64, 7, 2, 3, bias=False)
            self.bn1 = tnn.BatchNorm2d(64)
            self.relu = tnn.ReLU(inplace=True)
            self.maxpool = tnn.MaxPool2d(3, 2, 1)
            self.layer1 = self._make_layer(64, layers[0], 1)
            self.layer2 = self._make_layer(128, layers[1], 2)
            self.layer3 = self._make_layer(256, layers[2], 2)
            self.layer4 = self._make_layer(512, layers[3], 2)
            self.avgpool = tnn.AdaptiveAvgPool2d((1, 1))
            self.fc = tnn.Linear(512 * block.expansion, num_classes)

        def _make_layer(self, planes, blocks, stride):
            downsample = None
            if stride != 1 or self.inplanes != planes * block.expansion:
                downsample = tnn.Sequential(tnn.Conv2d(self.inplanes, planes * block.expansion, 1, stride,
                                                       bias=False), tnn.BatchNorm2d(planes * block.expansion))
            mods = [block(self.inplanes, planes, stride, downsample)]
            self.inplanes = planes * block.expansion
            mods += [block(self.inplanes, planes) for _ in range(1, blocks)]
            return tnn.Sequential(*mods)

        def forward(self, x):
            x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
            x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
            return self.fc(torch.flatten(self.avgpool(x), 1))

    return TResNet()


def randomise_bn(torch_model, seed: int = 0):
    """Random BatchNorm affine parameters and running statistics, so eval mode is a real test."""
    torch = pytest.importorskip("torch")
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in torch_model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                n = m.num_features
                m.weight.copy_(torch.rand(n, generator=gen) + 0.5)
                m.bias.copy_(torch.randn(n, generator=gen) * 0.1)
                m.running_mean.copy_(torch.randn(n, generator=gen) * 0.1)
                m.running_var.copy_(torch.rand(n, generator=gen) + 0.5)
                m.num_batches_tracked.fill_(7)
    return torch_model


def numpy_state(torch_model) -> dict:
    return {k: v.detach().numpy().copy() for k, v in torch_model.state_dict().items()}


@pytest.mark.parametrize("arch", list(ARCHS))
def test_torch_mirror_has_the_same_state_dict(arch):
    tmodel = torch_resnet(*ARCHS[arch])
    expected = [(k, tuple(v.shape)) for k, v in tmodel.state_dict().items()]
    assert state_shapes(getattr(models, arch)()) == expected == expected_resnet_state(*ARCHS[arch])


@pytest.fixture(scope="module")
def torch_resnet18():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    return randomise_bn(torch_resnet("basic", [2, 2, 2, 2], num_classes=10)).eval()


@pytest.fixture(scope="module")
def input_64():
    return np.random.default_rng(0).standard_normal((2, 3, 64, 64)).astype(np.float32)


def torch_output(tmodel, x: np.ndarray) -> np.ndarray:
    torch = pytest.importorskip("torch")
    with torch.no_grad():
        return tmodel(torch.from_numpy(x)).numpy()


def test_resnet18_matches_torch_in_eval_mode(torch_resnet18, input_64):
    model = models.resnet18(num_classes=10, weights=numpy_state(torch_resnet18)).eval()
    assert int(model.bn1.num_batches_tracked) == 7
    with minitorch.no_grad():
        out = model(minitorch.tensor(input_64))
    np.testing.assert_allclose(out.numpy(), torch_output(torch_resnet18, input_64), atol=1e-4, rtol=1e-4)


def test_resnet18_train_mode_forward_and_grads_match_torch(torch_resnet18, input_64):
    torch = pytest.importorskip("torch")
    model = models.resnet18(num_classes=10, weights=numpy_state(torch_resnet18)).train()
    tmodel = torch_resnet("basic", [2, 2, 2, 2], num_classes=10)
    tmodel.load_state_dict(torch_resnet18.state_dict())
    tmodel.train()
    x = minitorch.tensor(input_64, requires_grad=True)
    tx = torch.tensor(input_64, requires_grad=True)
    out, tout = model(x), tmodel(tx)
    np.testing.assert_allclose(out.detach().numpy(), tout.detach().numpy(), atol=1e-4, rtol=1e-4)
    weights = np.random.default_rng(1).standard_normal(out.shape).astype(np.float32)
    (out * minitorch.tensor(weights)).sum().backward()
    (tout * torch.from_numpy(weights)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), atol=1e-4, rtol=1e-3)
    tparams = dict(tmodel.named_parameters())
    for name in ("conv1.weight", "layer2.0.downsample.0.weight", "layer4.1.bn2.bias", "fc.weight"):
        got, want = model.get_parameter(name).grad.numpy(), tparams[name].grad.numpy()
        np.testing.assert_allclose(got, want, atol=1e-3 * np.abs(want).max(), rtol=1e-3, err_msg=name)
    # The running statistics move as in PyTorch.
    np.testing.assert_allclose(model.layer3[1].bn1.running_var.numpy(),
                               tmodel.layer3[1].bn1.running_var.detach().numpy(), rtol=1e-4, atol=1e-5)


# ---- weights=: checkpoints, .safetensors, tensors --------------------------------------------------
@pytest.fixture(scope="module")
def small_weights():
    """A trained-looking resnet_small state dict (random BN statistics) and its output on a fixed input."""
    minitorch.manual_seed(1)
    model = models.resnet_small(num_classes=3, width=4)
    with minitorch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.normal_(0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    x = minitorch.randn(2, 3, 8, 8)
    with minitorch.no_grad():
        out = model.eval()(x)
    return model.state_dict(), x, out


def check_loaded(model, small_weights):
    _, x, out = small_weights
    with minitorch.no_grad():
        minitorch.testing.assert_close(model.eval()(x), out)


def test_weights_from_a_minitorch_checkpoint(tmp_path, small_weights):
    path = tmp_path / "small.pt"
    minitorch.save(small_weights[0], path)
    check_loaded(models.resnet_small(num_classes=3, width=4, weights=path), small_weights)
    minitorch.save({"epoch": 3, "state_dict": small_weights[0]}, tmp_path / "ckpt.pt")  # a training checkpoint
    check_loaded(models.resnet_small(num_classes=3, width=4, weights=str(tmp_path / "ckpt.pt")), small_weights)


def test_weights_from_safetensors(tmp_path, small_weights):
    pytest.importorskip("safetensors")
    from minitorch.serialization import save_safetensors

    save_safetensors(small_weights[0], tmp_path / "small.safetensors")
    check_loaded(models.resnet_small(num_classes=3, width=4, weights=tmp_path / "small.safetensors"),
                 small_weights)


def test_weights_from_numpy_and_tensor_dicts(small_weights):
    state = small_weights[0]
    check_loaded(models.resnet_small(num_classes=3, width=4, weights={k: v.numpy() for k, v in state.items()}),
                 small_weights)
    check_loaded(models.resnet_small(num_classes=3, width=4, weights=state), small_weights)


def test_weights_that_do_not_fit_raise(small_weights, tmp_path):
    with pytest.raises(RuntimeError, match="size mismatch for fc.weight"):
        models.resnet_small(num_classes=4, width=4, weights=small_weights[0])
    with pytest.raises(RuntimeError, match="Missing key"):
        models.resnet18(weights={"fc.weight": np.zeros((1000, 512), np.float32)})
    with pytest.raises(FileNotFoundError, match="does not exist"):
        models.resnet18(weights=str(tmp_path / "nowhere.pt"))


def test_pretrained_without_local_weights_explains_how_to_get_them(tmp_path, monkeypatch):
    monkeypatch.setenv("MINITORCH_HOME", str(tmp_path))
    with pytest.raises(models.WeightsNotFoundError) as info:
        models.resnet18(pretrained=True)
    message = str(info.value)
    assert isinstance(info.value, RuntimeError)
    assert "never downloads" in message and "python -m minitorch.vision.models.convert" in message
    assert str(tmp_path / "models" / "resnet18.pt") in message
    with pytest.raises(models.WeightsNotFoundError, match="IMAGENET1K_V1"):
        models.resnet50(weights="IMAGENET1K_V1")
    with pytest.raises(ValueError, match="not both"):
        models.resnet18(weights={}, pretrained=True)


def test_pretrained_reads_the_local_copy(tmp_path, monkeypatch, torch_resnet18, input_64):
    monkeypatch.setenv("MINITORCH_HOME", str(tmp_path))
    (tmp_path / "models").mkdir()
    minitorch.save(numpy_state(torch_resnet18), tmp_path / "models" / "resnet18.pt")
    model = models.resnet18(pretrained=True, num_classes=10).eval()
    with minitorch.no_grad():
        out = model(minitorch.tensor(input_64))
    np.testing.assert_allclose(out.numpy(), torch_output(torch_resnet18, input_64), atol=1e-4, rtol=1e-4)
    assert isinstance(models.resnet18(weights="DEFAULT", num_classes=10), R.ResNet)


# ---- the convert tool -------------------------------------------------------------------------------
def test_convert_a_torch_file_into_a_checkpoint(tmp_path, torch_resnet18, input_64, capsys):
    torch = pytest.importorskip("torch")
    from minitorch.vision.models import convert

    src = tmp_path / "resnet18.pth"
    torch.save({"model": {"module." + k: v for k, v in torch_resnet18.state_dict().items()}}, src)  # nested
    out = tmp_path / "out" / "resnet18.pt"
    with pytest.raises(RuntimeError, match="size mismatch for fc.weight"):  # --arch checks: 10 classes != 1000
        convert.main([str(src), str(out), "--arch", "resnet18"])
    assert convert.main([str(src), str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    model = models.resnet18(num_classes=10, weights=out).eval()
    with minitorch.no_grad():
        got = model(minitorch.tensor(input_64)).numpy()
    np.testing.assert_allclose(got, torch_output(torch_resnet18, input_64), atol=1e-4, rtol=1e-4)
    with pytest.raises(ValueError, match="unknown architecture"):
        convert.convert(src, tmp_path / "x.pt", arch="resnet9000")


def test_convert_to_safetensors_and_half_precision(tmp_path):
    torch = pytest.importorskip("torch")
    pytest.importorskip("safetensors")
    from minitorch.vision.models import convert

    tlenet = torch_lenet().half()
    torch.save(tlenet.state_dict(), tmp_path / "lenet.pth")
    convert.convert(tmp_path / "lenet.pth", tmp_path / "lenet.safetensors", arch="lenet5")
    model = models.lenet5(weights=tmp_path / "lenet.safetensors")
    assert model.conv1.weight.dtype == minitorch.float32
    np.testing.assert_array_equal(model.fc3.bias.detach().numpy(), tlenet.fc3.bias.float().detach().numpy())


# ---- LeNet-5 and VGG ----------------------------------------------------------------------------------
def torch_lenet():
    torch = pytest.importorskip("torch")
    tnn = torch.nn

    class TLeNet(tnn.Module):
        def __init__(self):
            super().__init__()
            self.conv1, self.conv2 = tnn.Conv2d(1, 6, 5, padding=2), tnn.Conv2d(6, 16, 5)
            self.fc1, self.fc2, self.fc3 = tnn.Linear(400, 120), tnn.Linear(120, 84), tnn.Linear(84, 10)

        def forward(self, x):
            f = torch.nn.functional
            x = f.max_pool2d(f.relu(self.conv1(x)), 2)
            x = f.max_pool2d(f.relu(self.conv2(x)), 2).flatten(1)
            return self.fc3(f.relu(self.fc2(f.relu(self.fc1(x)))))

    torch.manual_seed(0)
    return TLeNet()


def test_lenet5_shapes_names_and_variants():
    model = models.lenet5()
    assert model(minitorch.randn(5, 1, 28, 28)).shape == (5, 10)
    assert state_shapes(model) == [
        ("conv1.weight", (6, 1, 5, 5)), ("conv1.bias", (6,)), ("conv2.weight", (16, 6, 5, 5)), ("conv2.bias", (16,)),
        ("fc1.weight", (120, 400)), ("fc1.bias", (120,)), ("fc2.weight", (84, 120)), ("fc2.bias", (84,)),
        ("fc3.weight", (10, 84)), ("fc3.bias", (10,))]
    classic = models.lenet5(num_classes=3, activation="tanh", pooling="avg")
    assert isinstance(classic.act, nn.Tanh) and classic(minitorch.randn(2, 1, 28, 28)).shape == (2, 3)
    with pytest.raises(ValueError, match="activation"):
        models.lenet5(activation="sigmoid")


def test_lenet5_one_training_step_matches_torch():
    torch = pytest.importorskip("torch")
    tmodel = torch_lenet()
    model = models.lenet5(weights=numpy_state(tmodel))
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 1, 28, 28)).astype(np.float32)
    y = rng.integers(0, 10, 8)
    opt = minitorch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    topt = torch.optim.SGD(tmodel.parameters(), lr=0.1, momentum=0.9)
    before = model.conv1.weight.detach().clone()
    loss = nn.CrossEntropyLoss()(model(minitorch.tensor(x)), minitorch.tensor(y))
    tloss = torch.nn.CrossEntropyLoss()(tmodel(torch.from_numpy(x)), torch.from_numpy(y))
    np.testing.assert_allclose(loss.item(), tloss.item(), rtol=1e-5)
    opt.zero_grad()
    loss.backward()
    opt.step()
    topt.zero_grad()
    tloss.backward()
    topt.step()
    assert not minitorch.equal(before, model.conv1.weight)
    for name, p in tmodel.named_parameters():
        np.testing.assert_allclose(model.get_parameter(name).detach().numpy(), p.detach().numpy(), atol=1e-5,
                                   err_msg=name)


def test_lenet5_training_step_lowers_the_loss():
    minitorch.manual_seed(0)
    model = models.lenet5()
    x, y = minitorch.randn(16, 1, 28, 28), minitorch.randint(0, 10, (16,))
    opt = minitorch.optim.SGD(model.parameters(), lr=0.05)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        loss = nn.CrossEntropyLoss()(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]


def test_vgg_small_shapes_and_training():
    minitorch.manual_seed(0)
    model = models.vgg_small(num_classes=10, in_channels=1)
    for size in (8, 16, 28):
        assert model(minitorch.randn(2, 1, size, size)).shape == (2, 10)
    model(minitorch.randn(2, 1, 8, 8)).sum().backward()
    assert model.features[0].weight.grad is not None
    assert isinstance(model.features[1], nn.BatchNorm2d)
    assert (model.classifier[0].bias.detach().numpy() == 0).all()  # torchvision's VGG init: zero biases


def test_vgg_names_follow_torchvision():
    """VGG-11's configuration "A" gives torchvision's indices: convs at 0, 3, 6, 8, ..., classifier 0, 3, 6."""
    model = V.VGG(V.make_layers(V.cfgs["A"]), num_classes=10, pool_size=(1, 1), hidden=8)
    conv_keys = [k for k in model.state_dict() if k.startswith("features") and k.endswith("weight")]
    assert conv_keys == [f"features.{i}.weight" for i in (0, 3, 6, 8, 11, 13, 16, 18)]
    assert [k for k in model.state_dict() if k.startswith("classifier")] == [
        "classifier.0.weight", "classifier.0.bias", "classifier.3.weight", "classifier.3.bias",
        "classifier.6.weight", "classifier.6.bias"]
    bn = V.make_layers(V.cfgs["A"][:2], batch_norm=True)
    assert [type(m).__name__ for m in bn] == ["Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d"]
