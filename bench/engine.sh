#!/usr/bin/env bash
# Engine benchmark: AutoCompress vs PyTorch (Debian's python3-torch, the same libtorch 1.13
# underneath) on the same reference CNN, batch size, thread count and data.
# Runs the two engines in alternation for several rounds (so drift on a shared machine hits both
# alike), takes each engine's median, and prints the ratios AutoCompress / PyTorch:
#   training throughput ratio (> 1 = AutoCompress trains faster)
#   inference speed ratio at batch 1 = PyTorch latency / AutoCompress latency (> 1 = faster)
# Usage: bench/engine.sh [rounds=5] [threads=2]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-5}"
threads="${2:-2}"
"$root/scripts/bootstrap.sh" --bench
dotnet build "$root/bench/EngineBench/EngineBench.csproj" -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary" >&2
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
for i in $(seq "$rounds"); do
  echo "round $i/$rounds" >&2
  dotnet "$root/bench/EngineBench/bin/Release/net10.0/engine-bench.dll" --threads "$threads" | tail -n 1 >>"$out"
  (cd "$root/bench/pytorch" && /usr/bin/python3 engine_bench.py --threads "$threads") | tail -n 1 >>"$out"
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def med(engine, key):
    return statistics.median(r[key] for r in rows if r["engine"] == engine)
ac_t, pt_t = med("autocompress", "train_samples_per_s"), med("pytorch", "train_samples_per_s")
ac_l, pt_l = med("autocompress", "infer_b1_median_ms"), med("pytorch", "infer_b1_median_ms")
n = sum(r["engine"] == "pytorch" for r in rows)
print(f"reference CNN, batch {rows[0]['batch_size']}, {rows[0]['threads']} threads, median of {n} alternating rounds")
print(f"training throughput  AutoCompress {ac_t:8.1f} samples/s   PyTorch {pt_t:8.1f} samples/s   ratio {ac_t / pt_t:.3f}")
print(f"inference batch 1    AutoCompress {ac_l:8.3f} ms          PyTorch {pt_l:8.3f} ms          ratio {pt_l / ac_l:.3f}")
PY
