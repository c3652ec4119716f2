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
# ccache when it is there (scripts/test.sh installs it): a second build of the same sources,
# from any clone (paths relative to the source directory), takes seconds instead of minutes.
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true
  defines=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache "${defines[@]}")
fi
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${defines[@]}" >/dev/null
cmake --build "$dir" -j "$(nproc)" ${targets[@]:+--target "${targets[@]}"}
