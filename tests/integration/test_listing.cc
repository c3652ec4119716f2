// nsdebug ls and stat against coreutils ls and stat on the same nodes (issue 10, defects 7 and
// 8): devices as "major, minor", stat's blocks, IO block, device type and nanoseconds, and an
// entry that cannot be described shown as unknown with an error, never as a zeroed stat.
#include <catch2/catch.hpp>

#include <string>

#include "chroot_target.h"

using nsdebug::testing::Ran;
using nsdebug::testing::with_chroot_target;

TEST_CASE("ls -l shows devices as major, minor, as coreutils ls -l does") {
  auto r = with_chroot_target("mkdir $r/dev; mknod $r/dev/full c 1 7; mknod $r/dev/loop9 b 7 9",
                              R"sh($nsdebug ls -l $pid:/dev; echo "rc=$?"
ls -l $r/dev | awk 'NF > 2 {print "gnu", $1, $5, $6, $NF}')sh");
  INFO(r.out << r.err);
  CHECK(r.out.find("rc=0") != std::string::npos);
  CHECK(r.out.find("gnu crw-r--r-- 1, 7 full") != std::string::npos);
  CHECK(r.out.find("gnu brw-r--r-- 7, 9 loop9") != std::string::npos);
  // nsdebug's row: mode ... "1, 7" ... name (the date between as ls -l's long-iso style).
  auto ours = r.out.substr(0, r.out.find("rc="));
  // The target has no /etc/passwd: owner and group are numeric.
  CHECK(ours.find("crw-r--r-- 1 0 0 1, 7 ") == 0);
  CHECK(ours.find("\nbrw-r--r-- 1 0 0 7, 9 ") != std::string::npos);
}

// Each line nsdebug stat prints against `stat -c` of the same file. nsdebug's layout is its own
// (one field a line, with Resolved), and it says "character device" where coreutils says
// "character special file" (the same words as nsdebug ls and cat use); the values agree.
TEST_CASE("stat shows blocks, IO block, device type and nanosecond times as coreutils stat") {
  auto r = with_chroot_target(R"sh(mkdir $r/dev; mknod $r/dev/full c 1 7
head -c 10000 /dev/urandom > $r/etc/f; touch -d '2001-02-03 04:05:06.123456789' $r/etc/f)sh",
                              R"sh($nsdebug stat $pid:/etc/f; echo "rc=$?"
stat -c '  Blocks: %b  IO Block: %o' $r/etc/f
stat -c '  Modify: %y' $r/etc/f; stat -c '  Access: %x' $r/etc/f
$nsdebug stat $pid:/dev/full
stat -c 'Device type: %Hr,%Lr' $r/dev/full)sh");
  INFO(r.out << r.err);
  CHECK(r.out.find("rc=0") != std::string::npos);
  auto lines_of = [&](std::size_t from) {
    std::string gnu = r.out.substr(from, r.out.find('\n', from) - from);
    return gnu;
  };
  auto after_rc = r.out.find("rc=0\n") + 5;
  auto blocks = lines_of(after_rc);
  auto modify = lines_of(after_rc + blocks.size() + 1);
  auto access = lines_of(after_rc + blocks.size() + modify.size() + 2);
  CHECK(r.out.find(blocks + "\n") < after_rc);  // the same line, earlier, from nsdebug
  CHECK(r.out.find(modify + "\n") < after_rc);
  CHECK(r.out.find(access + "\n") < after_rc);
  CHECK(modify == "  Modify: 2001-02-03 04:05:06.123456789 " + modify.substr(modify.size() - 5));
  CHECK(r.out.find("Device type: 1,7\n") != std::string::npos);    // nsdebug's
  CHECK(r.out.find("\nDevice type: 1,7\n") != std::string::npos);  // coreutils'
}

namespace {

// A target running as nobody, so that nsdebug as nobody may open its root; /data/locked is
// readable but not searchable by nobody (0744, root's): readdir works, every lstat in it fails
// with EACCES, for coreutils ls as for nsdebug. $pid2: that target.
Ran with_locked_dir(const std::string& body) {
  return with_chroot_target(R"sh(mkdir -p $r/data/locked/sub; echo x > $r/data/locked/x
ln -s x $r/data/locked/lnk; chmod 0744 $r/data/locked; out=$dir/out; mkdir $out; chmod 0777 $out
chmod 0755 $dir  # coreutils ls as nobody reaches $r from here
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; })sh",
                            R"sh(
unshare --mount bash -c "mount --bind /usr $r/usr && exec chroot --userspec=65534:65534 $r sleep 1000" &
pid2=$!
trap 'kill $pid $pid2 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
for i in $(seq 200); do [ "$(cat /proc/$pid2/comm)" = sleep ] && break; sleep 0.01; done
)sh" + body);
}

}  // namespace

// coreutils: "ls: cannot access '.../x': Permission denied" per entry, the entry shown as
// "-????????? ? ? ? ?            ? x" (its type from readdir), exit 1. nsdebug says the same in
// its own error format and shows the same fields; the old nsdebug printed mode 0, owner root,
// size 0 as if real, and exited 0.
TEST_CASE("ls -l shows an entry it cannot lstat as unknown, says why and exits 1") {
  auto r = with_locked_dir(R"sh(as_nobody $nsdebug ls -l $pid2:/data/locked; echo "rc=$?"
as_nobody ls -l $r/data/locked | awk 'NF > 2 {print "gnu", $1, $2, $3, $4, $5, $6, $NF}'
as_nobody ls -l $r/data/locked >/dev/null 2>&1; echo "gnu-rc=$?")sh");
  INFO(r.out << r.err);
  CHECK(r.out.find("rc=1\n") != std::string::npos);
  CHECK(r.out.find("gnu -????????? ? ? ? ? ? x\n") != std::string::npos);
  CHECK(r.out.find("gnu-rc=1\n") != std::string::npos);
  CHECK(r.out.find("-?????????") < r.out.find("rc=1"));  // nsdebug's own row too
  CHECK(r.out.find("d?????????") != std::string::npos);
  CHECK(r.out.find("l?????????") != std::string::npos);
  CHECK(r.out.find("----------") == std::string::npos);  // no zeroed mode printed as real
  CHECK(r.err.find("cannot access " ) != std::string::npos);
  CHECK(r.err.find("/data/locked/x: Permission denied\n") != std::string::npos);
  CHECK(r.err.find("/data/locked/sub: Permission denied\n") != std::string::npos);
}

// Plain ls needs no lstat: coreutils lists the names and exits 0, and so does nsdebug.
TEST_CASE("ls without -l lists names it cannot lstat, as coreutils ls does") {
  auto r = with_locked_dir(R"sh(as_nobody $nsdebug ls $pid2:/data/locked; echo "rc=$?"
as_nobody ls $r/data/locked; echo "gnu-rc=$?")sh");
  INFO(r.out << r.err);
  CHECK(r.out == "lnk\nsub\nx\nrc=0\nlnk\nsub\nx\ngnu-rc=0\n");
}

// cp and tar name each entry they could not describe and store the rest; nothing zeroed is
// copied or archived (the old nsdebug called them "not a regular file").
TEST_CASE("cp and tar report entries they cannot lstat, per entry, and exit 1") {
  auto r = with_locked_dir(R"sh(echo top > $r/data/top
as_nobody $nsdebug cp $pid2:/data $out/copy; echo "cp=$?"; cat $out/copy/top
as_nobody $nsdebug tar $pid2:/data > $dir/t.tar; echo "tar=$?"; tar tf $dir/t.tar | sort)sh");
  INFO(r.out << r.err);
  CHECK(r.out == "cp=1\ntop\ntar=1\ndata/\ndata/locked/\ndata/top\n");
  CHECK(r.err.find("/data/locked/x: Permission denied\n") != std::string::npos);
  CHECK(r.err.find("not a regular file") == std::string::npos);
}
