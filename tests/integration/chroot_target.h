#pragma once
// A "container" the file-command tests make themselves: a sleep in its own mount namespace,
// chrooted into a tmpdir whose /usr is bind-mounted from ours (so binaries run there) and
// whose other contents each test writes.
#include <string>

#include "run.h"

namespace nsdebug::testing {

// Runs bash: `populate` fills $r (the root as seen from here, inside $dir, which is removed
// afterwards); then the target starts with `target_env` (VAR=value words) in its environment;
// then `body` runs with $pid the target and $nsdebug the binary under test, without `set -e`
// ($NSDEBUG_TEST_BIN in our environment, when set, instead of this build's).
inline Ran with_chroot_target(const std::string& populate, const std::string& body,
                              const std::string& target_env = {}) {
  return run_shell(R"sh(set -e
dir=$(mktemp -d); r=$dir/root
mkdir -p $r/usr $r/etc $r/tmp
ln -s usr/bin $r/bin; ln -s usr/lib $r/lib; ln -s usr/lib64 $r/lib64
)sh" + populate + "\n" + target_env +
                   R"sh( unshare --mount bash -c "mount --bind /usr $r/usr && exec chroot $r sleep 1000" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
# comm turns "sleep" only at the last exec, after the mount and the chroot.
for i in $(seq 200); do [ "$(cat /proc/$pid/comm)" = sleep ] && break; sleep 0.01; done
# NSDEBUG_TEST_BIN: run the same test against another build (an older one, to see it fail).
nsdebug=${NSDEBUG_TEST_BIN:-)sh" NSDEBUG_BIN R"sh(}
set +e
)sh" + body);
}

}  // namespace nsdebug::testing
