#!/bin/bash
# Bash completion (tools/completion/nsdebug.bash), sourced in bash and asked to complete real
# command lines (COMP_WORDS/COMP_CWORD, then COMPREPLY) in a PID namespace this test makes, with
# processes it starts: live PIDs and container names come from nsdebug itself. Root.
#   test_completion.sh NSDEBUG_BIN
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export NSDEBUG=$1 COMPLETION=$here/../../tools/completion/nsdebug.bash
exec unshare --pid --fork --mount-proc --kill-child bash -c '
set -uo pipefail
source "$COMPLETION"
failed=0
sleep 1001 & sleeper=$!
complete_words() {  # the words of a line, the last one being completed
  COMP_WORDS=("$NSDEBUG" "$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
  _nsdebug; printf "%s\n" "${COMPREPLY[@]}"
}
has() {  # has WANT WORDS...: WANT is among the completions of WORDS
  local want=$1; shift
  if complete_words "$@" | grep -xF -- "$want" >/dev/null; then echo "ok: [$*] -> $want"
  else echo "FAIL: completing [$*] did not offer $want; got: $(complete_words "$@" | tr "\n" " ")"; failed=1; fi
}
lacks() {
  local bad=$1; shift
  if complete_words "$@" | grep -xF -- "$bad" >/dev/null; then echo "FAIL: completing [$*] offered $bad"; failed=1
  else echo "ok: [$*] does not offer $bad"; fi
}
has ps ""
has containers con
has sidecar sid
lacks ps con
has --version --ver
has --tree ps --tr
has --signal kill --sig
has HUP kill -s H
has -TERM kill -TE
has "$sleeper" kill ""            # a live PID of this namespace, from nsdebug ps
has 1 env ""
container=$("$NSDEBUG" containers --no-headers | awk "NR==1{print \$1}")
[[ -n $container ]] || { echo "FAIL: no container"; failed=1; }
has "$container" ps -c ""
has "$container:" cat ""          # TARGET:PATH: the name with its colon
has "$sleeper:" ls ""
kill "$sleeper"; wait "$sleeper" 2>/dev/null
lacks "$sleeper" kill ""          # gone: no longer offered
exit $failed
'
