// cp and tar against a target that swaps a directory for a symlink while they walk it (issue 13,
// item 4). A process in the target's own mount namespace and root loops
// renameat2(RENAME_EXCHANGE) on data/d/subN (a directory) and data/d/subNlink (-> /etc); nsdebug
// cp and tar of data/d run over and over meanwhile. No copy and no archive may ever hold
// anything of the target's /etc (its `shadow`): a swapped entry is stored as what it was when
// the walk opened it, a directory or a symlink. The old walk re-resolved each path from the
// root and so went through the symlink.
#include <catch2/catch.hpp>

#include <string>

#include "chroot_target.h"

using nsdebug::testing::with_chroot_target;

namespace {

// Eight pairs $r/data/d/subN (a directory of a few files and a subdirectory) and
// $r/data/d/subNlink -> /etc: eight chances a run for the race to hit. $r/etc/shadow is what must
// never come out. `swapper` swaps every pair, over and over until $r/tmp/stop appears (60 s at
// most), from inside the target (nsenter into its mount namespace and root), and prints how
// many swaps it made.
constexpr const char* kPopulate = R"sh(out=$dir/out; mkdir -p $out; echo secret > $r/etc/shadow
for n in 1 2 3 4 5 6 7 8; do
  mkdir -p $r/data/d/sub$n/inner; ln -s /etc $r/data/d/sub${n}link
  for f in a b c; do echo $f > $r/data/d/sub$n/$f; echo $f > $r/data/d/sub$n/inner/$f; done
done)sh";

constexpr const char* kSwapper = R"sh(
swapper() {
  nsenter -t $pid -m -r python3 -c '
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
os.chdir("/data/d")
n, end = 0, time.time() + 60
while time.time() < end and not os.path.exists("/tmp/stop"):
    for i in range(1, 9):
        if libc.renameat2(-100, b"sub%d" % i, -100, b"sub%dlink" % i, 2) == 0: n += 1
print("swaps", n, file=sys.stderr)'
}
# Runs "$@" (which writes $out/x) for $secs seconds and at least 5 times; counts the runs and
# those whose copy holds the target's /etc/shadow (a tar listed by GNU tar).
race() {
  local kind=$1 runs=0 bad=0 failed=0 end=$(( $(date +%s) + secs )); shift
  while [ $(date +%s) -lt $end ] || [ $runs -lt 5 ]; do
    rm -rf $out/x; "$@" 2>>$dir/$kind.err || failed=$((failed + 1))
    if [ -d $out/x ]; then find $out/x -name shadow | grep -q . && bad=$((bad + 1))
    else tar tf $out/x 2>>$dir/$kind.err | grep -q shadow && bad=$((bad + 1)); fi
    runs=$((runs + 1))
  done
  echo "$kind runs=$runs escaped=$bad failed=$failed" >&2
  echo "$kind escaped=$bad failed=$failed"
}
secs=${RACE_SECONDS:-3}
)sh";

}  // namespace

TEST_CASE("cp and tar of a tree whose directory is swapped for a symlink stay inside the tree") {
  auto r = with_chroot_target(kPopulate, std::string(kSwapper) + R"sh(
swapper & sw=$!
sleep 0.3
race cp $nsdebug cp $pid:/data/d $out/x
race tar sh -c "$nsdebug tar $pid:/data/d > $out/x"
# GNU tar under the same race, run in the target's mount namespace and root.
race gnutar sh -c "nsenter -t $pid -m -r tar -cf - -C /data d > $out/x"
touch $r/tmp/stop; wait $sw
head -c 2000 $dir/cp.err $dir/tar.err >&2)sh");
  INFO(r.out << r.err);
  CHECK(r.out.find("cp escaped=0 failed=0\ntar escaped=0 failed=0\ngnutar escaped=0 ") == 0);
  CHECK(r.err.find("swaps ") != std::string::npos);
  CHECK(r.err.find("swaps 0\n") == std::string::npos);
}
