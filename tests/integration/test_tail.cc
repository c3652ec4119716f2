// nsdebug tail against a "container" made here: a writer in its own mount namespace, chrooted
// into a tmpdir, appending to /log/app.log there, which the tests rotate and truncate.
#include <catch2/catch.hpp>

#include <string>

#include "chroot_target.h"

using nsdebug::testing::Ran;
using nsdebug::testing::with_chroot_target;

namespace {

// Runs `body` with $pid the target (sleep, chrooted, own mount namespace), $log its log file as
// seen from here, and $nsdebug. The log holds "old1".."old20" at the start.
Ran with_log(const std::string& body) {
  return with_chroot_target(R"sh(mkdir -p $r/log; log=$r/log/app.log; out=$dir/out
for i in $(seq 20); do echo old$i; done > $log
# Waits until $out holds line $1 (at most 5 s).
seen() { for i in $(seq 100); do grep -qx "$1" $out && return 0; sleep 0.05; done; return 1; }
# Waits until process $1 has the log open (at most 5 s): with -n 0 it starts at the end there.
opened() {
  for i in $(seq 500); do
    for f in /proc/$1/fd/*; do [ "$(readlink $f)" = "$log" ] && return 0; done; sleep 0.01
  done; return 1
})sh",
                            body);
}

}  // namespace

TEST_CASE("tail prints the last N lines; the default is 10") {
  auto r = with_log("$nsdebug tail -n 3 $pid:/log/app.log; echo ---; $nsdebug tail $pid:log/app.log");
  INFO(r.err);
  CHECK(r.status == 0);
  std::string ten;
  for (int i = 11; i <= 20; ++i) ten += "old" + std::to_string(i) + "\n";
  CHECK(r.out == "old18\nold19\nold20\n---\n" + ten);
}

TEST_CASE("tail -f sees lines appended from the target's mount namespace, and stops on SIGTERM") {
  auto r = with_log(R"sh(
$nsdebug tail -n 1 -f $pid:/log/app.log > $out 2>$dir/err & t=$!
seen old20 || echo "no-start"
nsenter -t $pid -m -r sh -c 'echo new1 >> /log/app.log'
seen new1 || echo "no-new1"
kill -TERM $t; wait $t; echo "rc=$?"
cat $dir/err >&2; echo ---; cat $out)sh");
  INFO(r.err);
  CHECK(r.out.find("no-") == std::string::npos);
  CHECK(r.out.find("rc=0") != std::string::npos);
  CHECK(r.out.substr(r.out.find("---")) == "---\nold20\nnew1\n");
}

TEST_CASE("tail -f follows a rotation by rename and re-creation, and a truncation") {
  auto r = with_log(R"sh(
$nsdebug tail -n 0 -f $pid:/log/app.log > $out 2>$dir/err & t=$!
opened $t || echo "no-open"; echo before-rotate >> $log; seen before-rotate || echo "no-before"
mv $log $log.1; echo last-in-old >> $log.1; echo first-in-new > $log
seen first-in-new || echo "no-first"
seen last-in-old || echo "no-last-old"
# Shorter than what was read: a truncation shows however late tail looks.
: > $log; echo trunc >> $log
seen trunc || echo "no-truncate"
kill -INT $t; wait $t; echo "rc=$?"; cat $dir/err >&2)sh");
  INFO(r.err << r.out);
  CHECK(r.out.find("no-") == std::string::npos);
  CHECK(r.out.find("rc=0") != std::string::npos);
}

TEST_CASE("tail -f ends with 0 when the target process exits") {
  auto r = with_log(R"sh(
timeout 10 $nsdebug tail -f $pid:/log/app.log > $out & t=$!
seen old20 || echo "no-start"
kill $pid; wait $t; echo "rc=$?")sh");
  INFO(r.err);
  CHECK(r.out.find("no-") == std::string::npos);
  CHECK(r.out.find("rc=0") != std::string::npos);
}

TEST_CASE("tail refuses a FIFO and names a missing file") {
  auto r = with_log("mkfifo $r/log/fifo; timeout 5 $nsdebug tail $pid:/log/fifo; echo \"fifo=$?\"; "
                    "$nsdebug tail $pid:/log/none; echo \"none=$?\"");
  CHECK(r.out.find("fifo=1") != std::string::npos);
  CHECK(r.out.find("none=1") != std::string::npos);
  CHECK(r.err.find("not a regular file") != std::string::npos);
  CHECK(r.err.find("/log/none") != std::string::npos);
}
