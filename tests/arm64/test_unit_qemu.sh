#!/bin/bash
# The unit tests built for aarch64, run under qemu-user (ctest -L arm64 in the cross build).
#   tests/arm64/test_unit_qemu.sh AARCH64_UNIT_TESTS
# Two test cases signal the test process itself (kill -0 of nsdebug's own PID). qemu-user fakes
# /proc/SELF_PID/stat when it is opened by that path (state "0", a start time of its own), while
# nsdebug also reads the kernel's through a /proc/PID directory fd, which qemu does not intercept:
# the two start times differ, so nsdebug takes its own PID for a reused one and spares it, as it
# must. Those two run apart and may fail only with that refusal; all the others must pass.
# One more runs apart: trace's decoder reads the "tracee's" memory with process_vm_readv, here
# the test's own; under qemu-user a guest address is not the host address the kernel reads, so
# the strings come out as pointers. It may fail only so (the pointer in place of the string).
set -uo pipefail
unit=${1:?usage: test_unit_qemu.sh AARCH64_UNIT_TESTS}
qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64) ||
  { echo "FAIL: no qemu-aarch64 (scripts/deps-arm64.sh installs qemu-user-static)"; exit 1; }
failed=0
fail() { echo "FAIL: $*"; failed=1; }
# Catch2 v2 test specs: a space between two names is AND, ~ negates, a comma inside a name is \,
# (a quoted name with a comma does not parse).
kill_self='"kill -0 of nsdebug itself probes it: signal 0 passes every guard"'
dash_dash='after --\, a word is a PID: kill -KILL -- -1 is no second signal'
# A tag, and first in a spec: Catch2 v2 cannot quote this case's name (an apostrophe, commas),
# and a term after the unquoted dash_dash reads as part of that name.
vm_read='[vm_read]'
count() { "$qemu" "$unit" --list-test-names-only "$@" | grep -c .; }
all=$(count) apart=$(count "$kill_self,$dash_dash") rest=$(count "~$vm_read ~$kill_self ~$dash_dash")
((apart == 2 && rest == all - 3)) ||
  fail "the test spec no longer names the three cases run apart ($apart self-kill, $rest of $all left): renamed?"

"$qemu" "$unit" "~$vm_read ~$kill_self ~$dash_dash" || fail "aarch64 unit tests under qemu"

echo "qemu-user: a guest address is not the host's: process_vm_readv of the test's own memory"
echo "  reads nothing, so trace's decoder shows pointers where strings were; it runs apart:"
out=$("$qemu" "$unit" "$vm_read" 2>&1)
if [[ $? == 0 ]]; then
  echo "note: this qemu passes process_vm_readv through with guest addresses: it passes"
else
  bad=$(grep -A3 "FAILED:" <<<"$out" | grep "with expansion" -A2 | grep -vE 'with expansion|^--$' |
        awk 'NR % 2 == 1 && !/0x[0-9a-f]+/' )
  [[ -z $bad ]] && echo "ok: it fails only where a string read from memory is shown as a pointer" ||
    fail "trace's decoder case failed for another reason than qemu's addresses:$bad"
fi

echo "qemu-user: $("$qemu" --version | head -1) fakes /proc/SELF/stat (see this script);"
echo "  the two cases that kill -0 the test process itself run apart:"
out=$("$qemu" "$unit" "$kill_self,$dash_dash" 2>&1)
if [[ $? == 0 ]]; then
  echo "note: this qemu's /proc/SELF/stat agrees with the kernel's: both pass"
else
  # Each failed check's block must carry nsdebug's refusal of a reused PID, nothing else.
  bad=$(awk 'function done() { if (b != "" && b !~ /its PID now names another process/) print b; b = "" }
             /FAILED:|^---------|^=========/ { done() }
             /FAILED:/ { b = $0 } b != "" && !/FAILED:/ { b = b "\n" $0 }
             END { done() }' <<<"$out")
  [[ -z $bad ]] && echo "ok: they fail only because nsdebug spares its own PID as reused" ||
    fail "a self-kill case failed for another reason than qemu's /proc/SELF/stat:$bad"
fi
((failed == 0)) && echo "aarch64 unit tests OK"
exit $failed
