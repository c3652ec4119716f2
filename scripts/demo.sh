#!/bin/bash
# Installs, builds, starts the documentation's shareProcessNamespace pod (pause, nginx, and a
# busybox debug container "shell") with runc, and runs nsdebug inside the debug container.
# Leaves the pod up to play with; `scripts/demo.sh down` removes it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "nsdebug: demo: need root (runc)" >&2; exit 1; }
pod=tests/pods/pod.sh
if [ "${1:-}" = down ]; then exec "$pod" down; fi

scripts/deps.sh
# The static build: the one README tells people to use (it copies into any container, and
# starts fastest: bench/README.md).
scripts/build.sh build-static -DNSDEBUG_STATIC=ON --target nsdebug >/dev/null
"$pod" down >/dev/null 2>&1 || true
NSDEBUG_BIN=$PWD/build-static/nsdebug "$pod" up

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
in_shell() { say "kubectl exec nginx-pod -c shell -- $*"; "$pod" exec nginx-pod shell -- "$@"; }
in_shell nsdebug containers
in_shell nsdebug ps
in_shell nsdebug ps --tree -o pid,container,user,args
cat <<MSG

The pod is still up. Try:
  $pod exec nginx-pod shell -- nsdebug ps -c nginx
  $pod exec nginx-pod shell -- nsdebug ps --json
Remove it with: scripts/demo.sh down
MSG
