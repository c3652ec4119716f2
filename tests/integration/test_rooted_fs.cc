// RootedFs and the file commands against a "container" these tests make themselves: a process
// chrooted, in its own mount namespace, into a tmpdir whose /etc/hostname differs from ours.
#include <catch2/catch.hpp>

#include <string>

#include "chroot_target.h"

using nsdebug::testing::Ran;
using nsdebug::testing::with_chroot_target;

namespace {

constexpr const char* kInside = "inside-the-target-root";

// Runs `body` (bash) with $pid a process whose root is the target root, and $nsdebug.
// The root: /usr bind-mounted from ours (so sleep runs), /etc/hostname and /etc/passwd of its
// own, /app/current -> /etc/hostname (absolute), /app/up -> ../../../../../etc/hostname,
// /app/owned owned by uid 4242 ("inuser" only in the target's passwd), /app/fifo a FIFO.
Ran in_target(const std::string& body) {
  return with_chroot_target("mkdir -p $r/app\necho " + std::string(kInside) + R"sh( > $r/etc/hostname
printf 'root:x:0:0::/:/bin/sh\ninuser:x:4242:4242::/:/bin/false\n' > $r/etc/passwd
printf 'root:x:0:\ningroup:x:4242:\n' > $r/etc/group
ln -s /etc/hostname $r/app/current; ln -s ../../../../../etc/hostname $r/app/up
echo owned > $r/app/owned; chown 4242:4242 $r/app/owned; mkfifo $r/app/fifo)sh",
                            body, "DB_PASSWORD=s3cr3t DB_URL=postgres://u:pw@db/x");
}

}  // namespace

TEST_CASE("cat through an absolute symlink reads the target's file, /proc/PID/root does not") {
  auto r = in_target("$nsdebug cat $pid:/app/current; echo \"rc=$?\"; cat /proc/$pid/root/app/current");
  INFO(r.err);
  auto first = r.out.substr(0, r.out.find("rc="));
  CHECK(first == std::string(kInside) + "\n");
  CHECK(r.out.find("rc=0") != std::string::npos);
  // The plain path resolves /etc/hostname in OUR root: the debugger's own file.
  auto plain = r.out.substr(r.out.find('\n', r.out.find("rc=")) + 1);
  CHECK(plain.find(kInside) == std::string::npos);
}

TEST_CASE("cat: '..' and relative symlinks pointing above / stay inside the target root") {
  auto r = in_target("$nsdebug cat $pid:/../../../etc/hostname $pid:app/up $pid:/app/../../etc/hostname");
  INFO(r.err);
  CHECK(r.status == 0);
  std::string line = std::string(kInside) + "\n";
  CHECK(r.out == line + line + line);
}

TEST_CASE("cat refuses a FIFO without blocking, and a directory with a hint to use ls") {
  auto r = in_target("timeout 5 $nsdebug cat $pid:/app/fifo; echo \"fifo=$?\"; "
                     "$nsdebug cat $pid:/app; echo \"dir=$?\"");
  CHECK(r.out.find("fifo=1") != std::string::npos);
  CHECK(r.out.find("dir=1") != std::string::npos);
  CHECK(r.err.find("FIFO") != std::string::npos);
  CHECK(r.err.find("--force") != std::string::npos);
  CHECK(r.err.find("nsdebug ls") != std::string::npos);
}

TEST_CASE("cat: a full disk is an error, a closed pipe ends quietly with 0") {
  auto r = in_target("$nsdebug cat $pid:/etc/hostname > /dev/full; echo \"full=$?\"; "
                     "head -c 1000000 /dev/zero > $r/tmp/big; "
                     "$nsdebug cat $pid:/tmp/big | head -c 1 >/dev/null; echo \"pipe=${PIPESTATUS[0]}\"");
  CHECK(r.out.find("full=1") != std::string::npos);
  CHECK(r.err.find("No space left") != std::string::npos);
  CHECK(r.out.find("pipe=0") != std::string::npos);
}

TEST_CASE("ls -l names owners from the target's own /etc/passwd and shows links as written") {
  auto r = in_target("$nsdebug ls -l $pid:/app");
  INFO(r.err);
  REQUIRE(r.status == 0);
  INFO(r.out);
  CHECK(r.out.find("inuser ingroup") != std::string::npos);
  CHECK(r.out.find("current -> /etc/hostname") != std::string::npos);
  CHECK(r.out.find("up -> ../../../../../etc/hostname") != std::string::npos);
}

TEST_CASE("stat says where a symlink resolved inside the target root") {
  auto r = in_target("$nsdebug stat $pid:/app/up");
  INFO(r.err);
  REQUIRE(r.status == 0);
  INFO(r.out);
  CHECK(r.out.find("Resolved: /etc/hostname\n") != std::string::npos);
  CHECK(r.out.find("Type: symbolic link") != std::string::npos);
}

TEST_CASE("env masks secret values and URL passwords; --reveal shows them") {
  auto r = in_target("$nsdebug env $pid; echo ---; $nsdebug env --reveal $pid");
  INFO(r.err);
  auto masked = r.out.substr(0, r.out.find("---"));
  auto revealed = r.out.substr(r.out.find("---"));
  CHECK(masked.find("DB_PASSWORD=***\n") != std::string::npos);
  CHECK(masked.find("DB_URL=postgres://u:***@db/x\n") != std::string::npos);
  CHECK(masked.find("s3cr3t") == std::string::npos);
  CHECK(revealed.find("DB_PASSWORD=s3cr3t\n") != std::string::npos);
  CHECK(revealed.find("DB_URL=postgres://u:pw@db/x\n") != std::string::npos);
}
