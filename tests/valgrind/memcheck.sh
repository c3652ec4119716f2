#!/bin/bash
# valgrind memcheck on end-to-end nsdebug runs against real processes this script makes, in a
# PID namespace of its own (as root): ps (table and JSON), containers, inspect, cat and
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
  # valgrind 3.19 (Debian 12) has no wrapper for pidfd_open (434) or openat2 (437): it
  # returns ENOSYS, which nsdebug reports as an old kernel and exits 1. Memcheck still checks
  # everything up to and through that error path; such a run counts when it is otherwise
  # clean, and says so. With a valgrind that knows them the real exit status is required.
  check() {  # check EXPECTED_STATUS ARGS...: nsdebug ARGS under memcheck
    local want=$1; shift
    local out rc=0
    out=$($VALGRIND "$NSDEBUG_BIN" "$@" 2>&1 >/dev/null) || rc=$?
    if [ "$rc" = "$want" ]; then
      echo "memcheck: nsdebug $*: clean"
    elif [ "$rc" = 1 ] && grep -Eq "unhandled amd64-linux syscall: (434|437)" <<<"$out"; then
      echo "memcheck: nsdebug $*: clean up to ENOSYS (this valgrind lacks pidfd_open/openat2)"
    else
      echo "memcheck: nsdebug $* exited $rc (want $want)"; echo "$out"; failed=1
    fi
  }
  check 0 ps
  check 0 ps --json
  check 0 containers
  check 0 inspect "$other"
  check 0 cat "$target:$dir/file"
  check 0 kill -0 "$target"
  check 1 kill -0 999999
  exit $failed
'
