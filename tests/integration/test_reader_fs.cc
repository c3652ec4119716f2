// Reads that would leave the target through its own /proc (issue 13, item 3): a container whose
// log is a symlink to /proc/self/environ, /proc/1/environ or another process's environ, or a
// file of sysfs, must not get nsdebug's (or anyone's) environment printed by cat, tail, cp, tar.
// The target here has procfs, sysfs and cgroup2 mounted in its own root, as a container has.
#include <catch2/catch.hpp>

#include <string>

#include "chroot_target.h"

using nsdebug::testing::Ran;
using nsdebug::testing::with_chroot_target;

namespace {

constexpr const char* kReaderSecret = "reader-s3cr3t-7f3a";
constexpr const char* kOtherSecret = "other-s3cr3t-91c2";

// $r/var/log holds app.log -> /proc/self/environ, init.log -> /proc/1/environ, other.log ->
// /proc/$other/environ ($other a process with kOtherSecret in its environment), magic.log ->
// /proc/1/root/etc/hostname (a magic link on the way), sys.log -> /sys/kernel/uevent_seqnum.
// nsdebug runs with kReaderSecret in its environment.
Ran with_proc_links(const std::string& body) {
  return with_chroot_target(R"sh(mkdir -p $r/var/log $r/proc $r/sys
echo inside > $r/etc/hostname
ln -s /proc/self/environ $r/var/log/app.log; ln -s /proc/1/environ $r/var/log/init.log
ln -s /proc/1/root/etc/hostname $r/var/log/magic.log; ln -s /sys/kernel/uevent_seqnum $r/var/log/sys.log
echo plain > $r/var/log/plain.log)sh",
                            std::string(R"sh(
nsenter -t $pid -m sh -c "mount -t proc proc $r/proc && mount -t sysfs sysfs $r/sys &&
  mount -t cgroup2 cgroup2 $r/sys/fs/cgroup" || echo "no-mounts"
env OTHER_SECRET=)sh") + kOtherSecret + R"sh( sleep 1000 & other=$!
trap 'kill $pid $other 2>/dev/null; wait $pid $other 2>/dev/null; rm -rf "$dir"' EXIT
ln -s /proc/$other/environ $r/var/log/other.log
export READER_SECRET=)sh" + kReaderSecret + "\n" + body);
}

void check_no_secret(const Ran& r) {
  CHECK(r.out.find(kReaderSecret) == std::string::npos);
  CHECK(r.out.find(kOtherSecret) == std::string::npos);
  CHECK(r.err.find(kReaderSecret) == std::string::npos);
  CHECK(r.err.find(kOtherSecret) == std::string::npos);
}

}  // namespace

TEST_CASE("cat, tail, cp and tar refuse a target's file that lies on procfs or sysfs") {
  auto r = with_proc_links(R"sh(
for f in app init other sys; do
  $nsdebug cat $pid:/var/log/$f.log; echo "cat-$f=$?"
  $nsdebug tail $pid:/var/log/$f.log; echo "tail-$f=$?"
  $nsdebug cp $pid:/var/log/$f.log $dir/cp-$f; echo "cp-$f=$?"; cat $dir/cp-$f 2>/dev/null
  $nsdebug tar -f $dir/$f.tar $pid:/var/log/$f.log; echo "tar-$f=$?"
  tar -xOf $dir/$f.tar 2>/dev/null
done
$nsdebug cat $pid:/var/log/plain.log; echo "plain=$?")sh");
  INFO(r.out << r.err);
  CHECK(r.out.find("no-mounts") == std::string::npos);
  for (const char* f : {"app", "init", "other", "sys"})
    for (const char* cmd : {"cat", "tail", "cp", "tar"})
      CHECK(r.out.find(std::string(cmd) + "-" + f + "=1") != std::string::npos);
  check_no_secret(r);
  CHECK(r.err.find("lies on procfs, which shows the process reading it") != std::string::npos);
  CHECK(r.err.find("lies on sysfs") != std::string::npos);
  CHECK(r.err.find("hint: a process's environment, limits and details: nsdebug env PID, "
                   "nsdebug inspect PID") != std::string::npos);
  CHECK(r.out.find("plain\nplain=0") != std::string::npos);
}

TEST_CASE("a magic link on the way is refused as such, not as a symlink loop") {
  auto r = with_proc_links(R"sh(
$nsdebug cat $pid:/var/log/magic.log; echo "cat=$?"
$nsdebug tail $pid:/var/log/magic.log; echo "tail=$?"
$nsdebug cat $pid:/proc/self/root/etc/hostname; echo "direct=$?")sh");
  INFO(r.out << r.err);
  CHECK(r.out.find("cat=1") != std::string::npos);
  CHECK(r.out.find("tail=1") != std::string::npos);
  CHECK(r.out.find("direct=1") != std::string::npos);
  CHECK(r.err.find("a magic link of /proc") != std::string::npos);
  CHECK(r.err.find("nsdebug env PID") != std::string::npos);
  CHECK(r.err.find("Too many levels of symbolic links") == std::string::npos);
}

TEST_CASE("a container's own cgroup files are still read through its root") {
  auto r = with_proc_links(R"sh(
$nsdebug cat $pid:/sys/fs/cgroup/cpu.stat; echo "cgroup=$?")sh");
  INFO(r.out << r.err);
  CHECK(r.out.find("usage_usec") != std::string::npos);
  CHECK(r.out.find("cgroup=0") != std::string::npos);
}
