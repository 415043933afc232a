"""PyTorch side of the engine benchmark, on the reference CNN (refnet.py).

Measures
  (a) training throughput (samples/s): full steps = forward, cross-entropy
      (label smoothing 0.1), backward, AdamW step (with the per-step LR set),
      zero_grad; on real Fashion-MNIST batches preloaded as tensors (data
      loading excluded); --warmup steps first, then --steps timed steps;
  (b) inference latency at batch size 1: eval mode, torch.no_grad(), median
      and mean ms over --latency-iters single-image forwards after warm-up.
Prints one JSON object on the last line of stdout.

Usage: /usr/bin/python3 engine_bench.py [--threads 2] [--batch-size 128]
       [--steps 50] [--warmup 10] [--latency-iters 500] [--data-dir DIR]
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn

import refnet as R


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--latency-iters", type=int, default=500)
    ap.add_argument("--data-dir", default=R.DEFAULT_DATA_DIR)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x, y = R.load_split(args.data_dir, "train")
    bs, n_batches = args.batch_size, args.warmup + args.steps
    # Preload distinct contiguous batches (wrap around the train set if needed).
    idx = torch.arange(n_batches * bs) % x.shape[0]
    batches = [(x[i].contiguous(), y[i].contiguous()) for i in idx.split(bs)]

    model = R.build_model()
    opt = R.make_optimizer(model)
    crit = nn.CrossEntropyLoss(label_smoothing=R.LABEL_SMOOTHING)
    total = R.EPOCHS * ((x.shape[0] + R.BATCH_SIZE - 1) // R.BATCH_SIZE)

    # (a) training throughput
    model.train()
    for step, (xb, yb) in enumerate(batches):
        if step == args.warmup:
            t0 = time.perf_counter()
        for group in opt.param_groups:
            group["lr"] = R.lr_at(step, total)
        loss = crit(model(xb), yb)
        loss.backward()
        opt.step()
        opt.zero_grad()
    train_s = time.perf_counter() - t0
    loss.item()  # make sure the graph was really evaluated

    # (b) batch-1 inference latency
    model.eval()
    one = x[:1].contiguous()
    times = []
    with torch.no_grad():
        for i in range(args.warmup + args.latency_iters):
            t = time.perf_counter()
            model(one)
            if i >= args.warmup:
                times.append((time.perf_counter() - t) * 1e3)

    print(json.dumps({
        "engine": "pytorch",
        "torch": torch.__version__,
        "threads": args.threads,
        "batch_size": bs,
        "steps": args.steps,
        "train_samples_per_s": round(args.steps * bs / train_s, 1),
        "infer_b1_median_ms": round(statistics.median(times), 4),
        "infer_b1_mean_ms": round(statistics.mean(times), 4),
        "macs_per_image": R.count_macs(model),
        "params": sum(p.numel() for p in model.parameters()),
    }))


if __name__ == "__main__":
    main()
