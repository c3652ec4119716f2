#!/bin/bash
# The whole test suite, from a fresh Debian 12 machine, as root: installs what is needed,
# builds, runs unit, integration (churn included), valgrind memcheck and end-to-end (real pod)
# tests, checks the static build, runs the unit and integration tests again under
# AddressSanitizer and UBSan, then builds the libFuzzer targets with clang and runs each for a
# few seconds (tests/fuzz/run.sh; longer runs are by hand, see tests/fuzz/README.md). For arm64
# nodes: cross-builds the static nsdebug and the unit tests for aarch64 and runs them under
# qemu-user, and checks the two-architecture image and the release files (ctest -L arm64).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "nsdebug: tests: need root (namespaces, runc)" >&2; exit 1; }

scripts/deps.sh
t0=$SECONDS
scripts/deps-arm64.sh   # the aarch64 cross compiler, arm64 libraries (multiarch), qemu-user
echo "nsdebug: tests: aarch64 packages: $((SECONDS - t0)) s"
# Only the tests need these: valgrind (ctest -L valgrind), clang and its libFuzzer runtime,
# ccache (scripts/build.sh uses it: the four builds below share objects across runs), acl
# (setfacl: the ls -l '+' test compares with coreutils on files that carry an ACL), python3 (the
# walk race, inspect, paths and tar tests run it inside their targets), iproute2 (ss and ip: the
# net test compares with ss in a network namespace it makes), strace (trace's differential test).
test_tools=(valgrind clang libclang-rt-14-dev ccache acl python3 iproute2 strace)
missing=()
for p in "${test_tools[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi
scripts/build.sh build
(cd build && ctest --output-on-failure --timeout 600)

# The sidecar image's binary: fully static, and it runs. (It is no dynamic executable to ldd.)
scripts/build.sh build-static -DNSDEBUG_STATIC=ON --target nsdebug
build-static/nsdebug --version
if ldd build-static/nsdebug >/dev/null 2>&1; then
  echo "nsdebug: tests: build-static/nsdebug is dynamically linked" >&2
  exit 1
fi

# aarch64: the same sources cross-built (only nsdebug and the unit tests), run under qemu-user;
# the image index and the release files of both architectures, with the static build above.
t0=$SECONDS
scripts/build.sh --arm64 --target nsdebug unit_tests
echo "nsdebug: tests: aarch64 build: $((SECONDS - t0)) s"
t0=$SECONDS
(cd build-arm64 && NSDEBUG_STATIC_BIN=$PWD/../build-static/nsdebug \
   ctest --output-on-failure --timeout 900 -L arm64)
echo "nsdebug: tests: aarch64 tests: $((SECONDS - t0)) s"

# Only what the sanitized run needs: the e2e tests use the binary built above.
scripts/build.sh build-asan -DNSDEBUG_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
  --target unit_tests integration_tests
(cd build-asan && ctest --output-on-failure --timeout 600 -L sanitize)

# libFuzzer, 4 s a target (12 targets) from the seed corpora, after a clang build of core and
# the targets: any crash, sanitizer report or broken invariant fails.
tests/fuzz/run.sh 4
