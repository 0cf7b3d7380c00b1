#!/usr/bin/python3
"""Generates the PyTorch reference data in this folder (test-suite/reference).

    generate.py cases            cases/ and MANIFEST.json: 28 small networks, seeded weights, inputs, outputs
    generate.py models           models/: squeezenet1_1 and mobilenet_v2 with calibrated random weights
    generate.py counts           torchvision_counts.json: exact params, buffers, MACs and per-layer counts
    generate.py seeded [NAME ...]
                                 seeded/: recipes, buffers, inputs and outputs of models whose weights are drawn
                                 from a generator Java reproduces (vit_b_16, convnext_tiny, ...)
    generate.py all              all four (what is committed)
    generate.py models --extra resnet50 [NAME ...]
                                 larger torchvision models on demand, into extra/ (git-ignored, never committed)
    generate.py compare DIR_A DIR_B
                                 compares two reference folders file by file (used by check.sh)

--out DIR writes into DIR instead of this folder. Needs Debian's PyTorch:
    apt-get install -y python3-torch python3-torchvision
    /usr/bin/python3 test-suite/reference/generate.py all
Deterministic: every random draw comes from a seeded generator and PyTorch runs on one thread, so two runs on
the same machine give byte-identical files. The tests read the files only; they never need PyTorch.
"""
import argparse
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
import torchvision.ops as tvops
from torch.overrides import TorchFunctionMode

HERE = os.path.dirname(os.path.abspath(__file__))

DTYPES = {torch.float32: "F32", torch.int64: "I64", torch.float16: "F16", torch.int32: "I32"}


def save_safetensors(path, tensors, metadata=None):
    """Writes a safetensors file: 8-byte little-endian header length, JSON header (metadata first, padded with
    spaces to a multiple of 8), then the tensors' bytes in C order, in the order given."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        raw = t.numpy().tobytes(order="C")
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def save_npy(path, tensor):
    np.save(path, tensor.detach().numpy().astype(np.float32))


def write_json(path, obj, indent):
    with open(path, "w") as f:
        json.dump(obj, f, indent=indent)


def perturb_norms(model, g):
    """Non-trivial BatchNorm statistics and affine parameters, so that folding bugs show."""
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)):
            n = m.num_features
            m.running_mean.copy_(torch.randn(n, generator=g) * 0.2)
            m.running_var.copy_(torch.rand(n, generator=g) + 0.5)
            m.weight.data.copy_(torch.rand(n, generator=g) + 0.5)
            m.bias.data.copy_(torch.randn(n, generator=g) * 0.2)
            m.num_batches_tracked.fill_(7)
        elif isinstance(m, (nn.LayerNorm, nn.GroupNorm)) and m.weight is not None:
            m.weight.data.copy_(torch.rand(m.weight.shape, generator=g) + 0.5)
            m.bias.data.copy_(torch.randn(m.bias.shape, generator=g) * 0.2)


# ---------------------------------------------------------------- the cases

def conv_bn_relu(cin, cout, k, s=1, p=None, g=1, d=1):
    if p is None:
        p = d * (k - 1) // 2
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, p, dilation=d, groups=g, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU(inplace=False))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        idt = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return self.relu(y + idt)


class Bottleneck(nn.Module):
    """torchvision's Bottleneck (stride on the 3x3), here with groups (ResNeXt)."""
    def __init__(self, cin, planes, stride, groups, width):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, width, 1, bias=False); self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride, 1, groups=groups, bias=False); self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, planes * 4, 1, bias=False); self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU()
        self.downsample = nn.Sequential(nn.Conv2d(cin, planes * 4, 1, stride, bias=False), nn.BatchNorm2d(planes * 4))

    def forward(self, x):
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return self.relu(y + self.downsample(x))


class Inception(nn.Module):
    def __init__(self, cin, c1, c3r, c3, c5r, c5, pp):
        super().__init__()
        self.branch1 = conv_bn_relu(cin, c1, 1)
        self.branch2 = nn.Sequential(conv_bn_relu(cin, c3r, 1), conv_bn_relu(c3r, c3, 3))
        self.branch3 = nn.Sequential(conv_bn_relu(cin, c5r, 1), conv_bn_relu(c5r, c5, 3))
        self.branch4 = nn.Sequential(nn.MaxPool2d(3, 1, 1, ceil_mode=True), conv_bn_relu(cin, pp, 1))

    def forward(self, x):
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)


class SE(nn.Module):
    def __init__(self, c, r):
        super().__init__()
        self.fc1 = nn.Conv2d(c, c // r, 1)
        self.fc2 = nn.Conv2d(c // r, c, 1)

    def forward(self, x):
        s = F.adaptive_avg_pool2d(x, 1)
        s = torch.sigmoid(self.fc2(F.relu(self.fc1(s))))
        return x * s


class SEBasic(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, 1, 1, bias=False); self.bn1 = nn.BatchNorm2d(c)
        self.conv2 = nn.Conv2d(c, c, 3, 1, 1, bias=False); self.bn2 = nn.BatchNorm2d(c)
        self.se = SE(c, 4)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.se(self.bn2(self.conv2(y)))
        return F.relu(y + x)


class InvertedResidual(nn.Module):
    """MobileNetV2 block: 1x1 expand + ReLU6, 3x3 depthwise + ReLU6, 1x1 linear projection, residual."""
    def __init__(self, c, expand):
        super().__init__()
        h = c * expand
        self.conv = nn.Sequential(
            nn.Conv2d(c, h, 1, bias=False), nn.BatchNorm2d(h), nn.ReLU6(),
            nn.Conv2d(h, h, 3, 1, 1, groups=h, bias=False), nn.BatchNorm2d(h), nn.ReLU6(),
            nn.Conv2d(h, c, 1, bias=False), nn.BatchNorm2d(c))

    def forward(self, x):
        return x + self.conv(x)


def channel_shuffle(x, groups):
    n, c, h, w = x.shape
    return x.view(n, groups, c // groups, h, w).transpose(1, 2).reshape(n, c, h, w)


class ShuffleUnit(nn.Module):
    """ShuffleNetV2 unit, stride 1: split channels in half, transform one half, concat, shuffle(2)."""
    def __init__(self, c):
        super().__init__()
        h = c // 2
        self.branch2 = nn.Sequential(
            nn.Conv2d(h, h, 1, bias=False), nn.BatchNorm2d(h), nn.ReLU(),
            nn.Conv2d(h, h, 3, 1, 1, groups=h, bias=False), nn.BatchNorm2d(h),
            nn.Conv2d(h, h, 1, bias=False), nn.BatchNorm2d(h), nn.ReLU())

    def forward(self, x):
        a, b = x.chunk(2, dim=1)
        return channel_shuffle(torch.cat([a, self.branch2(b)], 1), 2)


class UNetMini(nn.Module):
    """Two-level U-Net with 'valid' 3x3 convolutions (as in the paper): the skip is center-cropped."""
    def __init__(self):
        super().__init__()
        def dc(i, o):
            return nn.Sequential(nn.Conv2d(i, o, 3), nn.ReLU(), nn.Conv2d(o, o, 3), nn.ReLU())
        self.enc1 = dc(1, 8)
        self.enc2 = dc(8, 16)
        self.up = nn.ConvTranspose2d(16, 8, 2, 2)
        self.dec1 = dc(16, 8)
        self.head = nn.Conv2d(8, 2, 1)

    def forward(self, x):
        e1 = self.enc1(x)                       # 8 x 40 x 40  (input 44x44)
        e2 = self.enc2(F.max_pool2d(e1, 2))     # 16 x 16 x 16
        u = self.up(e2)                         # 8 x 32 x 32
        dy = (e1.shape[2] - u.shape[2]) // 2
        dx = (e1.shape[3] - u.shape[3]) // 2
        skip = e1[:, :, dy:dy + u.shape[2], dx:dx + u.shape[3]]
        return self.head(self.dec1(torch.cat([skip, u], 1)))


class ASPP(nn.Module):
    """DeepLabV3 atrous spatial pyramid pooling with image pooling branch, bilinear upsampling."""
    def __init__(self, cin, c):
        super().__init__()
        self.b0 = conv_bn_relu(cin, c, 1)
        self.b1 = conv_bn_relu(cin, c, 3, d=2)
        self.b2 = conv_bn_relu(cin, c, 3, d=4)
        self.pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(cin, c, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU())
        self.project = conv_bn_relu(4 * c, c, 1)

    def forward(self, x):
        p = F.interpolate(self.pool(x), size=x.shape[2:], mode="bilinear", align_corners=False)
        return self.project(torch.cat([self.b0(x), self.b1(x), self.b2(x), p], 1))


class SeparableConv(nn.Module):
    def __init__(self, cin, cout, d):
        super().__init__()
        self.depthwise = nn.Conv2d(cin, cin, 3, 1, d, dilation=d, groups=cin, bias=False)
        self.bn1 = nn.BatchNorm2d(cin)
        self.pointwise = nn.Conv2d(cin, cout, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)

    def forward(self, x):
        return F.relu(self.bn2(self.pointwise(F.relu(self.bn1(self.depthwise(x))))))


class WaveNetMini(nn.Module):
    """Causal dilated 1-D convolutions (left padding), gated tanh*sigmoid units, residual and skip sums."""
    def __init__(self, c=8, skip=8, dilations=(1, 2, 4, 8)):
        super().__init__()
        self.dilations = dilations
        self.causal = nn.Conv1d(1, c, 2)
        self.filt = nn.ModuleList([nn.Conv1d(c, c, 2, dilation=d) for d in dilations])
        self.gate = nn.ModuleList([nn.Conv1d(c, c, 2, dilation=d) for d in dilations])
        self.res = nn.ModuleList([nn.Conv1d(c, c, 1) for _ in dilations])
        self.skip = nn.ModuleList([nn.Conv1d(c, skip, 1) for _ in dilations])
        self.out1 = nn.Conv1d(skip, skip, 1)
        self.out2 = nn.Conv1d(skip, 4, 1)

    def forward(self, x):
        x = self.causal(F.pad(x, (1, 0)))
        total = 0
        for d, f, g, r, s in zip(self.dilations, self.filt, self.gate, self.res, self.skip):
            xp = F.pad(x, (d, 0))
            z = torch.tanh(f(xp)) * torch.sigmoid(g(xp))
            total = total + s(z)
            x = x + r(z)
        return self.out2(F.relu(self.out1(F.relu(total))))


class TransformerMini(nn.Module):
    """Sinusoidal positional encoding + one post-norm Transformer encoder layer (ReLU FFN) + mean pool + linear."""
    def __init__(self, d=16, heads=4, ff=32, length=8):
        super().__init__()
        self.encoder = nn.TransformerEncoderLayer(d, heads, ff, dropout=0.0, batch_first=True)
        pe = torch.zeros(length, d)
        pos = torch.arange(length).unsqueeze(1).float()
        div = torch.exp(torch.arange(0, d, 2).float() * (-math.log(10000.0) / d))
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe, persistent=False)
        self.head = nn.Linear(d, 3)

    def forward(self, x):
        return self.head(self.encoder(x + self.pe).mean(dim=1))


class RoiHead(nn.Module):
    """Fast R-CNN style head: conv backbone, RoI pooling of given boxes, FC classifier and box regressor."""
    def __init__(self, align):
        super().__init__()
        self.align = align
        self.backbone = nn.Sequential(nn.Conv2d(3, 8, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2))   # stride 2
        self.fc = nn.Linear(8 * 4 * 4, 32)
        self.cls = nn.Linear(32, 5)
        self.bbox = nn.Linear(32, 20)

    def forward(self, image, boxes):
        f = self.backbone(image)
        if self.align:
            r = tvops.roi_align(f, boxes, output_size=(4, 4), spatial_scale=0.5, sampling_ratio=2, aligned=True)
        else:
            r = tvops.roi_pool(f, boxes, output_size=(4, 4), spatial_scale=0.5)
        h = F.relu(self.fc(r.flatten(1)))
        return self.cls(h), self.bbox(h)


class YoloHead(nn.Module):
    """YOLOv1-style output: S x S grid, B=2 boxes of (x, y, w, h, confidence) and C=3 class scores per cell."""
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, 2, 1), nn.LeakyReLU(0.1), nn.MaxPool2d(2),
                                      nn.Conv2d(8, 16, 3, 1, 1), nn.LeakyReLU(0.1), nn.MaxPool2d(2))
        self.fc = nn.Linear(16 * 4 * 4, 4 * 4 * (2 * 5 + 3))

    def forward(self, x):
        return self.fc(self.features(x).flatten(1)).view(-1, 4, 4, 13)


def lenet5():
    return nn.Sequential(nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2),
                         nn.Flatten(), nn.Linear(400, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(),
                         nn.Linear(84, 10))


class Activations(nn.Module):
    def forward(self, x):
        return torch.cat([F.relu(x), F.relu6(x * 4), F.leaky_relu(x, 0.1), torch.sigmoid(x), torch.tanh(x),
                          F.gelu(x), F.silu(x), F.hardswish(x * 3), F.hardsigmoid(x * 3), F.elu(x),
                          F.softplus(x), F.softmax(x, dim=1)], 1)


class SPP(nn.Module):
    """PSPNet pyramid pooling: adaptive average pools to 1, 2, 3, 6 bins, 1x1 conv, bilinear upsample, concat."""
    def __init__(self, c):
        super().__init__()
        self.stages = nn.ModuleList([nn.Sequential(nn.AdaptiveAvgPool2d(b), nn.Conv2d(c, c // 4, 1, bias=False),
                                                   nn.BatchNorm2d(c // 4), nn.ReLU()) for b in (1, 2, 3, 6)])

    def forward(self, x):
        h, w = x.shape[2:]
        outs = [x] + [F.interpolate(s(x), size=(h, w), mode="bilinear", align_corners=False) for s in self.stages]
        return torch.cat(outs, 1)


class Norms(nn.Module):
    def __init__(self):
        super().__init__()
        self.gn = nn.GroupNorm(4, 16)
        self.inorm = nn.InstanceNorm2d(16, affine=True)
        self.ln = nn.LayerNorm([16, 6, 6])
        self.lrn = nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0)

    def forward(self, x):
        return torch.cat([self.gn(x), self.inorm(x), self.ln(x), self.lrn(x * 10)], 1)


class Upsampling(nn.Module):
    def __init__(self):
        super().__init__()
        self.deconv_k4 = nn.ConvTranspose2d(4, 6, 4, 2, 1)
        self.deconv_k3 = nn.ConvTranspose2d(4, 6, 3, 2, 1, output_padding=1)

    def forward(self, x):
        return torch.cat([self.deconv_k4(x), self.deconv_k3(x),
                          F.interpolate(x, scale_factor=2, mode="nearest"),
                          F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False),
                          F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True)], 1)


class Recurrent(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, 16, batch_first=True)
        self.gru = nn.GRU(16, 12, batch_first=True)

    def forward(self, x):
        y, _ = self.lstm(x)
        z, _ = self.gru(y)
        return z


class Conv3dCase(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv3d(2, 4, 3, stride=(1, 2, 2), padding=1)
        self.pool = nn.MaxPool3d(2)

    def forward(self, x):
        return self.pool(F.relu(self.conv(x)))


class Pools(nn.Module):
    def forward(self, x):
        a = F.max_pool2d(x, 3, 2, 1)                          # 9 -> 5
        b = F.avg_pool2d(x, 3, 2, 1)                          # count_include_pad=True (the default)
        c = F.avg_pool2d(x, 3, 2, 1, count_include_pad=False)
        d = F.max_pool2d(x, 2, 2, ceil_mode=True)              # 9 -> 5
        e = F.adaptive_avg_pool2d(x, 5)                        # uneven bins
        return torch.cat([a, b, c, d, e], 1)


class Reductions(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 6, 3, padding=1)
        self.fc = nn.Linear(6, 5)

    def forward(self, x):
        y = self.conv(x)                                                   # [N, 6, 7, 8]
        s = y.sum(dim=(2, 3))                                              # [N, 6]
        pooled = torch.cat([y.amax(1, keepdim=True), y.amin(1, keepdim=True), y.sum(1, keepdim=True)], 1)
        m = y.amax(dim=(1, 3))                                             # [N, 7]
        cls = self.fc(s).argmax(dim=1).float()                             # [N]
        col = y.argmax(dim=2, keepdim=True).float()                        # [N, 6, 1, 8]
        return s, pooled, m, cls, col


class LearnedTensors(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer_scale = nn.Parameter(torch.randn(8, 1, 1))     # ConvNeXt's layer scale shape
        self.row = nn.Parameter(torch.randn(6))                     # broadcast along the last dim
        self.divisor = nn.Parameter(torch.rand(1, 4, 1) + 1)
        self.class_token = nn.Parameter(torch.randn(1, 1, 6))      # ViT's class token and position table
        self.pos_embedding = nn.Parameter(torch.randn(1, 9, 6))
        self.conv = nn.Conv2d(3, 8, 3, padding=1)

    def forward(self, x):
        y = self.conv(x)                                                   # [N, 8, 4, 6]
        scaled = (y * self.layer_scale - self.row) / self.divisor
        tokens = y.mean(dim=2)                                             # [N, 8, 6]
        n = x.shape[0]
        seq = torch.cat([self.class_token.expand(n, -1, -1), tokens], dim=1) + self.pos_embedding
        centered = y - y.mean(1, keepdim=True)
        return scaled, seq, centered


class SharedLayers(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Conv2d(8, 2, 1, bias=False), nn.ReLU(), nn.Conv2d(2, 8, 1, bias=False))
        self.tower = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())

    def forward(self, x):
        # CBAM's channel attention: one MLP on the average- and on the max-pooled descriptor.
        att = torch.sigmoid(self.mlp(F.adaptive_max_pool2d(x, 1)) + self.mlp(F.adaptive_avg_pool2d(x, 1)))
        y = att * x
        return self.tower(self.tower(y))                                   # one tower applied twice


class Pieces(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(4, 4, 3, padding=1) for _ in range(3)])

    def forward(self, x):
        parts = x.chunk(4, 1)                          # Res2Net's hierarchical split and concat
        outs = [parts[0]]
        y = None
        for i in range(3):
            y = parts[i + 1] if i == 0 else parts[i + 1] + y
            y = self.convs[i](y)
            outs.append(y)
        b, c = torch.split(x, [6, 10], dim=1)
        return torch.cat(outs, 1), torch.cat([c, b], 1)


class Unpooling(nn.Module):
    """Two-level encoder-decoder upsampling with the encoder's max-pooling indices (SegNet's unpooling)."""
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 3, padding=1)
        self.conv2 = nn.Conv2d(6, 6, 3, padding=1)
        self.conv3 = nn.Conv2d(6, 3, 3, padding=1)
        self.conv4 = nn.Conv2d(3, 2, 1)

    def forward(self, x):
        x1 = F.relu6(6 * x)                            # many ties: windows of zeros and of sixes
        p1, idx1 = F.max_pool2d(x1, 2, 2, return_indices=True)                       # 11x13 -> 5x6
        h = F.relu(self.conv1(p1))                     # ties at zero again
        p2, idx2 = F.max_pool2d(h, 3, 2, 1, return_indices=True)                     # 5x6 -> 3x3, overlapping
        d = self.conv2(p2)
        u2 = F.max_unpool2d(d, idx2, 3, 2, 1, output_size=h.shape[-2:])             # default 5x5; 5x6 given
        y = F.relu(self.conv3(u2))
        u1 = F.max_unpool2d(y, idx1, 2, 2, output_size=x1.shape[-2:])               # default 10x12; 11x13 given
        return self.conv4(u1), idx1.float(), idx2.float()


class SwinMini(nn.Module):
    """Swin Transformer in miniature from torchvision's own SwinTransformerBlock and PatchMerging: windows that need
    padding, shifted and unshifted, a rectangular window, a shift dropped because the window covers the map, and an
    odd map merged. The relative position bias tables are redrawn N(0, 1) (torchvision's std 0.02 would hide a wrong
    index)."""

    def __init__(self):
        super().__init__()
        from torchvision.models.swin_transformer import PatchMerging, SwinTransformerBlock
        from torchvision.ops.misc import Permute
        self.features = nn.Sequential(
            nn.Sequential(nn.Conv2d(3, 8, 2, 2), Permute([0, 2, 3, 1]), nn.LayerNorm(8)),
            nn.Sequential(SwinTransformerBlock(8, 2, [4, 4], [0, 0]), SwinTransformerBlock(8, 2, [4, 4], [2, 2]),
                          SwinTransformerBlock(8, 2, [4, 3], [2, 1])),
            PatchMerging(8),
            nn.Sequential(SwinTransformerBlock(16, 4, [6, 6], [3, 3])))
        self.norm = nn.LayerNorm(16)
        self.head = nn.Linear(16, 5)
        with torch.no_grad():
            for m in self.modules():
                if hasattr(m, "relative_position_bias_table"):
                    m.relative_position_bias_table.normal_()

    def forward(self, x):
        y = self.norm(self.features(x))
        return y, self.head(y.mean((1, 2)))


def case(name, factory, inputs, description):
    """A reference case: factory builds the module (called after seeding, so its initial weights are seeded)."""
    return dict(name=name, factory=factory, inputs=inputs, description=description)


def build_cases():
    C = []
    C.append(case("conv_basic", lambda: nn.Sequential(nn.Conv2d(3, 8, 3, 1, 1), nn.ReLU()), [(1, 3, 16, 16)],
                  "conv 3->8, 3x3, stride 1, pad 1, with bias; ReLU."))
    C.append(case("conv_strides", lambda: nn.Sequential(
        nn.Conv2d(3, 8, 7, 2, 3, bias=False), nn.MaxPool2d(3, 2, 1),
        nn.Conv2d(8, 8, 5, 2, 2), nn.Conv2d(8, 6, 1, 2, 0), nn.Conv2d(6, 5, 3, 1, 0)), [(2, 3, 61, 67)],
        "batch 2, odd sizes: conv 7x7/2 pad 3 no bias; maxpool 3x3/2 pad 1; conv 5x5/2 pad 2; conv 1x1/2; conv 3x3 'valid'."))
    C.append(case("conv_dilated", lambda: nn.Sequential(nn.Conv2d(4, 8, 3, 1, 2, dilation=2), nn.ReLU(),
                                                nn.Conv2d(8, 8, 3, 1, 4, dilation=4)), [(1, 4, 20, 20)],
                  "atrous: conv 3x3 dilation 2 pad 2; ReLU; conv 3x3 dilation 4 pad 4."))
    C.append(case("conv_grouped", lambda: nn.Sequential(nn.Conv2d(8, 16, 3, 1, 1, groups=4), nn.Conv2d(16, 16, 3, 2, 1, groups=16),
                                                nn.Conv2d(16, 32, 3, 1, 1, groups=16, bias=False)), [(1, 8, 14, 14)],
                  "grouped conv 8->16 groups 4; depthwise 3x3/2 (groups=channels=16); depthwise with multiplier 2 (16->32, groups 16, no bias)."))
    C.append(case("conv_bn_relu", lambda: conv_bn_relu(3, 16, 3), [(1, 3, 12, 12)],
                  "conv 3->16 3x3 pad 1 no bias; BatchNorm (eps 1e-5, non-trivial running stats); ReLU. Names follow nn.Sequential indices 0,1."))
    C.append(case("pools", lambda: Pools(), [(1, 3, 9, 9)],
                  "concat on channels of: maxpool 3/2 pad 1; avgpool 3/2 pad 1 counting pads; avgpool 3/2 pad 1 not counting pads; maxpool 2/2 ceil_mode; adaptive avgpool to 5x5 (uneven bins)."))
    C.append(case("lenet5", lambda: lenet5(), [(2, 1, 32, 32)],
                  "LeNet-5: conv 6@5x5, tanh, avgpool 2; conv 16@5x5, tanh, avgpool 2; flatten; fc 120, tanh; fc 84, tanh; fc 10."))
    C.append(case("mlp_head", lambda: nn.Sequential(nn.AdaptiveAvgPool2d((3, 3)), nn.Flatten(), nn.Dropout(0.5), nn.Linear(72, 32), nn.ReLU(),
                                            nn.Dropout(0.5), nn.Linear(32, 10), nn.Softmax(dim=1)), [(1, 8, 7, 7)],
                  "AlexNet-style head: adaptive avgpool 3x3; flatten; dropout (identity at inference); fc 32; ReLU; dropout; fc 10; softmax."))
    C.append(case("residual_basic", lambda: nn.Sequential(BasicBlock(8, 8, 1), BasicBlock(8, 16, 2)), [(1, 8, 16, 16)],
                  "two ResNet basic blocks (torchvision names): identity shortcut, then stride 2 with 1x1/2 conv+BN downsample."))
    C.append(case("bottleneck_grouped", lambda: Bottleneck(16, 8, 2, 4, 16), [(1, 16, 12, 12)],
                  "ResNeXt bottleneck: 1x1 16->16, 3x3/2 groups 4, 1x1 16->32, each with BN; downsample 1x1/2+BN; add; ReLU."))
    C.append(case("inception", lambda: Inception(16, 8, 6, 12, 2, 4, 4), [(1, 16, 10, 10)],
                  "GoogLeNet inception module (BN variant, 3x3 in the 5x5 branch as torchvision does): 1x1 | 1x1->3x3 | 1x1->3x3 | maxpool 3/1 pad 1 ceil->1x1; concat."))
    C.append(case("se_block", lambda: SEBasic(16), [(1, 16, 8, 8)],
                  "SE-ResNet basic block: conv-BN-ReLU, conv-BN, squeeze-excite (GAP, 1x1 conv 16->4 +ReLU, 1x1 conv 4->16 + sigmoid, multiply), add identity, ReLU."))
    C.append(case("inverted_residual", lambda: InvertedResidual(8, 6), [(1, 8, 10, 10)],
                  "MobileNetV2 inverted residual: 1x1 expand x6 + BN + ReLU6, 3x3 depthwise + BN + ReLU6, 1x1 linear project + BN, residual add."))
    C.append(case("shuffle_unit", lambda: ShuffleUnit(16), [(1, 16, 8, 8)],
                  "ShuffleNetV2 stride-1 unit: split channels into halves, transform the second, concat, channel shuffle with 2 groups."))
    C.append(case("separable_conv", lambda: SeparableConv(8, 16, 2), [(1, 8, 12, 12)],
                  "DeepLabV3+/Xception separable conv: depthwise 3x3 dilation 2 + BN + ReLU, pointwise 1x1 + BN + ReLU."))
    C.append(case("aspp", lambda: ASPP(8, 8), [(1, 8, 11, 11)],
                  "DeepLabV3 ASPP: 1x1 | 3x3 rate 2 | 3x3 rate 4 | image pooling (GAP, 1x1, BN, ReLU, bilinear upsample, align_corners false); concat; 1x1 project."))
    C.append(case("pyramid_pooling", lambda: SPP(8), [(1, 8, 12, 12)],
                  "PSPNet pyramid pooling: x concat upsampled (bilinear, align_corners false) branches of adaptive avgpool 1/2/3/6 -> 1x1 conv -> BN -> ReLU."))
    C.append(case("unet_mini", lambda: UNetMini(), [(1, 1, 44, 44)],
                  "two-level U-Net, valid convolutions: center-crop of the skip, transposed conv 2x2/2, concat [skip, up], 1x1 head to 2 classes."))
    C.append(case("upsampling", lambda: Upsampling(), [(1, 4, 5, 5)],
                  "transposed conv 4x4/2 pad 1; transposed conv 3x3/2 pad 1 output_padding 1; nearest x2; bilinear x2 align_corners false; bilinear x2 align_corners true; concat."))
    C.append(case("wavenet_mini", lambda: WaveNetMini(), [(1, 1, 32)],
                  "1-D: causal conv k2 (left pad 1); 4 layers of dilated causal conv k2 (dilations 1,2,4,8, left pad d) as filter and gate, tanh*sigmoid, 1x1 residual and 1x1 skip; sum of skips; ReLU, 1x1, ReLU, 1x1 to 4."))
    C.append(case("transformer_encoder", lambda: TransformerMini(), [(2, 8, 16)],
                  "input [batch, 8 tokens, 16 features]; add sinusoidal positional encoding (sin on even, cos on odd features, base 10000); PyTorch TransformerEncoderLayer (d 16, 4 heads, ff 32, ReLU, post-norm, LayerNorm eps 1e-5); mean over tokens; linear 16->3."))
    C.append(case("recurrent", lambda: Recurrent(), [(1, 10, 8)],
                  "LSTM 8->16 then GRU 16->12 over 10 time steps (batch first, PyTorch gate order: LSTM i,f,g,o; GRU r,z,n); output is the GRU's whole output sequence."))
    C.append(case("roi_pool_head", lambda: RoiHead(False), [(1, 3, 16, 16), "boxes"],
                  "Fast R-CNN head: conv 3->8 + ReLU + maxpool 2 (feature stride 2); RoI max pooling 4x4 of the boxes (spatial_scale 0.5); fc 128->32 + ReLU; two outputs: class scores (5) and box deltas (20). Second input boxes: [K, 5] rows of (batch index, x1, y1, x2, y2) in input-image pixels."))
    C.append(case("roi_align_head", lambda: RoiHead(True), [(1, 3, 16, 16), "boxes"],
                  "as roi_pool_head but RoI Align 4x4 (sampling_ratio 2, aligned=True, bilinear)."))
    C.append(case("yolo_head", lambda: YoloHead(), [(1, 3, 32, 32)],
                  "YOLOv1-style: conv 3x3/2 + leaky ReLU 0.1 + maxpool 2; conv 3x3 + leaky 0.1 + maxpool 2; flatten; fc to 4x4x13 and reshape to [4, 4, 13] (channels last)."))
    C.append(case("activations", lambda: Activations(), [(1, 2, 5, 5)],
                  "concat of relu, relu6(4x), leaky_relu 0.1, sigmoid, tanh, gelu (erf), silu, hardswish(3x), hardsigmoid(3x), elu, softplus, softmax over channels."))
    C.append(case("norms", lambda: Norms(), [(2, 16, 6, 6)],
                  "batch 2: GroupNorm 4 groups; InstanceNorm (affine); LayerNorm over [C,H,W]; LocalResponseNorm size 5 alpha 1e-4 beta 0.75 k 2 of 10x; concat."))
    C.append(case("conv3d", lambda: Conv3dCase(), [(1, 2, 6, 8, 8)],
                  "3-D: conv 2->4 3x3x3 stride (1,2,2) pad 1 + ReLU; maxpool3d 2."))
    C.append(case("reductions", lambda: Reductions(), [(2, 3, 7, 8)],
                  "conv 3->6 3x3 pad 1, then five outputs: sum over (H, W); concat of channel max, min and sum with "
                  "keepdim; amax over (C, W); argmax over the classes of fc(sum) as float; argmax over H with keepdim."))
    C.append(case("learned_tensors", lambda: LearnedTensors(), [(2, 3, 4, 6)],
                  "free-standing nn.Parameters and broadcasting: conv 3->8; (y * layer_scale[8,1,1] - row[6]) / "
                  "divisor[1,4,1]; a ViT-style class token [1,1,6] expanded over the batch and concatenated before "
                  "the tokens y.mean(2), plus a position table [1,9,6]; y minus its channel mean (keepdim)."))
    C.append(case("shared_layers", lambda: SharedLayers(), [(2, 8, 6, 6)],
                  "layers applied twice with the same weights: CBAM channel attention (one 1x1 MLP 8->2->8 on the "
                  "max- and the average-pooled descriptors, summed, sigmoid, times x), then one conv-BN-ReLU tower "
                  "applied twice."))
    C.append(case("pieces", lambda: Pieces(), [(2, 16, 6, 6)],
                  "chunk and split into named pieces: Res2Net-style x.chunk(4, 1), piece 0 kept, pieces 1..3 each "
                  "added to the previous output and convolved (3x3, 4->4), all four concatenated; split [6, 10] on "
                  "channels concatenated in the other order."))
    C.append(case("unpooling", lambda: Unpooling(), [(2, 3, 11, 13)],
                  "SegNet-style unpooling with max-pooling indices, odd sizes: relu6(6x) (ties of 0 and 6); maxpool "
                  "2/2 with indices; conv 3->6 + ReLU; maxpool 3/2 pad 1 with indices (overlapping windows); conv "
                  "6->6; max_unpool to the 5x6 of the pooling's input (output_size; the default would be 5x5); conv "
                  "6->3 + ReLU; max_unpool to 11x13 (default 10x12); 1x1 conv to 2. Outputs: the result and both "
                  "indices as floats (flat per plane; first maximum on ties)."))
    C.append(case("swin_mini", lambda: SwinMini(), [(2, 3, 18, 18)],
                  "Swin Transformer in miniature, torchvision's modules and names: conv 3->8 2x2/2, permute to "
                  "channels last, LayerNorm; three SwinTransformerBlocks on the 9x9 map (2 heads: window 4 unshifted "
                  "and shifted by 2, both padded to 12x12; window (4, 3) shifted (2, 1)); PatchMerging of the odd map "
                  "(padded to 10x10, 5x5x16); a block with window 6 and shift 3 on 5x5, where torchvision drops the "
                  "shift (the window covers the padded 6x6 map); LayerNorm. Two outputs: the [5, 5, 16] map and "
                  "linear 16->5 of its mean over positions. Relative position bias tables drawn N(0, 1)."))
    return C


BOXES = [[0, 0.0, 0.0, 15.0, 15.0], [0, 2.5, 3.0, 9.0, 12.5], [0, 6.0, 1.0, 14.0, 7.0]]


def generate_cases(out):
    """cases/NAME.* and MANIFEST.json. Case i: weights from torch.manual_seed(1000 + i) at construction, norm
    statistics and inputs from a generator seeded 2000 + i."""
    folder = os.path.join(out, "cases")
    os.makedirs(folder, exist_ok=True)
    manifest = []
    for i, c in enumerate(build_cases()):
        torch.manual_seed(1000 + i)
        model = c["factory"]()
        g = torch.Generator().manual_seed(2000 + i)
        with torch.no_grad():
            perturb_norms(model, g)
        model.eval()
        inputs, names = [], []
        for j, spec in enumerate(c["inputs"]):
            if spec == "boxes":
                inputs.append(torch.tensor(BOXES)); names.append("boxes")
            else:
                inputs.append(torch.randn(*spec, generator=g)); names.append("input" if j == 0 else f"input{j}")
        with torch.no_grad():
            out_ = model(*inputs)
        outs = list(out_) if isinstance(out_, tuple) else [out_]
        files = {"weights": f"{c['name']}.safetensors", "inputs": {}, "outputs": []}
        save_safetensors(os.path.join(folder, files["weights"]), model.state_dict(),
                         {"source": "PyTorch " + torch.__version__, "case": c["name"]})
        for n, t in zip(names, inputs):
            fn = f"{c['name']}.{n}.npy"
            save_npy(os.path.join(folder, fn), t)
            files["inputs"][n] = {"file": fn, "shape": list(t.shape)}
        for k, t in enumerate(outs):
            fn = f"{c['name']}.output{k}.npy"
            save_npy(os.path.join(folder, fn), t)
            files["outputs"].append({"file": fn, "shape": list(t.shape)})
        params = {k: list(v.shape) for k, v in model.state_dict().items()}
        manifest.append(dict(name=c["name"], description=c["description"], pytorch_module=str(model),
                             parameters=params, **files))
        print(f"cases   {c['name']:22s} out {[tuple(t.shape) for t in outs]}")
    write_json(os.path.join(out, "MANIFEST.json"),
               {"generated_by": "generate.py cases", "pytorch": torch.__version__, "cases": manifest}, 1)


# ---------------------------------------------------------------- whole torchvision models

# Arguments that make a torchvision model a plain single-output classifier (no auxiliary heads, no input
# re-normalization), and its input size. Used by `models` (--extra) and by `counts`.
TV_KWARGS = {
    "googlenet": dict(aux_logits=False, init_weights=False, transform_input=False),
    "inception_v3": dict(aux_logits=False, init_weights=False),
    # Segmentation: no pretrained backbone (weights_backbone=None: nothing is downloaded), no auxiliary head.
    "fcn_resnet50": dict(weights=None, weights_backbone=None, aux_loss=False),
    "deeplabv3_resnet50": dict(weights=None, weights_backbone=None, aux_loss=False),
    "lraspp_mobilenet_v3_large": dict(weights=None, weights_backbone=None),
}
TV_NOTES = {
    "googlenet": "aux_logits=False, init_weights=False, transform_input=False",
    "inception_v3": "aux_logits=False, init_weights=False, 299x299",
    "efficientnet_v2_s": "384x384 (torchvision's evaluation size)",
    "fcn_resnet50": "weights_backbone=None, aux_loss=False, 520x520, output = forward()['out']",
    "deeplabv3_resnet50": "weights_backbone=None, aux_loss=False, 520x520, output = forward()['out']",
    "lraspp_mobilenet_v3_large": "weights_backbone=None, 520x520, output = forward()['out']",
}
TV_SIZE = {"inception_v3": 299, "efficientnet_v2_s": 384, "fcn_resnet50": 520, "deeplabv3_resnet50": 520,
           "lraspp_mobilenet_v3_large": 520}
# Models of torchvision.models.segmentation (the others are in torchvision.models); their forward returns a dict.
SEGMENTATION_MODELS = {"fcn_resnet50", "deeplabv3_resnet50", "lraspp_mobilenet_v3_large"}

COMMITTED_MODELS = ["squeezenet1_1", "mobilenet_v2"]
MODEL_SEED = 0          # torch.manual_seed before construction: torchvision's own random init
CALIBRATION_SEED = 1    # generator for the biases, BatchNorm affine parameters and calibration batches
INPUT_SEED = 0          # the shared input: torch.randn after torch.manual_seed(INPUT_SEED)
BN_BATCHES, BN_BATCH_SIZE = 2, 8
MODELS_SOURCE = ("torchvision 0.14 models, random init with torch.manual_seed(model_seed), BatchNorm statistics "
                 "calibrated on random batches so outputs are not degenerate, eval mode; input = {input}; "
                 "expected output = NAME.output.npy")


def input_shape(name):
    s = TV_SIZE.get(name, 224)
    return (1, 3, s, s)


def calibrate(model, shape):
    """Makes a freshly initialized model's output depend on its input. torchvision initializes biases and
    BatchNorm's (weight, bias, running_mean, running_var) to constants; then every channel of a layer behaves
    alike and a deep network's output is nearly constant. With one generator seeded CALIBRATION_SEED:
    1. every all-zero conv/linear bias becomes U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (PyTorch's default bias init);
    2. every BatchNorm weight becomes U(0.5, 1.5) and bias U(-0.25, 0.25);
    3. the running statistics are the exact averages over BN_BATCHES training-mode passes of standard-normal
       batches of BN_BATCH_SIZE (momentum None), so each layer's input is roughly standardized.
    Returns the calibration record of models/MANIFEST.json."""
    g = torch.Generator().manual_seed(CALIBRATION_SEED)
    biases = 0
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)) and m.bias is not None and not m.bias.any():
                bound = 1 / math.sqrt(m.weight[0].numel())
                m.bias.uniform_(-bound, bound, generator=g)
                biases += 1
        norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
        for m in norms:
            m.weight.uniform_(0.5, 1.5, generator=g)
            m.bias.uniform_(-0.25, 0.25, generator=g)
        if norms:
            for m in norms:
                m.reset_running_stats()
                m.momentum = None
            model.train()
            for _ in range(BN_BATCHES):
                model(torch.randn(BN_BATCH_SIZE, *shape[1:], generator=g))
    model.eval()
    return {"seed": CALIBRATION_SEED, "zero_biases_randomized": biases, "bn_layers_calibrated": len(norms),
            "bn_batches": BN_BATCHES, "bn_batch_size": BN_BATCH_SIZE}


def make_model(name, folder):
    """NAME.safetensors and NAME.output.npy in folder (with the shared input); returns the manifest entry."""
    shape = input_shape(name)
    input_file = "input_" + "x".join(map(str, shape)) + ".npy"
    torch.manual_seed(INPUT_SEED)
    x = torch.randn(*shape)
    save_npy(os.path.join(folder, input_file), x)
    kwargs = TV_KWARGS.get(name, {})
    torch.manual_seed(MODEL_SEED)
    model = getattr(torchvision.models, name)(**kwargs)
    calibration = calibrate(model, shape)
    with torch.no_grad():
        y = model(x)
    save_safetensors(os.path.join(folder, name + ".safetensors"), model.state_dict(),
                     {"format": "pt", "model": name, "torchvision": torchvision.__version__,
                      "model_seed": str(MODEL_SEED), "init": "calibrated", "kwargs": json.dumps(kwargs)})
    save_npy(os.path.join(folder, name + ".output.npy"), y)
    v = y.numpy()
    stats = {"min": float(v.min()), "max": float(v.max()), "mean": float(v.mean()), "std": float(v.std()),
             "argmax": int(v.argmax())}
    print(f"models  {name:22s} out {tuple(y.shape)} argmax {stats['argmax']} std {stats['std']:.4f}")
    entry = {"kwargs": kwargs, "init": "calibrated", "model_seed": MODEL_SEED, "calibration": calibration,
             "params": sum(p.numel() for p in model.parameters()), "output_shape": list(y.shape),
             "output_stats": stats}
    return input_file, entry


def generate_models(out, names, folder_name, merge):
    folder = os.path.join(out, folder_name)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "MANIFEST.json")
    models = {}
    if merge and os.path.exists(path):
        with open(path) as f:
            models = json.load(f)["models"]
    inputs = set()
    for name in names:
        input_file, models[name] = make_model(name, folder)
        inputs.add(input_file)
    inputs |= {"input_" + "x".join(map(str, input_shape(n))) + ".npy" for n in models}
    write_json(path, {"source": MODELS_SOURCE.format(input=" or ".join(sorted(inputs))), "models": models}, 1)


# ---------------------------------------------------------------- torchvision counts

COUNTS_MODELS = ["alexnet", "vgg11", "vgg16", "vgg19", "vgg16_bn", "googlenet", "inception_v3", "resnet18",
                 "resnet34", "resnet50", "resnet101", "resnet152", "resnext50_32x4d", "wide_resnet50_2",
                 "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "shufflenet_v2_x1_0", "squeezenet1_0",
                 "squeezenet1_1", "densenet121", "efficientnet_b0", "vit_b_16", "convnext_tiny",
                 "regnet_y_400mf", "efficientnet_v2_s",
                 "fcn_resnet50", "deeplabv3_resnet50", "lraspp_mobilenet_v3_large", "swin_t"]

CONVENTIONS = {
    "params": "learnable parameters, exact",
    "buffers": "non-learnable state (BatchNorm running_mean and running_var, Swin's relative_position_index); "
               "num_batches_tracked excluded",
    "macs": "conv + linear + attention + matmul multiply-accumulates; conv: out elements * (C_in/groups) * kernel "
            "volume; linear (every F.linear call, from an nn.Linear or functional, as Swin's qkv and proj): out "
            "elements * in_features; nn.MultiheadAttention (self-attention over T tokens of width E): batch * "
            "(4*T*E^2 + 2*T^2*E), the q/k/v and output projections and the two products Q K^T and softmax(.) V; "
            "matmul (Swin's window attention q @ k^T and attn @ v): out elements * inner dim; bias adds not counted. "
            "torchvision's published GFLOPS are these MACs.",
    "bn_elems": "BatchNorm output elements",
    "act_elems": "activation output elements",
    "pool_ops": "pool window reads (max/avg: out elements * window; adaptive/global mean: input elements)",
    "add_elems": "elementwise tensor+tensor add outputs (residuals)",
    "mul_elems": "elementwise tensor*tensor multiply outputs (SE gating)",
    "cat_elems": "elements written by concat",
}

ACTIVATIONS = {"relu", "relu_", "relu6", "hardtanh", "hardtanh_", "hardswish", "hardsigmoid", "silu", "sigmoid",
               "tanh", "gelu"}
MAX_AVG_POOLS = {"_max_pool2d", "max_pool2d", "avg_pool2d", "max_pool2d_with_indices"}
MEAN_POOLS = {"adaptive_avg_pool2d", "mean"}
ADDS = {"add", "add_", "__add__", "__iadd__", "__radd__"}
MULS = {"mul", "mul_", "__mul__", "__imul__", "__rmul__"}
MATMULS = {"matmul", "__matmul__", "bmm"}


class OpCounter(TorchFunctionMode):
    """Counts the elementwise work of one forward pass from the torch functions it calls (F.relu, F.batch_norm,
    torch.cat, tensor + tensor, ...), whether a module or the model's forward code calls them. A function called
    from inside another one (torch.batch_norm inside F.batch_norm) runs with the mode off and is not counted twice."""

    def __init__(self):
        super().__init__()
        self.counts = dict(bn_elems=0, act_elems=0, pool_ops=0, add_elems=0, mul_elems=0, cat_elems=0)
        self.linear_macs = 0   # every F.linear call: nn.Linear's, and functional ones (Swin's qkv and proj)
        self.matmul_macs = 0   # tensor @ tensor (attention scores and weighted sums)

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        name = getattr(func, "__name__", "")
        tensors = len(args) >= 2 and isinstance(args[0], torch.Tensor) and isinstance(args[1], torch.Tensor)
        c = self.counts
        if name == "batch_norm":
            c["bn_elems"] += out.numel()
        elif name in ACTIVATIONS:
            c["act_elems"] += out.numel()
        elif name in MAX_AVG_POOLS:
            k = kwargs.get("kernel_size", args[1] if len(args) > 1 else None)
            k = (k, k) if isinstance(k, int) else tuple(k)
            c["pool_ops"] += (out[0] if isinstance(out, tuple) else out).numel() * k[0] * k[1]
        elif name in MEAN_POOLS:
            c["pool_ops"] += args[0].numel()
        elif name in ADDS and tensors:
            c["add_elems"] += out.numel()
        elif name in MULS and tensors:
            c["mul_elems"] += out.numel()
        elif name == "cat":
            c["cat_elems"] += out.numel()
        elif name == "linear":
            self.linear_macs += out.numel() * args[1].shape[1]
        elif name in MATMULS and tensors:
            self.matmul_macs += out.numel() * args[0].shape[-1]
        return out


class LeNet5(nn.Module):
    """The classic LeNet-5 (tanh, average pooling, 1x32x32 input), named like torchvision's AlexNet."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2),
                                      nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2))
        self.classifier = nn.Sequential(nn.Linear(400, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(),
                                        nn.Linear(84, 10))

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


class SegNet(nn.Module):
    """SegNet (Badrinarayanan, Kendall and Cipolla, TPAMI 2017): torchvision's vgg16_bn features, each max pooling
    returning its indices, and a mirrored decoder: max unpooling to the pooling's input size, then conv-BN-ReLU giving
    back the channels its encoder twin took in; a 3x3 classifier convolution (CamVid: 11 classes, 360x480). There is
    no torchvision SegNet; this is the module stdlib-models/segnet.net is counted against."""

    def __init__(self, classes=11):
        super().__init__()
        cfg = torchvision.models.vgg.cfgs["D"]
        self.features = torchvision.models.vgg.make_layers(cfg, batch_norm=True)
        for m in self.features:
            if isinstance(m, nn.MaxPool2d):
                m.return_indices = True
        layers, ins = [], []
        c = 3
        for v in cfg:
            ins.append(c)
            c = c if v == "M" else v
        for i in range(len(cfg) - 1, 0, -1):
            if cfg[i] == "M":
                layers.append(nn.MaxUnpool2d(2, 2))
            else:
                layers += [nn.Conv2d(cfg[i], ins[i], 3, padding=1), nn.BatchNorm2d(ins[i]), nn.ReLU(inplace=True)]
        self.decoder = nn.Sequential(*layers)
        self.classifier = nn.Conv2d(cfg[0], classes, 3, padding=1)

    def forward(self, x):
        pooled = []
        for m in self.features:
            if isinstance(m, nn.MaxPool2d):
                size = x.shape[-2:]
                x, idx = m(x)
                pooled.append((idx, size))
            else:
                x = m(x)
        for m in self.decoder:
            if isinstance(m, nn.MaxUnpool2d):
                idx, size = pooled.pop()
                x = m(x, idx, output_size=size)
            else:
                x = m(x)
        return self.classifier(x)


def layer_record(name, m, x, y):
    """One Conv2d or Linear layer as run: shapes, hyper-parameters, parameters and MACs."""
    r = {"name": name, "type": type(m).__name__, "in": list(x.shape), "out": list(y.shape)}
    if isinstance(m, nn.Conv2d):
        r.update(kernel=list(m.kernel_size), stride=list(m.stride),
                 padding=m.padding if isinstance(m.padding, str) else list(m.padding),
                 dilation=list(m.dilation), groups=m.groups)
        macs = y.numel() * (m.in_channels // m.groups) * math.prod(m.kernel_size)
    elif isinstance(m, nn.MultiheadAttention):
        n, t = (y.shape[0], y.shape[1]) if m.batch_first else (y.shape[1], y.shape[0])
        e = m.embed_dim
        r.update(heads=m.num_heads)
        macs = n * (4 * t * e * e + 2 * t * t * e)
    else:
        macs = y.numel() * m.in_features
    bias = m.in_proj_bias is not None if isinstance(m, nn.MultiheadAttention) else m.bias is not None
    r.update(bias=bias, params=sum(p.numel() for p in m.parameters()), macs=macs)
    return r


def count_model(name, note, model, shape):
    model.eval()
    layers, hooks = [], []
    for n, m in model.named_modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            hooks.append(m.register_forward_hook(lambda mod, inp, out, n=n: layers.append(
                layer_record(n, mod, inp[0], out))))
        elif isinstance(m, nn.MultiheadAttention):
            # Called with keyword arguments (query=x, ...), which forward hooks do not see: self-attention's input
            # has the output's shape. Its out_proj is applied inside, not through its forward (no Linear record).
            hooks.append(m.register_forward_hook(lambda mod, inp, out, n=n: layers.append(
                layer_record(n, mod, out[0], out[0]))))
    counter = OpCounter()
    with torch.no_grad(), counter:
        y = model(torch.zeros(shape))
    if isinstance(y, dict):
        y = y["out"]  # a segmentation model: the main head
    for h in hooks:
        h.remove()
    conv_macs = sum(l["macs"] for l in layers if l["type"] == "Conv2d")
    linear_macs = counter.linear_macs
    assert linear_macs >= sum(l["macs"] for l in layers if l["type"] == "Linear"), name
    attention_macs = sum(l["macs"] for l in layers if l["type"] == "MultiheadAttention")
    r = {"model": name, "note": note, "input_shape": list(shape), "output_shape": list(y.shape),
         "params": sum(p.numel() for p in model.parameters()),
         "buffers": sum(b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked")),
         "macs": conv_macs + linear_macs + attention_macs + counter.matmul_macs, "conv_macs": conv_macs,
         "linear_macs": linear_macs}
    if attention_macs:
        r["attention_macs"] = attention_macs
    if counter.matmul_macs:
        r["matmul_macs"] = counter.matmul_macs
    r.update(counter.counts)
    r.update(n_conv=sum(l["type"] == "Conv2d" for l in layers), n_linear=sum(l["type"] == "Linear" for l in layers),
             layers=layers)
    print(f"counts  {name:22s} params {r['params']:>11,} MACs {r['macs']:>14,}")
    return r


def generate_counts(out):
    """torchvision_counts.json: LeNet-5 and COUNTS_MODELS at batch 1 (the weights do not matter; input zeros)."""
    torch.manual_seed(MODEL_SEED)
    models = [count_model("lenet5", "inline classic LeNet-5, tanh, avgpool, 1x32x32 input", LeNet5(), (1, 1, 32, 32))]
    for name in COUNTS_MODELS:
        torch.manual_seed(MODEL_SEED)
        model = tv_constructor(name)(**TV_KWARGS.get(name, {}))
        models.append(count_model(name, TV_NOTES.get(name, ""), model, input_shape(name)))
    torch.manual_seed(MODEL_SEED)
    models.append(count_model("segnet", "not in torchvision: generate.py's SegNet (vgg16_bn features with pooling "
                              "indices, mirrored decoder with max unpooling), 11 classes, 360x480", SegNet(),
                              (1, 3, 360, 480)))
    write_json(os.path.join(out, "torchvision_counts.json"),
               {"source": f"PyTorch {short_version(torch.__version__)} / torchvision "
                          f"{short_version(torchvision.__version__)} (Debian python3-torch, python3-torchvision), "
                          "batch 1, eval mode",
                "conventions": CONVENTIONS, "models": models}, 0)


def tv_constructor(name):
    """torchvision's constructor of a model by name, classification or segmentation."""
    return getattr(torchvision.models.segmentation if name in SEGMENTATION_MODELS else torchvision.models, name)


def short_version(v):
    return ".".join(v.split(".")[:2])


def extra_model_names():
    """The torchvision classification models that `models --extra` can make."""
    return set(torchvision.models.list_models(module=torchvision.models))


# ---------------------------------------------------------------- seeded models

# Whole torchvision models too large to commit with their weights. Every parameter is drawn from a counter-based
# generator that numpy (here) and Java (test-suite SeededWeights) reproduce bit for bit, so only a recipe (every
# state_dict key, its shape and the range it is drawn from) is committed, with the tensors that are computed
# rather than drawn (buffers: BatchNorm statistics calibrated here, index tables), the input and PyTorch's
# output. To add a model: one entry in SEEDED_MODELS (and SEEDED_SPECS if it needs kwargs, another input size or
# another builder), then its name in SeededModelsTest.MODELS.
SEEDED_MODELS = ["vit_b_16", "convnext_tiny", "deeplabv3_resnet50", "swin_t"]
# name -> dict(size=input side, kwargs=builder kwargs, builder=callable, ranges={leaf name: (lo, hi)})
SEEDED_SPECS = {
    "convnext_tiny": dict(ranges={"layer_scale": (0.1, 0.3)}),
    # No download of ImageNet backbone weights; 128x128 keeps the [1, 21, 128, 128] output at 1.4 MB. The last
    # BatchNorm of each bottleneck's branch scales it by U(0.1, 0.3), below the identity path (as trained ResNets
    # do; torchvision's zero_init_residual goes to 0): with U(0.5, 1.5) the random ResNet amplifies rounding so
    # much that PyTorch's own float32 output is 3.1e-4 from its float64 one (437 elements outside the tests'
    # 1e-4 + 1e-3 |expected|); with U(0.1, 0.3), 1.9e-5.
    "deeplabv3_resnet50": dict(size=128, kwargs=dict(weights_backbone=None, aux_loss=False),
                               ranges={"bn3.weight": (0.1, 0.3)}),
}
SEEDED_INPUT_SEED = 3          # torch generator for the input and the BatchNorm calibration batch
SEEDED_CALIBRATION_BATCH = 4   # images of the one training-mode pass that sets BatchNorm's running statistics
SEEDED_FREE_RANGE = (-0.5, 0.5)  # a free-standing nn.Parameter (class token, position table) unless overridden
SEEDED_NORM_WEIGHT, SEEDED_NORM_BIAS = (0.5, 1.5), (-0.25, 0.25)
SEEDED_PRNG = ("value k of tensor NAME = float32(lo + (hi - lo) * u) computed in double, u = (splitmix64(FNV-1a-64("
               "NAME as UTF-8) + k) >>> 40) * 2^-24, k = 0, 1, ... in C order; splitmix64(z): z += "
               "0x9E3779B97F4A7C15; z = (z ^ z >>> 30) * 0xBF58476D1CE4E5B9; z = (z ^ z >>> 27) * "
               "0x94D049BB133111EB; z ^ z >>> 31 (all mod 2^64)")
MASK64 = (1 << 64) - 1


def fnv1a64(text):
    h = 0xCBF29CE484222325
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) & MASK64
    return h


def splitmix64(z):
    """splitmix64's output function of a uint64 array (numpy's uint64 arithmetic wraps mod 2^64)."""
    z = z + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def seeded_values(name, count, lo, hi):
    """The count values of tensor name drawn in [lo, hi) (see SEEDED_PRNG), float32, in chunks."""
    out = np.empty(count, dtype=np.float32)
    key = np.uint64(fnv1a64(name))
    step = 1 << 22
    for start in range(0, count, step):
        k = np.arange(start, min(count, start + step), dtype=np.uint64)
        u = (splitmix64(k + key) >> np.uint64(40)).astype(np.float64) * 2.0 ** -24
        out[start:start + len(k)] = (lo + (hi - lo) * u).astype(np.float32)
    return out


NORMS = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d, nn.LayerNorm, nn.GroupNorm)


def seeded_range(module, leaf, ranges, key=""):
    """[lo, hi] of one parameter from its module's type: conv and linear weights U(±sqrt(3 / fan_in)) (variance
    1 / fan_in), their biases U(±1 / sqrt(fan_in)) (PyTorch's default), norm scales U(0.5, 1.5) and shifts
    U(-0.25, 0.25), free-standing parameters SEEDED_FREE_RANGE unless ranges names their leaf ("layer_scale") or
    the end of their key ("bn3.weight")."""
    if leaf in ranges:
        return ranges[leaf]
    for end, r in ranges.items():
        if key == end or key.endswith("." + end):
            return r
    if isinstance(module, NORMS):
        return SEEDED_NORM_WEIGHT if leaf == "weight" else SEEDED_NORM_BIAS
    if isinstance(module, (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose2d)):
        fan_in = nn.init._calculate_fan_in_and_fan_out(module.weight)[0]
        return (-math.sqrt(3 / fan_in), math.sqrt(3 / fan_in)) if leaf == "weight" else \
            (-1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in))
    if isinstance(module, nn.MultiheadAttention) and leaf in ("in_proj_weight", "in_proj_bias"):
        e = module.embed_dim
        return (-math.sqrt(3 / e), math.sqrt(3 / e)) if leaf == "in_proj_weight" else (-1 / math.sqrt(e), 1 / math.sqrt(e))
    return SEEDED_FREE_RANGE


def seeded_builder(name):
    spec = SEEDED_SPECS.get(name, {})
    if "builder" in spec:
        return spec["builder"]
    for module in (torchvision.models, torchvision.models.segmentation):
        if hasattr(module, name):
            return getattr(module, name)
    raise ValueError(f"seeded: unknown torchvision model {name}")


def seeded_output(y):
    """The tensor of a model's output (segmentation models return a dict; its 'out')."""
    return y["out"] if isinstance(y, dict) else y


def make_seeded(name, folder):
    """NAME.recipe.json, NAME.buffers.safetensors, NAME.input.npy, NAME.output.npy for one seeded model."""
    spec = SEEDED_SPECS.get(name, {})
    size = spec.get("size", 224)
    kwargs = spec.get("kwargs", {})
    torch.manual_seed(MODEL_SEED)
    model = seeded_builder(name)(**kwargs)
    ranges = spec.get("ranges", {})
    drawn = {}
    with torch.no_grad():
        for mname, m in model.named_modules():
            for leaf, p in m.named_parameters(recurse=False):
                key = f"{mname}.{leaf}" if mname else leaf
                lo, hi = (float(v) for v in seeded_range(m, leaf, ranges, key))
                p.copy_(torch.from_numpy(seeded_values(key, p.numel(), lo, hi).reshape(p.shape)))
                drawn[key] = (lo, hi)
    g = torch.Generator().manual_seed(SEEDED_INPUT_SEED)
    x = torch.randn(1, 3, size, size, generator=g)
    norms = [m for m in model.modules() if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d))]
    with torch.no_grad():
        if norms:
            for m in norms:
                m.reset_running_stats()
                m.momentum = None
            model.train()
            batch = torch.cat([x, torch.randn(SEEDED_CALIBRATION_BATCH - 1, 3, size, size, generator=g)])
            model(batch)
        model.eval()
        y = seeded_output(model(x))
    state = model.state_dict()
    tensors, buffers = [], {}
    for key, t in state.items():
        entry = {"name": key, "shape": list(t.shape)}
        if key in drawn:
            entry["lo"], entry["hi"] = drawn[key]
        else:
            entry["buffer"] = DTYPES[t.dtype]
            buffers[key] = t
        tensors.append(entry)
    missing = set(drawn) - set(state)
    if missing:
        raise ValueError(f"seeded {name}: parameters outside the state_dict: {sorted(missing)}")
    save_safetensors(os.path.join(folder, name + ".buffers.safetensors"), buffers,
                     {"model": name, "torchvision": torchvision.__version__})
    save_npy(os.path.join(folder, name + ".input.npy"), x)
    save_npy(os.path.join(folder, name + ".output.npy"), y)
    v = y.numpy()
    stats = {"min": float(v.min()), "max": float(v.max()), "mean": float(v.mean()), "std": float(v.std()),
             "argmax": int(v.argmax())}
    recipe = {"model": name, "source": f"torchvision {short_version(torchvision.__version__)} "
                                        f"{name}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())}), eval mode",
              "prng": SEEDED_PRNG,
              "calibration": (f"BatchNorm running statistics: one training-mode pass (momentum None) over the input "
                              f"and {SEEDED_CALIBRATION_BATCH - 1} more standard-normal images" if norms else "none"),
              "input": {"file": name + ".input.npy", "shape": list(x.shape),
                        "made_by": f"torch.randn, torch.Generator().manual_seed({SEEDED_INPUT_SEED})"},
              "output": {"file": name + ".output.npy", "shape": list(y.shape), "stats": stats},
              "buffers": name + ".buffers.safetensors",
              "params": sum(p.numel() for p in model.parameters()),
              "tensors": tensors}
    write_json(os.path.join(folder, name + ".recipe.json"), recipe, 0)
    print(f"seeded  {name:22s} out {tuple(y.shape)} argmax {stats['argmax']} std {stats['std']:.4f} "
          f"buffers {len(buffers)}")


def generate_seeded(out, names):
    folder = os.path.join(out, "seeded")
    os.makedirs(folder, exist_ok=True)
    for name in names:
        make_seeded(name, folder)


# ---------------------------------------------------------------- comparing two reference folders

GENERATED = ["MANIFEST.json", "torchvision_counts.json", "cases", "models", "seeded"]
RTOL, ATOL = 1e-5, 1e-5


def read_tensors(path):
    """The tensors of a .npy or .safetensors file, by name."""
    if path.endswith(".npy"):
        return {"": np.load(path)}
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    kinds = {"F32": np.float32, "I64": np.int64, "F16": np.float16, "I32": np.int32}
    out = {}
    for name, e in header.items():
        if name != "__metadata__":
            a, b = e["data_offsets"]
            out[name] = np.frombuffer(data[8 + n + a:8 + n + b], dtype=kinds[e["dtype"]]).reshape(e["shape"])
    out["__metadata__"] = header.get("__metadata__")
    return out


def close(a, b):
    """Whether two decoded files agree up to float rounding: the same structure, numbers within RTOL/ATOL."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        if a.shape != b.shape or a.dtype != b.dtype:
            return False
        if a.dtype.kind != "f":
            return np.array_equal(a, b)
        return bool(np.all(np.abs(a - b) <= ATOL + RTOL * np.abs(b)))
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= ATOL + RTOL * abs(b)
    return a == b


def decode(path):
    if path.endswith(".json"):
        with open(path) as f:
            return json.load(f)
    return read_tensors(path)


def generated_files(root):
    files = set()
    for entry in GENERATED:
        p = os.path.join(root, entry)
        if os.path.isdir(p):
            files |= {os.path.join(entry, f) for f in os.listdir(p)}
        elif os.path.exists(p):
            files.add(entry)
    return files


def compare(a, b, exact):
    """Compares the generated files of folders a and b. Exit status 0 when every file is byte-identical, or,
    unless exact, differs only by float rounding (another CPU may round differently); 1 otherwise."""
    fa, fb = generated_files(a), generated_files(b)
    problems = [f"only in {a}: {f}" for f in sorted(fa - fb)] + [f"only in {b}: {f}" for f in sorted(fb - fa)]
    rounding = []
    for f in sorted(fa & fb):
        pa, pb = os.path.join(a, f), os.path.join(b, f)
        with open(pa, "rb") as x, open(pb, "rb") as y:
            if x.read() == y.read():
                continue
        if not exact and close(decode(pa), decode(pb)):
            rounding.append(f)
        else:
            problems.append(f"differs: {f}")
    same = len(fa & fb) - len(rounding) - sum(p.startswith("differs") for p in problems)
    print(f"compare {a} {b}: {same} byte-identical, {len(rounding)} equal up to float rounding "
          f"(|d| <= {ATOL} + {RTOL}|x|), {len(problems)} problems")
    for f in rounding:
        print(f"  rounding only: {f}")
    for p in problems:
        print(f"  {p}")
    return 1 if problems else 0


# ---------------------------------------------------------------- command line

def main(argv):
    p = argparse.ArgumentParser(prog="generate.py", description=__doc__.split("\n")[0])
    p.add_argument("--out", default=HERE, help="folder to write into (default: this folder)")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("cases", help="cases/ and MANIFEST.json")
    m = sub.add_parser("models", help="models/ (squeezenet1_1, mobilenet_v2), or with --extra larger ones")
    m.add_argument("--extra", nargs="+", metavar="NAME",
                   help="make these torchvision models into OUT/extra/ instead (git-ignored, for opt-in use)")
    sub.add_parser("counts", help="torchvision_counts.json")
    sd = sub.add_parser("seeded", help="seeded/: recipes, buffers, inputs and outputs of the seeded models")
    sd.add_argument("names", nargs="*", metavar="NAME", help=f"default: {' '.join(SEEDED_MODELS)}")
    sub.add_parser("all", help="cases, models, counts and seeded")
    c = sub.add_parser("compare", help="compare the generated files of two folders")
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("--exact", action="store_true", help="require byte-identical files")
    args = p.parse_args(argv)
    if args.command == "compare":
        return compare(args.a, args.b, args.exact)
    torch.set_num_threads(1)
    out = os.path.abspath(args.out)
    if args.command in ("cases", "all"):
        generate_cases(out)
    if args.command in ("models", "all"):
        if getattr(args, "extra", None):
            unknown = sorted(set(args.extra) - extra_model_names())
            if unknown:
                p.error(f"--extra: unknown torchvision model {', '.join(unknown)}; "
                        f"expected one of {', '.join(sorted(extra_model_names()))}")
            generate_models(out, args.extra, "extra", merge=True)
        else:
            generate_models(out, COMMITTED_MODELS, "models", merge=False)
    if args.command in ("counts", "all"):
        generate_counts(out)
    if args.command in ("seeded", "all"):
        names = getattr(args, "names", None) or SEEDED_MODELS
        unknown = sorted(set(names) - set(SEEDED_MODELS))
        if unknown:
            p.error(f"seeded: {', '.join(unknown)} not in SEEDED_MODELS ({', '.join(SEEDED_MODELS)})")
        generate_seeded(out, names)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
