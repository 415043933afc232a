#!/usr/bin/env bash
# Search strategies on NAS-Bench-201 CIFAR-10 (issue 6): builds bench/StrategyBench and runs every strategy of the
# StrategyCatalog over many seeds against the benchmark table (../shared/benchdata, or AUTOCOMPRESS_BENCHDATA):
# test accuracy / regret of the best-validation cell against the number of queries, significance against random
# search, the NAS-Bench-201 paper's figures side by side, and the hypervolume of (accuracy, latency per device).
# The markdown report goes to stdout (and runs/bench/strategies.md), every run as JSON lines to runs/bench/strategies.jsonl.
# Usage: bench/strategies.sh [strategy-bench options], e.g. --seeds 100 --queries 1000 --batch 1 --strategies random,nsga2
#        (bench/strategies.sh --help lists them all)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet build "$root/bench/StrategyBench/StrategyBench.csproj" -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary" >&2
out="$root/runs/bench"
mkdir -p "$out"
dotnet "$root/bench/StrategyBench/bin/Release/net10.0/strategy-bench.dll" --out "$out/strategies.jsonl" "$@" | tee "$out/strategies.md"
