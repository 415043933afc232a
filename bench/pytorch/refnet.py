"""Shared pieces of the PyTorch reference: Fashion-MNIST IDX loader, the
reference CNN, its MAC count, the training recipe (optimizer + per-step LR) and
a safetensors reader for weights written by the C# side.

Imported by train_reference.py, engine_bench.py and compress_compare.py.
"""
import collections
import gzip
import json
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


def build_split_model():
    """build_model() regrouped as the C# ReferenceCnn: a "features" Sequential
    (the 12 conv/BN/ReLU/pool layers) and a "classifier" Sequential (flatten,
    linear, ReLU, dropout, linear). Same layers and init, but the state_dict
    names (features.0.weight, ..., classifier.1.weight, classifier.4.bias) are
    exactly those of the safetensors file `autocompress train-reference` writes.
    """
    layers = list(build_model())
    return nn.Sequential(collections.OrderedDict([
        ("features", nn.Sequential(*layers[:12])),
        ("classifier", nn.Sequential(*layers[12:])),
    ]))


# safetensors dtype tag -> numpy little-endian dtype
_ST_DTYPES = {
    "F64": "<f8", "F32": "<f4", "F16": "<f2",
    "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1",
    "U8": "u1", "BOOL": "?",
}


def load_safetensors(path):
    """Reads a safetensors file (torch 1.13 has no reader): 8-byte little-endian
    header length, JSON header {name: {dtype, shape, data_offsets}, optional
    "__metadata__"}, then the raw little-endian tensor bytes (offsets relative
    to the end of the header). Returns ({name: torch.Tensor}, metadata dict).
    """
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: too short for a safetensors file")
    n, = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise ValueError(f"{path}: header length {n} exceeds the file size {len(data)}")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", None) or {}
    body = memoryview(data)[8 + n:]
    tensors = {}
    for name, info in header.items():
        dtype = _ST_DTYPES.get(info["dtype"])
        if dtype is None:
            raise ValueError(f"{path}: tensor {name} has unsupported dtype {info['dtype']}")
        begin, end = info["data_offsets"]
        shape = tuple(info["shape"])
        count = math.prod(shape)
        if not 0 <= begin <= end <= len(body) or end - begin != count * np.dtype(dtype).itemsize:
            raise ValueError(f"{path}: tensor {name} has data_offsets {begin}..{end} "
                             f"inconsistent with shape {shape} {info['dtype']}")
        arr = np.frombuffer(body[begin:end], dtype=dtype).reshape(shape)
        tensors[name] = torch.from_numpy(arr.astype(arr.dtype.newbyteorder("="), copy=True))
    return tensors, metadata


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


def make_optimizer(model, lr=LR):
    return torch.optim.AdamW(model.parameters(), lr=lr, betas=BETAS, eps=EPS,
                             weight_decay=WEIGHT_DECAY)


def lr_at(step, total_steps, peak=LR):
    """LR for 0-based step: linear warm-up to peak, then cosine decay to 0."""
    warmup = max(1, int(WARMUP_FRAC * total_steps))
    if step < warmup:
        return peak * (step + 1) / warmup
    t = (step - warmup) / max(1, total_steps - warmup)
    return 0.5 * peak * (1.0 + math.cos(math.pi * t))
