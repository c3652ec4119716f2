#!/bin/bash
# Writes what a release publishes into dist/ (or --out DIR), as root on Debian 12 amd64:
#   nsdebug-linux-amd64, nsdebug-linux-arm64   the static nsdebug for each node architecture, stripped
#   nsdebug-image-VERSION.oci.tar              the image index of both (scripts/image.sh --multiarch)
#                                              as an OCI archive, named nsdebug:VERSION inside
#   kubectl-nsdebug-linux-ARCH.tar.gz          the kubectl plugin (deploy/kubectl-nsdebug), for krew
#   nsdebug.yaml                               the krew plugin manifest: `kubectl krew install
#                                              --manifest=nsdebug.yaml` or from an index
#   SHA256SUMS                                 the sha256 of every file above (sha256sum -c)
#
#   scripts/release.sh [--out DIR] [--base-url URL] [--image REF]
#                      [--binary STATIC_NSDEBUG] [--binary-arm64 AARCH64_NSDEBUG]
# --base-url: where the files will be published; {version} in it stands for the version (krew
#   fetches each archive from URL/NAME). --image: the image the packaged plugin runs by default
#   (deploy/kubectl-nsdebug's NSDEBUG_IMAGE; unset, localhost/nsdebug:latest as in the repo).
# Binaries are built as scripts/image.sh builds them (build-static/, build-arm64/) unless named.
# Archives are reproducible: fixed owners, order and times (the last commit's), gzip -n.
set -euo pipefail
cd "$(dirname "$0")/.."
out=dist base_url=${NSDEBUG_RELEASE_URL:-} image="" binary="" binary_arm64=""
usage() {
  echo "usage: $0 [--out DIR] [--base-url URL] [--image REF] [--binary STATIC_NSDEBUG] [--binary-arm64 AARCH64_NSDEBUG]" >&2
  exit 2
}
while (($#)); do
  case $1 in
    --out) out=$2; shift 2 ;;
    --base-url) base_url=$2; shift 2 ;;
    --image) image=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --binary-arm64) binary_arm64=$2; shift 2 ;;
    *) usage ;;
  esac
done
version=$(sed -n 's/^project(nsdebug VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
if [[ -z $base_url ]]; then
  base_url="https://releases.invalid/nsdebug/v{version}"
  echo "release: no --base-url: nsdebug.yaml points at $base_url (krew cannot fetch from there)" >&2
fi
base_url=${base_url//\{version\}/$version}
pm() { podman "$@" 2> >(grep -v 'failed to connect to syslog' >&2); }

scripts/deps-arm64.sh >&2
if [[ -z $binary ]]; then
  scripts/build.sh build-static -DNSDEBUG_STATIC=ON --target nsdebug >&2
  binary=build-static/nsdebug
fi
if [[ -z $binary_arm64 ]]; then
  scripts/build.sh --arm64 --target nsdebug >&2
  binary_arm64=build-arm64/nsdebug
fi
epoch=$(git log -1 --format=%ct 2>/dev/null || echo 0)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/nsdebug-linux-* "$out"/kubectl-nsdebug-*.tar.gz "$out"/nsdebug-image-*.oci.tar \
      "$out/nsdebug.yaml" "$out/SHA256SUMS"

# The binaries, stripped as the image strips them (each architecture by its own binutils).
install -m 0755 "$binary" "$out/nsdebug-linux-amd64"
strip "$out/nsdebug-linux-amd64"
install -m 0755 "$binary_arm64" "$out/nsdebug-linux-arm64"
aarch64-linux-gnu-strip "$out/nsdebug-linux-arm64"

# The image index, from the binaries just written (image.sh strips again: a no-op).
scripts/image.sh --multiarch --binary "$out/nsdebug-linux-amd64" \
  --binary-arm64 "$out/nsdebug-linux-arm64" >&2
CONTAINERS_CONF=$(scripts/image.sh --conf)
export CONTAINERS_CONF
oci=nsdebug-image-$version.oci.tar
pm manifest push --all --quiet --format oci "localhost/nsdebug:$version-multiarch" \
  "oci-archive:$out/$oci:nsdebug:$version" >&2

# The krew archives: the plugin is a bash script (bash 4, jq, kubectl), the same for both
# architectures; krew still wants an archive a platform.
plugin_dir=$work/plugin
install -D -m 0755 deploy/kubectl-nsdebug "$plugin_dir/kubectl-nsdebug"
[[ -z $image ]] ||
  sed -i "s|^IMAGE=\${NSDEBUG_IMAGE:-[^}]*}|IMAGE=\${NSDEBUG_IMAGE:-$image}|" "$plugin_dir/kubectl-nsdebug"
grep -q "^IMAGE=\${NSDEBUG_IMAGE:-${image:-localhost/nsdebug:latest}}" "$plugin_dir/kubectl-nsdebug" || {
  echo "release: deploy/kubectl-nsdebug no longer sets IMAGE=\${NSDEBUG_IMAGE:-...}" >&2; exit 1; }
touch -d "@$epoch" "$plugin_dir/kubectl-nsdebug"
archive() {  # archive ARCH: kubectl-nsdebug-linux-ARCH.tar.gz in $out
  tar -C "$plugin_dir" --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
    -cf - kubectl-nsdebug | gzip -n -9 >"$out/kubectl-nsdebug-linux-$1.tar.gz"
}
archive amd64
archive arm64

sha() { sha256sum "$out/$1" | cut -c1-64; }
platform() {  # platform ARCH: one entry of the manifest's platforms
  cat <<YAML
  - selector:
      matchLabels:
        os: linux
        arch: $1
    uri: $base_url/kubectl-nsdebug-linux-$1.tar.gz
    sha256: $(sha "kubectl-nsdebug-linux-$1.tar.gz")
    bin: kubectl-nsdebug
YAML
}
{
  cat <<YAML
apiVersion: krew.googlecontainertools.github.com/v1alpha2
kind: Plugin
metadata:
  name: nsdebug
spec:
  version: v$version
  shortDescription: Debug a pod's processes and files with nsdebug
  description: |
    Runs nsdebug (ps, kill, cat, tar, a TUI) against a pod's containers: through the pod's
    nsdebug sidecar when it has one that shares the process namespace, else in an ephemeral
    container (kubectl debug --target) running the nsdebug image. Needs bash 4 and jq.
  caveats: |
    The image it runs by default is ${image:-localhost/nsdebug:latest}; NSDEBUG_IMAGE or
    --image names another.
  platforms:
YAML
  platform amd64
  platform arm64
} >"$out/nsdebug.yaml"

(cd "$out" && sha256sum nsdebug-linux-amd64 nsdebug-linux-arm64 "$oci" \
   kubectl-nsdebug-linux-amd64.tar.gz kubectl-nsdebug-linux-arm64.tar.gz nsdebug.yaml >SHA256SUMS)
echo "release: $version in $out:" >&2
(cd "$out" && ls -l nsdebug-linux-* "$oci" kubectl-nsdebug-*.tar.gz nsdebug.yaml SHA256SUMS) >&2
