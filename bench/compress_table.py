"""Prints the compression results of bench/compress.sh as Markdown tables.

Usage: compress_table.py autocompress.jsonl pytorch.jsonl
Our rows come first (accuracy against MACs, size and measured batch-1 latency relative to the
reference, all from the same run), then PyTorch's own int8 post-training quantization and L1
structured pruning on the same trained weights beside ours.
"""
import json
import sys


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


ours = {r["row"]: r for r in load(sys.argv[1])}
torch = {r["method"]: r for r in load(sys.argv[2])}
ref = ours.get("reference")
if ref is None:
    sys.exit("no reference row in " + sys.argv[1])
ref_acc, ref_macs = ref["test_accuracy"], ref["macs"]
ref_bytes = ref.get("float_bytes", 4 * ref["parameters"])


def size(r):
    return r.get("storage_bytes") or r.get("sparse_bytes") or r.get("weights_file_bytes") or 4 * r.get("parameters", 0)


print(f"reference CNN: test accuracy {100 * ref_acc:.2f}%, {ref_macs / 1e6:.2f} M MACs, "
      f"{ref['parameters']:,} parameters, {ref_bytes / 1024:.1f} KiB as float32\n")
print("| result | method | test acc. | vs ref. | MACs | MACs vs ref. | size | size vs ref. | batch-1 latency vs ref. | time |")
print("|---|---|---|---|---|---|---|---|---|---|")
for name, r in ours.items():
    if name == "reference":
        continue
    if r.get("error"):
        print(f"| {name} | {r['method']} | failed: {r['error']} | | | | | | | |")
        continue
    acc, macs, b = r["test_accuracy"], r["macs"], size(r)
    lat = f"{r['latency_ratio']:.2f}" if "latency_ratio" in r else ""
    print(f"| {name} | {r['method']} | {100 * acc:.2f}% | {100 * (acc - ref_acc):+.2f} | {macs / 1e6:.2f} M | "
          f"{macs / ref_macs:.2f} | {b / 1024:.1f} KiB | {b / ref_bytes:.3f} | {lat} | {r['seconds']:.0f} s |")

print("\nSame trained weights, same run, against PyTorch 1.13 (Debian's python3-torch):\n")
print("| comparison | AutoCompress | PyTorch | difference (points) |")
print("|---|---|---|---|")
pairs = [
    ("float accuracy", "reference", "float"),
    ("int8 PTQ, per-channel weights", "ptq-int8-per-channel", "torch-int8-ptq"),
    ("int8 PTQ, per-tensor weights", "ptq-int8-per-tensor", "torch-int8-ptq-per-tensor"),
    ("L1 structured, 50% of filters, no fine-tuning", "prune-l1-ratio50-raw", "torch-l1-structured-no-finetune"),
    ("L1 structured, 50% of filters, fine-tuned", "prune-l1-ratio50", "torch-l1-structured"),
]
for label, a, b in pairs:
    if a in ours and b in torch and not ours[a].get("error"):
        x, y = ours[a]["test_accuracy"], torch[b]["test_accuracy"]
        extra = ""
        if "macs" in torch[b] and torch[b]["macs"] != ours[a]["macs"]:
            extra = f" (MACs {ours[a]['macs'] / 1e6:.2f} M vs {torch[b]['macs'] / 1e6:.2f} M effective)"
        print(f"| {label} | {100 * x:.2f}% | {100 * y:.2f}% | {100 * (x - y):+.2f}{extra} |")
if "torch-int8-ptq" in torch and "ptq-int8-per-channel" in ours:
    print(f"\nint8 size: AutoCompress packed file {size(ours['ptq-int8-per-channel']) / 1024:.1f} KiB, "
          f"PyTorch serialized quantized state dict {torch['torch-int8-ptq']['storage_bytes'] / 1024:.1f} KiB.")
if "torch-l1-structured" in torch:
    t = torch["torch-l1-structured"]
    print(f"PyTorch's pruning masks weights but keeps them dense: its batch-1 latency is "
          f"{t['infer_b1_median_ms'] / t['dense_infer_b1_median_ms']:.2f}x the unpruned model's; "
          f"ours removes the channels: {ours.get('prune-l1-ratio50', {}).get('latency_ratio', float('nan')):.2f}x.")
