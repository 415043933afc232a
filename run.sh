#!/usr/bin/env bash
# The main job. With no arguments: train the reference CNN on Fashion-MNIST and print its test
# accuracy, MACs and parameter count. With arguments: run `autocompress <arguments>`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/bootstrap.sh"
[ $# -gt 0 ] || set -- train-reference
exec dotnet "$root/src/Cli/bin/Release/net10.0/autocompress.dll" "$@"
