#!/usr/bin/env bash
# Compression results on Fashion-MNIST (issue 4): trains the reference CNN once (or reuses
# runs/bench/reference.safetensors), applies every built-in method through the plugin host, then
# runs PyTorch's own int8 post-training quantization (torch.ao.quantization) and L1 structured
# pruning (torch.nn.utils.prune) on the SAME trained weights, and prints one table.
# Usage: bench/compress.sh [--retrain] [--fine-tune-epochs E=1] [--student-epochs S=3] [--threads T=2] [--only row,row] [--seeds 1,2]
# (--seeds: the seeds of the distillation study rows student-half-alone-sN / student-half-distilled-t2-a0.5-sN, run with --only)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
retrain=0; ft=1; se=3; threads=2; only=""; seeds=""
while [ $# -gt 0 ]; do
  case "$1" in
    --retrain) retrain=1; shift ;;
    --fine-tune-epochs) ft="$2"; shift 2 ;;
    --student-epochs) se="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
"$root/scripts/bootstrap.sh" --bench
dotnet build "$root/bench/CompressBench/CompressBench.csproj" -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary" >&2
out="$root/runs/bench"
mkdir -p "$out"
weights="$out/reference.safetensors"
if [ "$retrain" = 1 ] || [ ! -f "$weights" ]; then
  dotnet "$root/src/Cli/bin/Release/net10.0/autocompress.dll" train-reference --threads "$threads" --out "$weights" >&2
fi
start=$(date +%s)
args=(--weights "$weights" --plugins "$root/build/plugins/Release" --out "$out/autocompress.jsonl" --work "$out/work"
      --fine-tune-epochs "$ft" --student-epochs "$se" --threads "$threads")
[ -n "$only" ] && args+=(--only "$only")
[ -n "$seeds" ] && args+=(--seeds "$seeds")
dotnet "$root/bench/CompressBench/bin/Release/net10.0/compress-bench.dll" "${args[@]}"
echo "AutoCompress rows took $(( $(date +%s) - start )) s" >&2
start=$(date +%s)
/usr/bin/python3 "$root/bench/pytorch/compress_compare.py" --weights "$weights" --ratio 0.5 --fine-tune-epochs "$ft" \
  --threads "$threads" >"$out/pytorch.jsonl"
echo "PyTorch rows took $(( $(date +%s) - start )) s" >&2
/usr/bin/python3 "$root/bench/compress_table.py" "$out/autocompress.jsonl" "$out/pytorch.jsonl"
