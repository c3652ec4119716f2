#!/bin/bash
# Configure and build into build/ (or $1), passing -D options to cmake and
# "--target T..." to the build.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
defines=() targets=()
while (($#)); do
  case $1 in
    --target) shift; targets+=("$@"); break ;;
    *) defines+=("$1"); shift ;;
  esac
done
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${defines[@]}" >/dev/null
cmake --build "$dir" -j "$(nproc)" ${targets[@]:+--target "${targets[@]}"}
