#!/bin/bash
# valgrind memcheck on end-to-end nsdebug runs against real processes this script makes, in a
# PID namespace of its own (as root): ps (table and JSON), containers, cat, ls, inspect and
# kill -0. Any memcheck error (invalid read or write, use of uninitialised memory, a definite or
# indirect leak) fails the run: exit 99 from valgrind, then 1 from here.
#   tests/valgrind/memcheck.sh PATH/TO/nsdebug
set -euo pipefail
nsdebug=$(realpath "${1:?usage: memcheck.sh PATH/TO/nsdebug}")
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" = 0 ] || { echo "memcheck: need root (unshare)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "memcheck: valgrind is not installed" >&2; exit 1; }

export NSDEBUG_BIN=$nsdebug
export VALGRIND="valgrind --quiet --error-exitcode=99 --leak-check=full
  --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
  --suppressions=$here/nsdebug.supp --num-callers=30"
unshare --pid --fork --mount-proc bash -euo pipefail -c '
  dir=$(mktemp -d); trap "rm -rf $dir" EXIT
  echo "hello from the target" > "$dir/file"
  # A target in a mount namespace of its own (a container), and one beside nsdebug.
  unshare --mount sleep 600 & target=$!
  sleep 601 & other=$!
  for i in $(seq 100); do [ "$(cat /proc/$target/comm 2>/dev/null)" = sleep ] && break; sleep 0.05; done
  failed=0
  check() {  # check EXPECTED_STATUS ARGS...: nsdebug ARGS under memcheck
    local want=$1; shift
    local out rc=0
    out=$($VALGRIND "$NSDEBUG_BIN" "$@" 2>&1 >/dev/null) || rc=$?
    if [ "$rc" != "$want" ]; then
      echo "memcheck: nsdebug $* exited $rc (want $want)"; echo "$out"; failed=1
    else
      echo "memcheck: nsdebug $*: clean"
    fi
  }
  check 0 ps
  check 0 ps --json
  check 0 ps -o pid,user,stat,rss,etime,args --sort -rss
  check 0 containers
  check 0 cat "$target:$dir/file"
  check 1 cat "$target:/no/such/file"
  check 0 ls -l "$target:$dir"
  check 0 inspect "$other"
  check 0 kill -0 "$target"
  check 0 kill -0 "$other"
  check 1 kill -0 999999
  exit $failed
'
