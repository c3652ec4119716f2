#!/bin/bash
# The kubectl plugin's decisions over `kubectl get pod -o json` documents (written in the shape
# kubectl prints; no cluster here): which kubectl command it would run, with --plan.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
plugin=$here/../../deploy/kubectl-nsdebug
failed=0

# expect DOC EXIT_CODE EXPECTED_OUTPUT -- PLUGIN_ARGS...
expect() {
  local doc=$1 code=$2 want=$3
  shift 4
  local got rc
  got=$("$plugin" --plan --pod-json "$here/$doc" "$@" 2>&1)
  rc=$?
  if [[ $rc != "$code" || $got != *"$want"* ]]; then
    echo "FAIL: kubectl-nsdebug $* on $doc: exit $rc (want $code)"
    echo "  got:  $got"
    echo "  want: $want"
    failed=1
  else
    echo "ok: $doc $*"
  fi
}

# A sidecar and a shared namespace: attach for the TUI, exec for a subcommand.
expect sidecar-shared.json 0 "kubectl attach -it nginx -c debug" -- nginx
expect sidecar-shared.json 0 "kubectl exec -i nginx -c debug -- nsdebug ps --tree" -- nginx -- ps --tree
expect sidecar-shared.json 0 "kubectl exec -n web -i nginx -c debug -- nsdebug cat nginx:/etc/nginx/nginx.conf" \
  -- -n web nginx -- cat nginx:/etc/nginx/nginx.conf
# -c naming an app container still goes through the sidecar: it sees every container.
expect sidecar-shared.json 0 "kubectl attach -it nginx -c debug" -- nginx -c nginx
# A sidecar that does not share sees only itself: an ephemeral container joins nginx instead.
expect sidecar-unshared.json 0 \
  "kubectl debug -it nginx --image=localhost/nsdebug:latest --target=nginx --profile=general -- nsdebug tui" -- nginx
# No sidecar, one container: it is the target.
expect no-sidecar-one.json 0 \
  "kubectl debug -it web --image=localhost/nsdebug:latest --target=nginx --profile=general -- nsdebug ps" -- web -- ps
expect no-sidecar-one.json 0 "--image=example.com/nsdebug:0.1.0 --target=nginx" \
  -- web --image example.com/nsdebug:0.1.0
# Several containers and no sidecar: -c chooses, else a usage error that lists them.
expect no-sidecar-several.json 2 "several containers: app envoy log" -- shop
expect no-sidecar-several.json 2 "hint: choose one with -c CONTAINER" -- shop
expect no-sidecar-several.json 0 "--target=envoy --profile=general -- nsdebug doctor" -- shop -c envoy -- doctor
expect no-sidecar-several.json 2 "pod shop has no container nope" -- shop -c nope
# An image that only starts with "nsdebug" is not the sidecar.
expect lookalike.json 2 "several containers: nginx tool" -- nginx
# Usage errors.
expect sidecar-shared.json 2 "which pod?" --
expect sidecar-shared.json 2 "unknown option --bogus" -- nginx --bogus

exit $failed
