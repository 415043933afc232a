"""PyTorch accuracy reference: trains the reference CNN (refnet.build_model) on
Fashion-MNIST for 3 epochs with the reference recipe and prints the test
accuracy after each epoch (plus a JSON summary on the last line).

Recipe: AdamW(lr 3e-3, betas (0.9, 0.999), eps 1e-8, weight decay 5e-4),
batch 128 (last partial batch kept: 469 steps/epoch), per-step LR = linear
warm-up over 5% of all steps then cosine decay to 0, cross-entropy with label
smoothing 0.1, dropout 0.2, default PyTorch init, no augmentation, inputs
normalized with mean 0.2860 / std 0.3530, reshuffled each epoch with a seeded
torch.Generator.

Usage: /usr/bin/python3 train_reference.py [--seed 0] [--threads 2] [--data-dir DIR]
"""
import argparse
import json
import time

import torch
import torch.nn as nn

import refnet as R


def evaluate(model, x, y, bs=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, x.shape[0], bs):
            correct += (model(x[i:i + bs]).argmax(1) == y[i:i + bs]).sum().item()
    return correct / x.shape[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data-dir", default=R.DEFAULT_DATA_DIR)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)  # init + dropout
    xtr, ytr = R.load_split(args.data_dir, "train")
    xte, yte = R.load_split(args.data_dir, "test")

    model = R.build_model()
    opt = R.make_optimizer(model)
    crit = nn.CrossEntropyLoss(label_smoothing=R.LABEL_SMOOTHING)
    n = xtr.shape[0]
    steps_per_epoch = (n + R.BATCH_SIZE - 1) // R.BATCH_SIZE
    total = R.EPOCHS * steps_per_epoch
    gen = torch.Generator().manual_seed(args.seed)  # shuffling

    print(f"MACs/image {R.count_macs(model):,}  params "
          f"{sum(p.numel() for p in model.parameters()):,}  steps {total}")
    step, accs, t0 = 0, [], time.time()
    for epoch in range(R.EPOCHS):
        model.train()
        perm = torch.randperm(n, generator=gen)
        for i in range(steps_per_epoch):
            idx = perm[i * R.BATCH_SIZE:(i + 1) * R.BATCH_SIZE]
            for group in opt.param_groups:
                group["lr"] = R.lr_at(step, total)
            loss = crit(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
        acc = evaluate(model, xte, yte)
        accs.append(acc)
        print(f"epoch {epoch + 1}: loss {loss.item():.4f}  test acc {acc * 100:.2f}%"
              f"  ({time.time() - t0:.1f}s)", flush=True)
    print(json.dumps({"engine": "pytorch", "seed": args.seed, "threads": args.threads,
                      "test_acc": accs, "wall_s": round(time.time() - t0, 1)}))


if __name__ == "__main__":
    main()
