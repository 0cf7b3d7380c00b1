#!/usr/bin/env python3
"""Real PyTorch exports for the ONNX import tests.

Builds small torchvision models (and one segmentation-style module), exports each with torch.onnx.export at
opset 17 with a dynamic batch, and writes next to it the input it was run on and PyTorch's own output:

  NAME.onnx, NAME.input.npy, NAME.output.npy   and   MANIFEST.json

MANIFEST.json records per model (file paths relative to the repository root): the torchvision constructor and arguments, whether batch norm was folded into
the convolutions by the exporter ("folded": eval-mode export with constant folding) or kept as
BatchNormalization nodes ("bn": TrainingMode.PRESERVE, no constant folding), and PyTorch's own counts of the
module (parameters, and MACs of conv/linear layers at batch 1, counted by forward hooks with the conventions of
test-suite/reference/torchvision_counts.json, plus the attention matmuls of vit_mini, which hooks do not see), and
whether it has batch norm (folding it changes the parameters: BN's scale and shift go, conv biases come). Everything is seeded: running it again writes the same numbers.

squeezenet1_1 is torchvision's full model with the reference weights of test-suite/reference/models (so its
import also meets the counts in torchvision_counts.json); the others are torchvision models at reduced widths so
the committed files stay small.

Run with Debian's PyTorch: apt-get install -y python3-torch python3-torchvision, then
  /usr/bin/python3 onnx/src/test/python/make_onnx.py            (from the repository root)
"""
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
OUT = os.path.join(ROOT, "onnx", "src", "test", "resources", "pytorch")
MODELS = os.path.join(ROOT, "test-suite", "reference", "models")
OPSET = 17


def read_safetensors(path):
    """The float32 tensors of a safetensors file (int64 ones too), by name."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        dtype = {"F32": np.float32, "I64": np.int64}[e["dtype"]]
        a, b = e["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype=dtype).reshape(e["shape"]).copy())
    return out


def randomize_norms(model, seed):
    """Batch norms with non-trivial affine parameters and running statistics, so folding them changes weights."""
    g = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            m.weight.data = 0.5 + torch.rand(c, generator=g)
            m.bias.data = 0.2 * (torch.rand(c, generator=g) - 0.5)
            m.running_mean.data = 0.2 * (torch.rand(c, generator=g) - 0.5)
            m.running_var.data = 0.5 + torch.rand(c, generator=g)
        elif isinstance(m, (nn.Conv2d, nn.Linear, nn.ConvTranspose2d)) and m.bias is not None:
            m.bias.data = 0.1 * (torch.rand(m.bias.shape, generator=g) - 0.5)


def counts(model, x):
    """Parameters, and MACs of Conv/ConvTranspose/Linear at batch 1 (bias adds not counted)."""
    macs = [0]

    def conv(m, inp, out):
        k = int(np.prod(m.kernel_size))
        if isinstance(m, nn.ConvTranspose2d):
            macs[0] += inp[0][:1].numel() * (m.out_channels // m.groups) * k
        else:
            macs[0] += out[:1].numel() * (m.in_channels // m.groups) * k

    def linear(m, inp, out):
        macs[0] += out[:1].numel() * m.in_features

    hooks = []
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            hooks.append(m.register_forward_hook(conv))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear))
    with torch.no_grad():
        model(x[:1])
    for h in hooks:
        h.remove()
    return sum(p.numel() for p in model.parameters()), macs[0]


class SegMini(nn.Module):
    """A U-Net-like segmentation module: transposed conv, bilinear resize to a skip's size, pad, concat."""

    def __init__(self):
        super().__init__()
        self.enc1 = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(inplace=True))
        self.enc2 = nn.Sequential(nn.Conv2d(8, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(inplace=True))
        self.up = nn.ConvTranspose2d(16, 8, 2, stride=2)
        self.side = nn.Conv2d(16, 4, 1)
        self.dec = nn.Sequential(nn.Conv2d(20, 8, 3, padding=1), nn.LeakyReLU(0.1), nn.Conv2d(8, 2, 1))

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(F.max_pool2d(e1, 2))
        u = F.pad(self.up(e2), (0, 1, 0, 1))[:, :, :-1, :-1]
        s = F.interpolate(self.side(e2), size=e1.shape[-2:], mode="bilinear", align_corners=False)
        return torch.sigmoid(self.dec(torch.cat([e1, u, s], dim=1)))


class ResNetMini(nn.Module):
    """torchvision's BasicBlock and Bottleneck at small widths: identity and projection shortcuts."""

    def __init__(self):
        super().__init__()
        from torchvision.models.resnet import BasicBlock, Bottleneck
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(16),
                                  nn.ReLU(inplace=True), nn.MaxPool2d(3, stride=2, padding=1))
        down = nn.Sequential(nn.Conv2d(16, 32, 1, stride=2, bias=False), nn.BatchNorm2d(32))
        self.layers = nn.Sequential(BasicBlock(16, 16), BasicBlock(16, 32, stride=2, downsample=down),
                                    Bottleneck(32, 8))
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = self.layers(self.stem(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class ViTMini(nn.Module):
    """A small vision transformer written with plain ops: patch conv, learned positions, pre-norm blocks whose
    attention is spelled out (Linear to q, k, v, heads by reshape and transpose, softmax of q k^T / sqrt(d)),
    GELU MLPs, mean over tokens, a linear head."""

    def __init__(self, dim=32, heads=4, depth=2, mlp=64, patch=4, size=16, classes=10):
        super().__init__()
        self.heads = heads
        self.tokens = (size // patch) ** 2
        self.patch = nn.Conv2d(3, dim, patch, stride=patch)
        self.pos = nn.Parameter(0.1 * torch.randn(1, self.tokens, dim))
        self.blocks = nn.ModuleList(nn.ModuleDict({
            "ln1": nn.LayerNorm(dim), "qkv": nn.Linear(dim, 3 * dim), "proj": nn.Linear(dim, dim),
            "ln2": nn.LayerNorm(dim), "fc1": nn.Linear(dim, mlp), "fc2": nn.Linear(mlp, dim)}) for _ in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, classes)
        # MACs of the two attention matmuls (q k^T and weights v), which forward hooks on modules do not see.
        self.matmul_macs = depth * 2 * self.tokens * self.tokens * dim

    def attention(self, b, x):
        n, t, e = x.shape
        d = e // self.heads
        q, k, v = b["qkv"](x).chunk(3, dim=-1)
        q, k, v = (z.reshape(n, t, self.heads, d).transpose(1, 2) for z in (q, k, v))
        w = ((q @ k.transpose(-2, -1)) * d ** -0.5).softmax(dim=-1)
        return b["proj"]((w @ v).transpose(1, 2).reshape(n, t, e))

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2) + self.pos
        for b in self.blocks:
            x = x + self.attention(b, b["ln1"](x))
            x = x + b["fc2"](F.gelu(b["fc1"](b["ln2"](x))))
        return self.head(self.norm(x).mean(dim=1))


# name -> (constructor, builder, input shape, variants). squeezenet1_1 has no batch norm (one file);
# mobilenet_v3_small is kept folded only, to keep the committed files near 10 MB.
SPECS = {
    "squeezenet1_1": ("torchvision.models.squeezenet1_1()", lambda: torchvision.models.squeezenet1_1(),
                      (1, 3, 224, 224), ["folded"]),
    "mobilenet_v2_w035": ("torchvision.models.mobilenet_v2(width_mult=0.35, num_classes=10)",
                          lambda: torchvision.models.mobilenet_v2(width_mult=0.35, num_classes=10), (2, 3, 64, 64),
                          ["folded", "bn"]),
    "mobilenet_v3_small_w050": ("torchvision.models.mobilenet_v3_small(width_mult=0.5, num_classes=10)",
                                lambda: torchvision.models.mobilenet_v3_small(width_mult=0.5, num_classes=10),
                                (2, 3, 64, 64), ["folded"]),
    "resnet_mini": ("ResNetMini() of make_onnx.py (torchvision BasicBlock and Bottleneck)", ResNetMini,
                    (2, 3, 32, 32), ["folded", "bn"]),
    "seg_mini": ("SegMini() of make_onnx.py", SegMini, (2, 3, 24, 24), ["folded", "bn"]),
    "vit_mini": ("ViTMini() of make_onnx.py", ViTMini, (2, 3, 16, 16), ["folded", "opset16"]),
}


def export(name, variant, model, x):
    """folded: eval-mode export with constant folding (batch norm folded into convolutions); bn: batch norm kept
    (TrainingMode.PRESERVE, no folding); opset16: as folded at opset 16, where LayerNorm is written out."""
    path = os.path.join(OUT, name + "." + variant + ".onnx")
    folded = variant != "bn"
    torch.onnx.export(
        model, x, path, opset_version=16 if variant == "opset16" else OPSET, input_names=["input"],
        output_names=["output"],
        dynamic_axes={"input": {0: "N"}, "output": {0: "N"}},
        training=torch.onnx.TrainingMode.EVAL if folded else torch.onnx.TrainingMode.PRESERVE,
        do_constant_folding=folded)
    return os.path.basename(path), os.path.getsize(path)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.set_grad_enabled(False)
    manifest = {"generated_by": "make_onnx.py", "pytorch": torch.__version__, "torchvision": torchvision.__version__,
                "opset": OPSET, "models": {}}
    for i, (name, (ctor, build, shape, variants)) in enumerate(SPECS.items()):
        torch.manual_seed(100 + i)
        model = build().eval()
        if name == "squeezenet1_1":
            model.load_state_dict(read_safetensors(os.path.join(MODELS, "squeezenet1_1.safetensors")), strict=False)
            x = torch.from_numpy(np.load(os.path.join(MODELS, "input_1x3x224x224.npy")))
        else:
            randomize_norms(model, 200 + i)
            x = torch.rand(shape, generator=torch.Generator().manual_seed(300 + i)) * 2 - 1
        y = model(x)
        rel = os.path.relpath(OUT, ROOT)
        if name == "squeezenet1_1":
            # The reference input, already committed; the output is written anyway (PyTorch's own run here).
            input_file = os.path.relpath(os.path.join(MODELS, "input_1x3x224x224.npy"), ROOT)
        else:
            input_file = os.path.join(rel, name + ".input.npy")
            np.save(os.path.join(ROOT, input_file), x.numpy())
        output_file = os.path.join(rel, name + ".output.npy")
        np.save(os.path.join(ROOT, output_file), y.numpy())
        params, macs = counts(model, x)
        macs += getattr(model, "matmul_macs", 0)
        files = {}
        for variant in variants:
            f, size = export(name, variant, model, x)
            files[variant] = f
            print(f"{f}: {size / 1e6:.2f} MB", file=sys.stderr)
        has_bn = any(isinstance(m, nn.BatchNorm2d) for m in model.modules())
        manifest["models"][name] = {"constructor": ctor, "input_shape": list(shape), "output_shape": list(y.shape),
                                    "params": params, "macs": macs, "batch_norm": has_bn, "files": files,
                                    "input": input_file, "output": output_file}
    with open(os.path.join(OUT, "MANIFEST.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
