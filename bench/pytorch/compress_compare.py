"""PyTorch's own compression tools on the SAME trained reference CNN that
AutoCompress compresses, so AutoCompress's methods can be compared against what
a PyTorch user gets out of the box (torch 1.13, eager mode, CPU).

The weights come from `autocompress train-reference --out F` (a safetensors
file whose tensor names are those of refnet.build_split_model()). Every result
is measured on the Fashion-MNIST test set (10,000 images, normalized with mean
0.2860 / std 0.3530) and printed as one JSON object per line on stdout, with the
keys method, test_accuracy (fraction), macs (per image), parameters,
storage_bytes (where meaningful), seconds (wall time to produce the model -
calibration, pruning, fine-tuning - and measure its test accuracy; latency
timing excluded) and notes, plus method-specific extras such as the batch-1
inference latency (infer_b1_median_ms). Progress goes to stderr.

Methods (--only takes a comma list of these names):
  float                        the trained weights as they are. Its accuracy
                               must match what the C# side measured on the same
                               weights (recorded in the file's metadata).
  torch-int8-ptq               post-training static int8 quantization
                               (torch.ao.quantization eager mode: QuantStub /
                               DeQuantStub, conv+bn+relu and linear+relu fused,
                               the default qconfig of the best available
                               quantized engine, calibrated on the first
                               --calib-images training images).
  torch-int8-ptq-per-tensor    the same with per-tensor weight scales
                               (the qnnpack default qconfig), to show what
                               per-channel scales are worth.
  torch-l1-structured          torch.nn.utils.prune.ln_structured(n=1, dim=0),
                               amount --ratio, on every conv and on the first
                               linear; reported right after pruning
                               (torch-l1-structured-no-finetune) and after
                               --fine-tune-epochs of fine-tuning with the masks
                               kept. torch only masks weights, so the model keeps
                               its dense shape: "macs" counts only surviving
                               filters (what physically removing them would
                               give), "dense_macs" what actually runs, and the
                               batch-1 latency shows that masking does not make
                               inference faster.

Usage: /usr/bin/python3 compress_compare.py --weights F [--data-dir DIR]
       [--ratio 0.5] [--fine-tune-epochs 1] [--lr 1e-3] [--calib-images 1024]
       [--threads 2] [--seed 0] [--only float,torch-int8-ptq,...]
"""
import argparse
import copy
import io
import json
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.utils.prune as prune
from torch.ao import quantization as tq

import refnet as R

METHODS = ("float", "torch-int8-ptq", "torch-int8-ptq-per-tensor", "torch-l1-structured")
FINE_TUNE_IMAGES = 54_000   # the C# side holds out 10% of the 60k training images for validation
ENGINE_PREFERENCE = ("fbgemm", "x86", "onednn", "qnnpack")
# conv+bn+relu and linear+relu groups of build_split_model(), for fuse_modules
FUSE_GROUPS = [["features.0", "features.1", "features.2"],
               ["features.4", "features.5", "features.6"],
               ["features.8", "features.9", "features.10"],
               ["classifier.1", "classifier.2"]]
LATENCY_WARMUP, LATENCY_RUNS = 20, 200


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def emit(record):
    print(json.dumps(record), flush=True)


# ---------------------------------------------------------------- measuring

def evaluate(model, x, y, bs=1000):
    """Top-1 accuracy (fraction) in eval mode."""
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, x.shape[0], bs):
            correct += (model(x[i:i + bs]).argmax(1) == y[i:i + bs]).sum().item()
    return correct / x.shape[0]


def latencies_ms(models, one):
    """Median batch-1 forward time (ms) of each model in the dict `models`, over
    LATENCY_RUNS runs after LATENCY_WARMUP warm-up runs. The models take turns
    run by run, so a busy machine slows them all alike and their medians stay
    comparable with each other."""
    for m in models.values():
        m.eval()
    times = {name: [] for name in models}
    with torch.no_grad():
        for i in range(LATENCY_WARMUP + LATENCY_RUNS):
            for name, m in models.items():
                t = time.perf_counter()
                m(one)
                if i >= LATENCY_WARMUP:
                    times[name].append((time.perf_counter() - t) * 1e3)
    return {name: round(statistics.median(ts), 4) for name, ts in times.items()}


def serialized_bytes(state_dict):
    """Size of torch.save(state_dict) in memory: what the model costs on disk."""
    buf = io.BytesIO()
    torch.save(state_dict, buf)
    return len(buf.getvalue())


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())


def live_rows(module):
    """Boolean vector of the output rows (filters / units) of a conv or linear
    whose weight is not entirely zero; all True when nothing was pruned."""
    w = module.weight.detach()
    return w.reshape(w.shape[0], -1).ne(0).any(dim=1)


def effective_costs(model, in_shape=(1, 1, 28, 28)):
    """(MACs per image, parameters) counting only the surviving structure, as if
    zeroed filters/units were physically removed: a dead output channel of a
    conv also removes the matching input channel of the next conv (and its
    BatchNorm entries), and the matching flattened features of the linear that
    follows the flatten. Assumes a plain chain (true for the reference CNN)."""
    state = {"live": None, "macs": 0, "params": 0}

    def hook(m, inp, out):
        live_in = state["live"]
        if live_in is None:
            live_in = torch.ones(inp[0].shape[1], dtype=torch.bool)
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            live_out = live_rows(m)
            n_in, n_out = int(live_in.sum()), int(live_out.sum())
            if isinstance(m, nn.Conv2d):
                k = m.kernel_size[0] * m.kernel_size[1]
                spatial = out.shape[2] * out.shape[3]
                state["macs"] += n_out * n_in * k * spatial
                state["params"] += n_out * n_in * k
            else:
                state["macs"] += n_out * n_in
                state["params"] += n_out * n_in
            if m.bias is not None:
                state["params"] += n_out
            state["live"] = live_out
        elif isinstance(m, nn.BatchNorm2d):
            state["params"] += 2 * int(live_in.sum())
            state["live"] = live_in
        elif isinstance(m, nn.Flatten):
            per_channel = out.shape[1] // live_in.numel()
            state["live"] = live_in.repeat_interleave(per_channel)
        else:  # ReLU, pooling, dropout: channel-wise, keep the live set
            state["live"] = live_in

    leaves = [m for m in model.modules() if len(list(m.children())) == 0]
    handles = [m.register_forward_hook(hook) for m in leaves]
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(torch.zeros(in_shape))
    finally:
        model.train(was_training)
        for h in handles:
            h.remove()
    return state["macs"], state["params"]


# ---------------------------------------------------------------- loading

def load_trained(path):
    """The reference CNN with the C#-trained weights; returns (model, metadata)."""
    tensors, metadata = R.load_safetensors(path)
    model = R.build_split_model()
    expected = model.state_dict()
    missing = sorted(set(expected) - set(tensors))
    unexpected = sorted(set(tensors) - set(expected))
    if missing or unexpected:
        raise ValueError(f"{path}: tensor names do not match the reference CNN; "
                         f"missing {missing}, unexpected {unexpected}")
    for name, t in tensors.items():
        if tuple(t.shape) != tuple(expected[name].shape):
            raise ValueError(f"{path}: {name} has shape {tuple(t.shape)}, "
                             f"expected {tuple(expected[name].shape)}")
        tensors[name] = t.to(expected[name].dtype)
    model.load_state_dict(tensors, strict=True)
    return model.eval(), metadata


def best_engine():
    supported = torch.backends.quantized.supported_engines
    for engine in ENGINE_PREFERENCE:
        if engine in supported:
            return engine
    raise RuntimeError(f"no quantized engine available (supported: {supported})")


# ---------------------------------------------------------------- methods

def run_float(model, data, metadata, args):
    t0 = time.time()
    acc = evaluate(model, data["xte"], data["yte"])
    seconds = time.time() - t0
    record = {
        "method": "float",
        "test_accuracy": acc,
        "macs": R.count_macs(model),
        "parameters": count_parameters(model),
        "storage_bytes": serialized_bytes(model.state_dict()),
        "infer_b1_median_ms": latencies_ms({"m": model}, data["one"])["m"],
    }
    notes = "float32 weights as trained by the C# side; storage = torch.save(state_dict)"
    if "test_accuracy" in metadata:
        cs = float(metadata["test_accuracy"])
        record["csharp_test_accuracy"] = cs
        record["abs_diff_vs_csharp"] = round(abs(acc - cs), 6)
        notes += "; csharp_test_accuracy is the C# measurement stored in the file (4 decimals)"
    record["seconds"] = round(seconds, 2)
    record["notes"] = notes
    return record


def quantize_ptq(model, qconfig, calib_x, bs=256):
    """Eager-mode static PTQ: fuse (BN folded into conv), wrap in QuantStub /
    DeQuantStub, insert observers, calibrate, convert to int8 modules.
    Returns (quantized model, parameter count of the fused float model)."""
    m = copy.deepcopy(model).eval()
    tq.fuse_modules(m, FUSE_GROUPS, inplace=True)
    fused_params = count_parameters(m)
    m = tq.QuantWrapper(m)
    m.qconfig = qconfig
    tq.prepare(m, inplace=True)
    with torch.no_grad():
        for i in range(0, calib_x.shape[0], bs):
            m(calib_x[i:i + bs])
    tq.convert(m, inplace=True)
    return m.eval(), fused_params


def run_ptq(model, data, args, engine, per_tensor):
    t0 = time.time()
    if per_tensor:
        name, qconfig = "torch-int8-ptq-per-tensor", tq.get_default_qconfig("qnnpack")
        how = ("per-tensor symmetric int8 weights (qnnpack default qconfig: MinMax weights, "
               "histogram activations)")
    else:
        name, qconfig = "torch-int8-ptq", tq.get_default_qconfig(engine)
        how = f"{engine} default qconfig: {describe_qconfig(qconfig)}"
    calib = data["xtr"][:args.calib_images]
    log(f"[{name}] calibrating on {calib.shape[0]} training images, engine {engine}")
    qm, fused_params = quantize_ptq(model, qconfig, calib)
    acc = evaluate(qm, data["xte"], data["yte"])
    seconds = time.time() - t0
    ms = latencies_ms({"int8": qm, "float": model}, data["one"])
    return {
        "method": name,
        "test_accuracy": acc,
        "macs": R.count_macs(model),
        "parameters": fused_params,
        "storage_bytes": serialized_bytes(qm.state_dict()),
        "infer_b1_median_ms": ms["int8"],
        "float_infer_b1_median_ms": ms["float"],
        "engine": engine,
        "calib_images": int(calib.shape[0]),
        "weight_bits": 8,
        "activation_bits": 8,
        "seconds": round(seconds, 2),
        "notes": (f"eager static PTQ, conv+bn+relu and linear+relu fused, {how}; "
                  "macs are int8 MACs (same count as float); parameters counted after "
                  "BN folding; storage = torch.save(state_dict) of the converted model; "
                  "float_infer_b1_median_ms is the float model timed alternately with it"),
    }


def describe_qconfig(qconfig):
    w = qconfig.weight()
    a = qconfig.activation()
    return (f"weights {type(w).__name__} {w.qscheme}, activations {type(a).__name__} "
            f"{a.qscheme} reduce_range={a.reduce_range}")


def prune_l1_structured(model, ratio):
    """Masks the `ratio` fraction of output filters/units with the smallest L1
    norm in every conv and in classifier.1; the last linear is left alone."""
    targets = [m for m in model.features if isinstance(m, nn.Conv2d)] + [model.classifier[1]]
    for m in targets:
        prune.ln_structured(m, "weight", amount=ratio, n=1, dim=0)
    return targets


def fine_tune(model, x, y, epochs, lr, seed):
    """refnet's recipe (AdamW, wd 5e-4, label smoothing 0.1, batch 128, warm-up
    + cosine) at peak `lr`. The prune reparametrization (weight = weight_orig *
    weight_mask, recomputed in a forward pre-hook) keeps pruned entries at zero."""
    crit = nn.CrossEntropyLoss(label_smoothing=R.LABEL_SMOOTHING)
    opt = R.make_optimizer(model, lr=lr)
    n = x.shape[0]
    steps_per_epoch = (n + R.BATCH_SIZE - 1) // R.BATCH_SIZE
    total = epochs * steps_per_epoch
    gen = torch.Generator().manual_seed(seed)
    step = 0
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(n, generator=gen)
        for i in range(steps_per_epoch):
            idx = perm[i * R.BATCH_SIZE:(i + 1) * R.BATCH_SIZE]
            for group in opt.param_groups:
                group["lr"] = R.lr_at(step, total, peak=lr)
            loss = crit(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 100 == 0:
                log(f"  fine-tune step {step}/{total}  loss {loss.item():.4f}")
        log(f"  fine-tune epoch {epoch + 1}/{epochs} done")


def pruned_record(name, model, dense, targets, data, t0, extra_notes):
    """Result record of a pruned (masked) model; t0 = when producing it began."""
    acc = evaluate(model, data["xte"], data["yte"])
    seconds = time.time() - t0
    macs, params = effective_costs(model)
    # Bake the masks in (plain dense tensors with zeros, no pre-hook) on a copy:
    # the form one would deploy; it is no smaller and no faster either.
    baked = copy.deepcopy(model)
    for m in [m for m in baked.modules() if prune.is_pruned(m) and hasattr(m, "weight_mask")]:
        prune.remove(m, "weight")
    ms = latencies_ms({"masked": model, "baked": baked, "dense": dense}, data["one"])
    kept = {f"{n}": f"{int(live_rows(m).sum())}/{m.weight.shape[0]}"
            for n, m in model.named_modules() if m in targets}
    return {
        "method": name,
        "test_accuracy": acc,
        "macs": macs,
        "dense_macs": R.count_macs(model),
        "parameters": params,
        "dense_parameters": count_parameters(baked),
        "nonzero_parameters": sum(int(p.ne(0).sum()) for p in baked.parameters()),
        "storage_bytes": serialized_bytes(baked.state_dict()),
        "infer_b1_median_ms": ms["masked"],
        "infer_b1_median_ms_masks_removed": ms["baked"],
        "dense_infer_b1_median_ms": ms["dense"],
        "kept_rows": kept,
        "seconds": round(seconds, 2),
        "notes": ("torch.nn.utils.prune.ln_structured(n=1, dim=0) masks, shapes stay dense; "
                  "macs/parameters count surviving filters only (a zeroed filter also drops the "
                  "next layer's input channel and its BN entries), dense_macs is what runs; "
                  "only weights are masked, so a pruned channel still carries its BN shift / "
                  "linear bias (constant after ReLU), which physical removal would have to fold "
                  "away; storage = torch.save(state_dict) after prune.remove, zeros stored densely; "
                  "infer_b1_median_ms is the masked model (pre-hook), "
                  "infer_b1_median_ms_masks_removed the plain dense model with zeros, "
                  "dense_infer_b1_median_ms the unpruned model (timed alternately)" + extra_notes),
    }


def run_l1_structured(model, data, args, with_fine_tune):
    records = []
    t0 = time.time()
    pm = copy.deepcopy(model)
    targets = prune_l1_structured(pm, args.ratio)
    log(f"[torch-l1-structured] pruned {args.ratio:.0%} of the filters of {len(targets)} layers")
    records.append(pruned_record("torch-l1-structured-no-finetune", pm, model, targets, data, t0,
                                 f"; ratio {args.ratio}, no fine-tuning"))
    if with_fine_tune and args.fine_tune_epochs > 0:
        t0 = time.time()
        x, y = data["xtr"][:FINE_TUNE_IMAGES], data["ytr"][:FINE_TUNE_IMAGES]
        log(f"[torch-l1-structured] fine-tuning {args.fine_tune_epochs} epoch(s) on "
            f"{x.shape[0]} images at peak lr {args.lr}")
        torch.manual_seed(args.seed)  # dropout
        fine_tune(pm, x, y, args.fine_tune_epochs, args.lr, args.seed)
        records.append(pruned_record("torch-l1-structured", pm, model, targets, data, t0,
                                     f"; ratio {args.ratio}, fine-tuned {args.fine_tune_epochs} "
                                     f"epoch(s) on the first {x.shape[0]} training images, "
                                     f"AdamW peak lr {args.lr} warm-up+cosine, masks kept"))
    return records


# ---------------------------------------------------------------- main

def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", required=True, help="safetensors file from autocompress train-reference")
    ap.add_argument("--data-dir", default=R.DEFAULT_DATA_DIR)
    ap.add_argument("--ratio", type=float, default=0.5, help="fraction of filters pruned per layer")
    ap.add_argument("--fine-tune-epochs", type=int, default=1)
    ap.add_argument("--lr", type=float, default=1e-3, help="peak fine-tuning learning rate")
    ap.add_argument("--calib-images", type=int, default=1024)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", default=",".join(METHODS),
                    help="comma list of: " + ", ".join(METHODS)
                    + " (torch-l1-structured-no-finetune skips the fine-tuning)")
    args = ap.parse_args()
    valid = set(METHODS) | {"torch-l1-structured-no-finetune"}
    args.only = [m.strip() for m in args.only.split(",") if m.strip()]
    unknown = [m for m in args.only if m not in valid]
    if unknown or not args.only:
        ap.error(f"--only: unknown method(s) {unknown}; choose from {sorted(valid)}")
    if not 0.0 < args.ratio < 1.0:
        ap.error(f"--ratio must be in (0, 1), got {args.ratio}")
    if args.fine_tune_epochs < 0 or args.calib_images < 1 or args.threads < 1 or not args.lr > 0:
        ap.error("--fine-tune-epochs must be >= 0, --calib-images and --threads >= 1, --lr > 0")
    return args


def main():
    args = parse_args()
    t_start = time.time()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    engine = best_engine()
    torch.backends.quantized.engine = engine

    log(f"torch {torch.__version__}, {args.threads} thread(s), quantized engines "
        f"{torch.backends.quantized.supported_engines} -> {engine}")
    model, metadata = load_trained(args.weights)
    log(f"loaded {args.weights} (metadata {metadata})")
    xtr, ytr = R.load_split(args.data_dir, "train")
    xte, yte = R.load_split(args.data_dir, "test")
    data = {"xtr": xtr, "ytr": ytr, "xte": xte, "yte": yte, "one": xte[:1].contiguous()}
    log(f"Fashion-MNIST: {xtr.shape[0]} training, {xte.shape[0]} test images")

    if "float" in args.only:
        emit(run_float(model, data, metadata, args))
    if "torch-int8-ptq" in args.only:
        emit(run_ptq(model, data, args, engine, per_tensor=False))
    if "torch-int8-ptq-per-tensor" in args.only:
        emit(run_ptq(model, data, args, engine, per_tensor=True))
    if "torch-l1-structured" in args.only or "torch-l1-structured-no-finetune" in args.only:
        for record in run_l1_structured(model, data, args,
                                        with_fine_tune="torch-l1-structured" in args.only):
            emit(record)
    log(f"done in {time.time() - t_start:.1f}s")


if __name__ == "__main__":
    main()
