#!/bin/bash
# The aarch64 nsdebug (cross-built, static) under qemu-user on this amd64 machine: it is an
# aarch64 static executable with no interpreter, and --version, ps, containers, cat, ls, kill and
# the TUI (in tmux) work in a PID and mount namespace this test makes, on processes it starts.
# Root, qemu-user-static, tmux (scripts/deps-arm64.sh).
#   tests/arm64/test_qemu.sh AARCH64_NSDEBUG
# What qemu-user cannot emulate is said, with why, and the test still checks what nsdebug does
# then (its refusal), never skips in silence.
set -euo pipefail
bin=$(realpath "${1:?usage: test_qemu.sh AARCH64_NSDEBUG}")
src=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "test_qemu: need root (unshare)" >&2; exit 1; }
qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64) ||
  { echo "FAIL: no qemu-aarch64 (scripts/deps-arm64.sh installs qemu-user-static)"; exit 1; }
failed=0
fail() { echo "FAIL: $*"; failed=1; }

# The ELF header itself: a 64-bit little-endian aarch64 executable with no PT_INTERP: it needs
# no loader, so it runs in a FROM scratch image.
source "$src/tests/arm64/elf.sh"
why=$(elf_check "$bin" arm64) || fail "$why"
file -L "$bin" | grep -q 'ARM aarch64.*statically linked' || fail "file: $(file -L "$bin")"
echo "ok: $(file -L "$bin" | cut -d, -f1-2), no interpreter"

version=$(sed -n 's/^project(nsdebug VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
out=$("$qemu" "$bin" --version) || fail "--version exited $?"
[[ $out == "nsdebug $version" ]] && echo "ok: --version: $out" || fail "--version printed: $out"

export QEMU=$qemu NSDEBUG=$bin
# The namespaces' own bash does the rest; its exit status is the verdict.
unshare --pid --fork --mount-proc --kill-child bash -c '
set -uo pipefail
failed=0
fail() { echo "FAIL: $*"; failed=1; }
ns() { "$QEMU" "$NSDEBUG" "$@"; }
dir=$(mktemp -d); trap "rm -rf $dir" EXIT
echo "arm64 says hello" >"$dir/file"
# A target in a mount namespace of its own (a container to nsdebug), and one beside nsdebug.
unshare --mount sleep 1001 & target=$!
sleep 1002 & other=$!
for _ in $(seq 100); do [[ $(cat /proc/$target/comm 2>/dev/null) == sleep ]] && break; sleep 0.05; done

out=$(ns ps 2>&1) || fail "ps exited $?: $out"
grep -Eq "^ *$target .* sleep 1001$" <<<"$out" && echo "ok: ps shows the target" || fail "ps: no sleep 1001 as $target: $out"
grep -Eq "^ *$other .* sleep 1002$" <<<"$out" || fail "ps: no sleep 1002 as $other: $out"
pid=$(ns ps --json 2>&1 | jq -r ".[] | select(.argv == [\"sleep\", \"1001\"]) | .pid")
[[ $pid == "$target" ]] && echo "ok: ps --json" || fail "ps --json: sleep 1001 is pid [$pid], not $target"
out=$(ns containers 2>&1) || fail "containers exited $?: $out"
grep -Eq "^sleep .* $target " <<<"$out" && echo "ok: containers" || fail "containers: no sleep with main PID $target: $out"

# cat and ls resolve the path in the target root with openat2 (RESOLVE_IN_ROOT), and nothing
# falls back. qemu-user passes a syscall to the kernel only if it knows it: one that lacks
# openat2 (437) answers ENOSYS, and nsdebug must then refuse and say why, as on a kernel older
# than 5.6. The host kernel has it: python asks it directly.
host_openat2=$(python3 -c "
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
r = libc.syscall(437, -100, b\"/\", None, 0)
print(\"no\" if r < 0 and ctypes.get_errno() == 38 else \"yes\")" 2>/dev/null || echo unknown)
if out=$(ns cat "$target:$dir/file" 2>&1); then
  [[ $out == "arm64 says hello" ]] && echo "ok: cat in the target root" || fail "cat printed: $out"
  out=$(ns ls -l "$target:$dir" 2>&1) || fail "ls -l exited $?: $out"
  grep -q " file$" <<<"$out" && echo "ok: ls -l" || fail "ls -l: $out"
elif [[ $out == *"not supported by this kernel"*"openat2 needs Linux 5.6"* ]]; then
  echo "qemu-user: $("$QEMU" --version | head -1) does not emulate openat2 (syscall 437):"
  echo "  it returns ENOSYS (the host kernel has it: $host_openat2), so cat, ls, stat and env"
  echo "  cannot resolve paths in a container root under this qemu; checked instead that nsdebug"
  echo "  refuses with no fallback and says why (cat: $out)"
  [[ $host_openat2 == yes ]] || fail "the host kernel itself lacks openat2 ($host_openat2)"
  out=$(ns ls -l "$target:$dir" 2>&1) && fail "ls -l succeeded where cat could not: $out"
  [[ $out == *"openat2 needs Linux 5.6"* ]] || fail "ls -l under qemu: $out"
  out=$(ns doctor 2>&1)
  grep -q "^fail  openat2: openat2: not supported by this kernel" <<<"$out" &&
    echo "ok: doctor reports the missing openat2" || fail "doctor does not report openat2: $out"
else
  fail "cat $target:$dir/file: $out"
fi

# kill goes through a pidfd (pidfd_open, pidfd_send_signal: qemu-user passes both through).
out=$(ns kill -0 "$target" 2>&1) && echo "ok: kill -0" || fail "kill -0 $target: $out"
out=$(ns kill -TERM "$target" 2>&1) || fail "kill -TERM $target exited $?: $out"
for _ in $(seq 100); do kill -0 "$target" 2>/dev/null || break; sleep 0.05; done
wait "$target" 2>/dev/null; status=$?
[[ $status == 143 ]] && echo "ok: kill -TERM: the target died of SIGTERM" || fail "the target ended with $status, not 143 (SIGTERM): $out"
out=$(ns kill -0 999999 2>&1) && fail "kill -0 999999 succeeded"
[[ $out == *"no such process"* ]] && echo "ok: kill of a missing PID" || fail "kill -0 999999: $out"

# The TUI in a tmux pane of a tmux server of our own (-L: no developer session is touched).
tm() { tmux -L nsdebug-arm64-$$ "$@"; }
tm -f /dev/null new-session -d -x 120 -y 30 "TERM=tmux-256color $QEMU $NSDEBUG tui" \; set-option remain-on-exit on
for _ in $(seq 100); do
  screen=$(tm capture-pane -p 2>&1)
  [[ $screen == *COMMAND* && $screen == *"sleep 1002"* ]] && break
  sleep 0.1
done
if [[ $screen == *COMMAND* && $screen == *"sleep 1002"* ]]; then echo "ok: the TUI lists the processes"
else fail "the TUI never showed sleep 1002: $screen"; fi
tm send-keys -l q
# tmux marks the pane dead before it records the exit status: wait for both.
for _ in $(seq 50); do [[ $(tm display-message -p "#{pane_dead}:#{pane_dead_status}") == 1:[0-9]* ]] && break; sleep 0.1; done
[[ $(tm display-message -p "#{pane_dead}:#{pane_dead_status}") == 1:0 ]] && echo "ok: q ends the TUI, status 0" ||
  fail "after q the TUI pane is $(tm display-message -p "#{pane_dead}:#{pane_dead_status}")"
tm kill-server 2>/dev/null
kill "$other" 2>/dev/null
exit $failed
' || failed=1
((failed == 0)) && echo "arm64 qemu OK"
exit $failed
