#!/bin/bash
# The whole test suite, from a fresh Debian 12 machine, as root: installs what is needed,
# builds, runs unit, integration and end-to-end (real pod) tests, checks the static build,
# then runs the unit and integration tests again under AddressSanitizer and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "nsdebug: tests: need root (namespaces, runc)" >&2; exit 1; }

scripts/deps.sh
scripts/build.sh build
(cd build && ctest --output-on-failure --timeout 600)

# The sidecar image's binary: fully static, and it runs. (It is no dynamic executable to ldd.)
scripts/build.sh build-static -DNSDEBUG_STATIC=ON --target nsdebug
build-static/nsdebug --version
if ldd build-static/nsdebug >/dev/null 2>&1; then
  echo "nsdebug: tests: build-static/nsdebug is dynamically linked" >&2
  exit 1
fi

# Only what the sanitized run needs: the e2e tests use the binary built above.
scripts/build.sh build-asan -DNSDEBUG_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
  --target unit_tests integration_tests
(cd build-asan && ctest --output-on-failure --timeout 600 -L sanitize)
