#!/usr/bin/env bash
# Installs what AutoCompress needs when it is missing, builds the native libtorch shim and the
# .NET solution. Idempotent: a second run installs nothing and rebuilds only what changed.
# Usage: scripts/bootstrap.sh [--bench] [--test]
#   --bench  also installs Debian's PyTorch for bench/
#   --test   also installs what the tests drive beyond the build: Debian's Chromium and its WebDriver
#            (chromium, chromium-driver) for the dashboard's browser tests, and Prometheus, which the
#            telemetry tests start to scrape the service (./test.sh passes it)
# Environment: LIBTORCH=/path/to/libtorch uses an official libtorch instead of Debian's libtorch-dev.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

log() { printf '[bootstrap] %s\n' "$*" >&2; }

if ! command -v dotnet >/dev/null 2>&1; then
  log "error: the .NET SDK (dotnet) is not on PATH; AutoCompress needs .NET 10."
  exit 1
fi

# libopenblas0-openmp replaces the reference BLAS behind libtorch (same OpenMP pool): ~6x faster
# batch-1 inference and ~1.3x faster training on the reference CNN, measured in bench/.
packages=(cmake g++ make dataset-fashion-mnist libopenblas0-openmp)
[ -n "${LIBTORCH:-}" ] || packages+=(libtorch-dev)
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(python3-torch python3-numpy) ;;
    --test) packages+=(chromium chromium-driver prometheus) ;;
    *) log "error: unknown option $arg (usage: scripts/bootstrap.sh [--bench] [--test])"; exit 1 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "error: missing Debian packages (${missing[*]}); run as root or install them with apt-get."
    exit 1
  fi
  log "installing: ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# The native shim: CMake's find_package(Torch) over Debian's libtorch or $LIBTORCH.
build="$root/build/native"
mkdir -p "$build"
cmake_args=(-S "$root/src/Torch/native" -B "$build" -DCMAKE_BUILD_TYPE=Release)
[ -n "${LIBTORCH:-}" ] && cmake_args+=("-DTorch_DIR=$LIBTORCH/share/cmake/Torch")
if [ ! -f "$build/CMakeCache.txt" ] || [ -n "${LIBTORCH:-}" ]; then
  log "configuring the native shim"
  cmake "${cmake_args[@]}" >"$build/configure.log" 2>&1 || { cat "$build/configure.log" >&2; exit 1; }
fi
log "building the native shim"
cmake --build "$build" -j "$(nproc)" >"$build/build.log" 2>&1 || { cat "$build/build.log" >&2; exit 1; }

log "building the .NET solution"
dotnet build "$root/AutoCompress.sln" -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary" >&2
