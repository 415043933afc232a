#!/usr/bin/env bash
# The main job. With no arguments: the first example on the embedded defaults (SQLite, local worker
# processes): train the reference CNN on Fashion-MNIST if runs/ has none, then search pruning ratios and
# quantization bit widths under a latency budget (examples/prune-quantize-latency.json), ending with the
# Pareto front and where each model was written. With arguments: run `autocompress <arguments>`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/bootstrap.sh"
cli=(dotnet "$root/src/Cli/bin/Release/net10.0/autocompress.dll")
if [ $# -gt 0 ]; then exec "${cli[@]}" "$@"; fi
cd "$root"
if [ ! -f runs/reference-cnn.safetensors ] || [ ! -f runs/reference-cnn.json ]; then
  "${cli[@]}" train-reference --out runs/reference-cnn.safetensors
  echo
fi
exec "${cli[@]}" experiment run examples/prune-quantize-latency.json --db runs/experiments.db
