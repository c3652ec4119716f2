#!/bin/bash
# Configure and build into build/ (or $1), passing -D options to cmake and
# "--target T..." to the build.
#   scripts/build.sh [DIR] [-DOPTION=VALUE...] [--target T...]
#   scripts/build.sh --arm64 [-DOPTION=VALUE...] [--target T...]
# --arm64: the static nsdebug for aarch64 (arm64 nodes), cross-built into build-arm64/ from the
# same sources with cmake/aarch64-linux-gnu.cmake (scripts/deps-arm64.sh installs the cross
# compiler and the arm64 libraries first); its tests: cd build-arm64 && ctest -L arm64, which
# need only --target nsdebug unit_tests.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ${1:-} == --arm64 ]]; then
  shift
  # -O2 -DNDEBUG as RelWithDebInfo, without -g: GCC's code does not depend on -g, what ships is
  # stripped (the same bytes with or without -g), and -g costs a third more CPU: a cold cross
  # build of nsdebug and unit_tests took 12.8 CPU minutes with it, 9.0 without.
  # (-DCMAKE_BUILD_TYPE=RelWithDebInfo after --arm64 brings it back, for gdb under qemu.)
  # --no-warn-unused-cli: CMake reads the toolchain file on the first run only, and says so after.
  set -- build-arm64 --no-warn-unused-cli -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake \
    -DNSDEBUG_STATIC=ON \
    -DCMAKE_BUILD_TYPE=Release "-DCMAKE_C_FLAGS_RELEASE=-O2 -DNDEBUG" \
    "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" "$@"
fi
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
