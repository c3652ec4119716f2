#!/bin/bash
# e2e: the nsdebug image (scripts/image.sh) under podman: its entrypoint, an unprivileged run,
# and deploy/sidecar.yaml played by `podman kube play` with a locally built nginx, where the
# sidecar sees nginx's processes. Root; run under the e2e lock:
#   cd build && flock /tmp/nsdebug-e2e.lock ctest -L image --output-on-failure
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
POD=nsdebug-image-e2e
IMAGE=localhost/nsdebug:latest
export NSDEBUG_POD_WORK=${NSDEBUG_POD_WORK:-/var/tmp/nsdebug-pods}
failed=0
fail() { echo "FAIL: $*"; failed=1; }
pm() { podman "$@" 2> >(grep -v 'failed to connect to syslog' >&2); }

# NSDEBUG_STATIC_BIN: a static nsdebug already built (else image.sh builds build-static/).
"$src/scripts/image.sh" ${NSDEBUG_STATIC_BIN:+--binary "$NSDEBUG_STATIC_BIN"}
CONTAINERS_CONF=$("$src/scripts/image.sh" --conf)
export CONTAINERS_CONF
echo "image size: $(pm image inspect --format '{{.Size}}' $IMAGE) bytes"

out=$(pm run --rm --network none $IMAGE --version)
[[ $out == "nsdebug "* ]] || fail "--version printed: $out"
out=$(pm run --rm --network none $IMAGE ps)
grep -q ' nsdebug ps' <<<"$out" || fail "ps in the image does not show itself: $out"
# Any numeric uid, read-only root, no capabilities: ps works, doctor says what is missing.
out=$(pm run --rm --network none --user 101 --read-only --cap-drop=ALL $IMAGE ps -o pid,uid,args)
grep -Eq '^ *1 +101 nsdebug ps' <<<"$out" || fail "ps as uid 101: $out"
pm run --rm --network none --user 101 --read-only --cap-drop=ALL $IMAGE doctor >/dev/null \
  && echo "note: doctor found nothing missing as uid 101" || true

# nginx's image, from the rootfs the e2e pods use (Debian's nginx; no registry).
if ! pm image exists docker.io/library/nginx:latest; then
  "$src/tests/pods/build-rootfs.sh" >/dev/null
  tar -C "$NSDEBUG_POD_WORK/rootfs/nginx" -cf - . |
    pm import -q --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["nginx","-g","daemon off;"]' --change 'STOPSIGNAL SIGQUIT' \
      - docker.io/library/nginx:latest >/dev/null
fi

down() {
  pm pod kill -s KILL $POD >/dev/null 2>&1 || true; pm pod rm -f $POD >/dev/null 2>&1 || true
  pm rm -f -t 0 $POD-lone >/dev/null 2>&1 || true
}
trap down EXIT
down
yaml=$(mktemp)
sed "s/^  name: nginx$/  name: $POD/" "$src/deploy/sidecar.yaml" >"$yaml"
pm kube play --network none "$yaml" >/dev/null
rm -f "$yaml"
for _ in $(seq 100); do
  out=$(pm exec $POD-debug nsdebug ps 2>&1) || true
  grep -q 'nginx: worker' <<<"$out" && break
  sleep 0.1
done
echo "$out"
# podman names containers by runtime id (no kubelet termination-log mount): nginx's is the one
# its master runs in; the worker in the same one, as user nginx (from nginx's own passwd).
ctr=$(awk '/nginx: master/ && $3 == "root" {print $2}' <<<"$out")
[[ -n $ctr ]] || fail "sidecar ps: no nginx master as root"
grep -Eq "^ *[0-9]+ $ctr +nginx .*nginx: worker" <<<"$out" || fail "sidecar ps: no nginx worker as user nginx"
out=$(pm exec $POD-debug nsdebug cat "$ctr:/etc/nginx/nginx.conf" 2>&1) || true
grep -q 'worker_processes' <<<"$out" || fail "sidecar cat nginx.conf: $out"
n=$(pm exec $POD-debug nsdebug tar "$ctr:/etc/nginx" 2>/dev/null | tar -tf - | grep -c nginx.conf) || true
((n >= 1)) || fail "sidecar tar of /etc/nginx has no nginx.conf"
logs=$(pm logs $POD-debug 2>&1)
grep -q '== doctor ==' <<<"$logs" || fail "sidecar log has no diagnosis: $logs"
# As kubectl debug --target runs it: nginx's PID namespace, another uid; nginx's master is PID 1
# and no sandbox is shown; doctor exits 1 and says what is missing. (podman lets no container
# outside a pod join one inside it: a lone nginx.)
pm rm -f $POD-lone >/dev/null 2>&1 || true
pm run -d --name $POD-lone --network none docker.io/library/nginx:latest >/dev/null
for _ in $(seq 50); do pm top $POD-lone 2>/dev/null | grep -q 'nginx: worker' && break; sleep 0.1; done
out=$(pm run --rm --network none --pid container:$POD-lone --user 65532 $IMAGE ps 2>&1) || true
grep -Eq '^ +1 .*nginx: master' <<<"$out" || fail "--pid container:nginx ps: master is not PID 1: $out"
grep -q sandbox <<<"$out" && fail "--pid container:nginx ps shows a sandbox: $out"
if out=$(pm run --rm --network none --pid container:$POD-lone --user 65532 $IMAGE doctor 2>&1); then
  fail "doctor as uid 65532 in nginx's namespace exited 0: $out"
fi
grep -q 'fix:' <<<"$out" || fail "doctor gave no fix: $out"
t0=$(date +%s%N)
pm stop -t 10 $POD-debug >/dev/null
ms=$((($(date +%s%N) - t0) / 1000000))
echo "podman stop of the sidecar: $ms ms"
((ms < 3000)) || fail "podman stop took $ms ms (SIGTERM not honoured?)"
((failed == 0)) && echo "image e2e OK"
exit $failed
