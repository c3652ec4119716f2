#!/bin/bash
# scripts/release.sh into a temporary dist: every checksum it wrote holds. SHA256SUMS names every
# file and each sum matches; nsdebug.yaml's sha256 of each platform's archive matches the file
# its URI names, under the --base-url given, with the version put in; the archives hold the
# plugin as deploy/kubectl-nsdebug is (with the --image given); the binaries are static
# executables of their architecture; the OCI archive's index names nsdebug:VERSION and holds an
# image per architecture whose every blob's sha256 is its name, whose config says its
# architecture, and whose /usr/bin/nsdebug is the very file released for it.
# Root, podman. The amd64 nsdebug: $NSDEBUG_STATIC_BIN, else release.sh builds build-static/.
#   tests/arm64/test_release.sh AARCH64_NSDEBUG
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
source "$src/tests/arm64/elf.sh"
arm64_bin=$(realpath "${1:?usage: test_release.sh AARCH64_NSDEBUG}")
version=$(sed -n 's/^project(nsdebug VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
failed=0
fail() { echo "FAIL: $*"; failed=1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dist=$work/dist
image=registry.example/tools/nsdebug:$version

"$src/scripts/release.sh" --out "$dist" --base-url "https://downloads.example/nsdebug/v{version}" \
  --image "$image" ${NSDEBUG_STATIC_BIN:+--binary "$NSDEBUG_STATIC_BIN"} --binary-arm64 "$arm64_bin"
cd "$dist"
oci=nsdebug-image-$version.oci.tar
want="SHA256SUMS kubectl-nsdebug-linux-amd64.tar.gz kubectl-nsdebug-linux-arm64.tar.gz $oci nsdebug-linux-amd64 nsdebug-linux-arm64 nsdebug.yaml"
[[ $(ls | LC_ALL=C sort | tr '\n' ' ') == "$(tr ' ' '\n' <<<"$want" | LC_ALL=C sort | tr '\n' ' ')" ]] ||
  fail "dist holds: $(ls | tr '\n' ' '), want: $want"

# SHA256SUMS: every other file, each sum right.
[[ $(awk '{print $2}' SHA256SUMS | LC_ALL=C sort | tr '\n' ' ') == "$(ls | grep -vx SHA256SUMS | LC_ALL=C sort | tr '\n' ' ')" ]] ||
  fail "SHA256SUMS does not name exactly the other files: $(awk '{print $2}' SHA256SUMS | tr '\n' ' ')"
sha256sum --strict -c SHA256SUMS || fail "sha256sum -c SHA256SUMS"

# nsdebug.yaml: the version, and for each platform its uri's file and that file's sha256.
grep -qx "  version: v$version" nsdebug.yaml || fail "nsdebug.yaml: no version v$version"
grep -q "localhost/nsdebug" nsdebug.yaml && fail "nsdebug.yaml still names the local image"
read_platforms() {  # prints "ARCH URI SHA256 BIN" a platform
  awk '/^  - selector:/ {if (a) print a, u, s, b; a = u = s = b = ""}
       /^        arch:/ {a = $2} /^    uri:/ {u = $2} /^    sha256:/ {s = $2} /^    bin:/ {b = $2}
       END {if (a) print a, u, s, b}' nsdebug.yaml
}
[[ $(read_platforms | awk '{print $1}' | tr '\n' ' ') == "amd64 arm64 " ]] ||
  fail "nsdebug.yaml platforms: $(read_platforms | awk '{print $1}' | tr '\n' ' ')"
while read -r arch uri sum bin; do
  file=${uri##*/}
  [[ $uri == "https://downloads.example/nsdebug/v$version/$file" ]] || fail "$arch: uri $uri"
  [[ -f $file ]] || { fail "$arch: $uri names $file, which is not in dist"; continue; }
  [[ $(sha256sum "$file" | cut -c1-64) == "$sum" ]] && echo "ok: nsdebug.yaml $arch: $file sha256 $sum" ||
    fail "$arch: nsdebug.yaml says sha256 $sum, $file is $(sha256sum "$file" | cut -c1-64)"
  mkdir -p "$work/$arch" && tar -C "$work/$arch" -xzf "$file"
  [[ -x $work/$arch/$bin ]] || fail "$arch: $file has no executable $bin"
  sed "s|^IMAGE=\${NSDEBUG_IMAGE:-[^}]*}|IMAGE=\${NSDEBUG_IMAGE:-$image}|" "$src/deploy/kubectl-nsdebug" |
    cmp -s - "$work/$arch/$bin" || fail "$arch: the archived $bin is not deploy/kubectl-nsdebug with --image"
  out=$("$work/$arch/$bin" --plan --pod-json "$src/tests/plugin/no-sidecar-one.json" web -- ps 2>&1) || true
  [[ $out == *"--image=$image "* ]] || fail "$arch: the packaged plugin does not run $image: $out"
done < <(read_platforms)

for arch in amd64 arm64; do
  why=$(elf_check "nsdebug-linux-$arch" "$arch") && echo "ok: nsdebug-linux-$arch is a static $arch executable" ||
    fail "$why"
  file "nsdebug-linux-$arch" | grep -q ', stripped' || fail "nsdebug-linux-$arch is not stripped"
done

# The OCI archive: index.json -> the image index (named nsdebug:VERSION) -> one manifest an
# architecture -> its config and layers. Every blob is checked against the sha256 it is named by.
oci_dir=$work/oci
mkdir -p "$oci_dir" && tar -C "$oci_dir" -xf "$oci"
for blob in "$oci_dir"/blobs/sha256/*; do
  [[ $(sha256sum "$blob" | cut -c1-64) == "${blob##*/}" ]] || fail "OCI blob ${blob##*/}: wrong sha256"
done
echo "ok: $(ls "$oci_dir"/blobs/sha256 | wc -l) OCI blobs match their sha256"
blob() { cat "$oci_dir/blobs/sha256/${1#sha256:}"; }
top=$(jq -c '.manifests[0]' "$oci_dir/index.json")
[[ $(jq -r '.annotations["org.opencontainers.image.ref.name"]' <<<"$top") == "nsdebug:$version" ]] ||
  fail "the OCI archive's index.json names $(jq -r '.annotations' <<<"$top")"
[[ $(jq -r .mediaType <<<"$top") == application/vnd.oci.image.index.v1+json ]] ||
  fail "the OCI archive holds a $(jq -r .mediaType <<<"$top"), not an OCI image index"
list=$(blob "$(jq -r .digest <<<"$top")")
[[ $(jq -r '[.manifests[].platform | "\(.os)/\(.architecture)"] | sort | join(" ")' <<<"$list") == \
   "linux/amd64 linux/arm64" ]] || fail "the archived index lists: $(jq -c '[.manifests[].platform]' <<<"$list")"
for arch in amd64 arm64; do
  manifest=$(blob "$(jq -r --arg a "$arch" '.manifests[] | select(.platform.architecture == $a) | .digest' <<<"$list")")
  config_arch=$(blob "$(jq -r .config.digest <<<"$manifest")" | jq -r .architecture)
  [[ $config_arch == "$arch" ]] || fail "archived $arch image: its config says $config_arch"
  mkdir -p "$work/layers-$arch"
  for layer in $(jq -r '.layers[].digest' <<<"$manifest"); do
    tar -C "$work/layers-$arch" -xf "$oci_dir/blobs/sha256/${layer#sha256:}"
  done
  cmp -s "$work/layers-$arch/usr/bin/nsdebug" "nsdebug-linux-$arch" &&
    echo "ok: the archived $arch image's nsdebug is nsdebug-linux-$arch" ||
    fail "the archived $arch image's /usr/bin/nsdebug is not nsdebug-linux-$arch"
done
((failed == 0)) && echo "release OK"
exit $failed
