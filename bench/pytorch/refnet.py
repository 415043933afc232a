"""Shared pieces of the PyTorch reference: Fashion-MNIST IDX loader, the
reference CNN, its MAC count and the training recipe (optimizer + per-step LR).

Imported by train_reference.py and engine_bench.py.
"""
import gzip
import math
import os
import struct

import numpy as np
import torch
import torch.nn as nn

DEFAULT_DATA_DIR = "/usr/share/datasets/fashion-mnist"
MEAN, STD = 0.2860, 0.3530

# ---- training recipe (see train_reference.py) ----
EPOCHS = 3
BATCH_SIZE = 128
LR = 3e-3             # peak learning rate (AdamW)
BETAS = (0.9, 0.999)
EPS = 1e-8
WEIGHT_DECAY = 5e-4   # decoupled (AdamW), applied to all parameters
WARMUP_FRAC = 0.05    # linear warm-up over the first 5% of all steps
LABEL_SMOOTHING = 0.1


def _read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_split(data_dir, split):
    """Returns (images float32 [N,1,28,28] normalized, labels int64 [N])."""
    prefix = "train" if split == "train" else "t10k"
    x = _read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    y = _read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(x.astype(np.float32) / 255.0).unsqueeze(1)
    x = (x - MEAN) / STD
    return x, torch.from_numpy(y.astype(np.int64))


def build_model():
    """Reference CNN (PyTorch default init). Input [N,1,28,28]."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1, bias=False),    # 32x28x28
        nn.BatchNorm2d(32), nn.ReLU(),
        nn.MaxPool2d(2),                               # 32x14x14
        nn.Conv2d(32, 64, 3, padding=1, bias=False),   # 64x14x14
        nn.BatchNorm2d(64), nn.ReLU(),
        nn.MaxPool2d(2),                               # 64x7x7
        nn.Conv2d(64, 128, 3, padding=1, bias=False),  # 128x7x7
        nn.BatchNorm2d(128), nn.ReLU(),
        nn.MaxPool2d(2),                               # 128x3x3 (floor)
        nn.Flatten(),                                  # 1152
        nn.Linear(128 * 3 * 3, 128), nn.ReLU(),        # 128
        nn.Dropout(0.2),
        nn.Linear(128, 10),                            # 10 logits
    )


def count_macs(model, in_shape=(1, 1, 28, 28)):
    """Exact multiply-accumulates per image of Conv2d + Linear layers."""
    macs = 0

    def hook(m, inp, out):
        nonlocal macs
        if isinstance(m, nn.Conv2d):
            k = m.kernel_size[0] * m.kernel_size[1] * (m.in_channels // m.groups)
            macs += out[0].numel() * k
        elif isinstance(m, nn.Linear):
            macs += m.in_features * m.out_features

    hs = [m.register_forward_hook(hook) for m in model.modules()
          if isinstance(m, (nn.Conv2d, nn.Linear))]
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(in_shape))
    model.train(was_training)
    for h in hs:
        h.remove()
    return macs


def make_optimizer(model):
    return torch.optim.AdamW(model.parameters(), lr=LR, betas=BETAS, eps=EPS,
                             weight_decay=WEIGHT_DECAY)


def lr_at(step, total_steps):
    """LR for 0-based step: linear warm-up to LR, then cosine decay to 0."""
    warmup = max(1, int(WARMUP_FRAC * total_steps))
    if step < warmup:
        return LR * (step + 1) / warmup
    t = (step - warmup) / max(1, total_steps - warmup)
    return 0.5 * LR * (1.0 + math.cos(math.pi * t))
