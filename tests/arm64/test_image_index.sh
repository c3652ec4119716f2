#!/bin/bash
# The two-architecture image (scripts/image.sh --multiarch): the index lists linux/amd64 and
# linux/arm64, each entry is the digest of that architecture's image, whose config says that
# architecture, which is under 5 MB and whose /usr/bin/nsdebug is a static executable for it
# (read from the image's own filesystem, podman image mount) that runs (arm64: under qemu-user;
# podman itself cannot run it here: no binfmt_misc for qemu on this machine).
# Root, podman. The amd64 nsdebug: $NSDEBUG_STATIC_BIN, else image.sh builds build-static/.
#   tests/arm64/test_image_index.sh AARCH64_NSDEBUG
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
source "$src/tests/arm64/elf.sh"
arm64_bin=$(realpath "${1:?usage: test_image_index.sh AARCH64_NSDEBUG}")
version=$(sed -n 's/^project(nsdebug VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
index=localhost/nsdebug:$version-multiarch
qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64)
failed=0
fail() { echo "FAIL: $*"; failed=1; }
pm() { podman "$@" 2> >(grep -v 'failed to connect to syslog' >&2); }

"$src/scripts/image.sh" --multiarch ${NSDEBUG_STATIC_BIN:+--binary "$NSDEBUG_STATIC_BIN"} \
  --binary-arm64 "$arm64_bin"
CONTAINERS_CONF=$("$src/scripts/image.sh" --conf)
export CONTAINERS_CONF

list=$(pm manifest inspect "$index")
echo "$list" | jq -c '.mediaType, [.manifests[] | {digest, platform}]'
[[ $(jq -r '[.manifests[].platform | "\(.os)/\(.architecture)"] | sort | join(" ")' <<<"$list") == \
   "linux/amd64 linux/arm64" ]] || fail "the index does not list exactly linux/amd64 and linux/arm64"

mnt=()
cleanup() { local m; for m in "${mnt[@]}"; do pm image unmount "$m" >/dev/null 2>&1 || true; done; }
trap cleanup EXIT
for arch in amd64 arm64; do
  image=localhost/nsdebug:$version-$arch
  digest=$(jq -r --arg a "$arch" '.manifests[] | select(.platform.architecture == $a) | .digest' <<<"$list")
  read -r have_digest config_arch os size < <(pm image inspect \
    --format '{{.Digest}} {{.Architecture}} {{.Os}} {{.Size}}' "$image")
  [[ $digest == "$have_digest" ]] || fail "$arch: the index holds $digest, $image is $have_digest"
  [[ $config_arch == "$arch" && $os == linux ]] || fail "$image's config says $os/$config_arch"
  ((size < 5000000)) && echo "ok: $image: $os/$config_arch, $size bytes" ||
    fail "$image is $size bytes, over 5 MB"
  root=$(pm image mount "$image")
  mnt+=("$image")
  if why=$(elf_check "$root/usr/bin/nsdebug" "$arch"); then
    echo "ok: $image's nsdebug: $(file -b "$root/usr/bin/nsdebug" | cut -d, -f1-2), static"
  else
    fail "$image's nsdebug: $why"
  fi
  run=("$root/usr/bin/nsdebug")
  [[ $arch == arm64 ]] && run=("$qemu" "${run[@]}")
  out=$("${run[@]}" --version 2>&1) || true
  [[ $out == "nsdebug $version" ]] && echo "ok: $image's nsdebug --version" ||
    fail "$image's nsdebug --version: $out"
done
((failed == 0)) && echo "image index OK"
exit $failed
