// The environment row of issue 10's bad-input matrix, /proc and credentials half: /proc with
// hidepid=2, no procfs on /proc, and a uid with no capabilities at all. Each runs in a mount
// namespace of its own (unshare --mount: private propagation), so the node's /proc is never
// touched; each checks the message, the exit code, and that nothing changed (the process
// nsdebug was pointed at still runs, the node's /proc mount is as it was).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <set>
#include <sstream>
#include <string>

#include "run.h"

using nsdebug::testing::Ran;
using nsdebug::testing::run_shell;

namespace {

// LeakSanitizer (the sanitize build) lists threads in /proc/PID/task at exit: without /proc it
// fails every run, kill -l's too, with status 1. It cannot be turned off there either: the
// sanitizers read ASAN_OPTIONS from /proc/self/environ. (ASan also finds the main thread's stack
// in /proc/self/maps: without it, it reports a false stack-buffer-overflow where an exception is
// thrown, as --target's parent throws its exit code, having warned "False positive error
// reports may follow". So these runs are not checked for ASan reports.)
#ifdef __SANITIZE_ADDRESS__
constexpr bool kLeakCheckNeedsProc = true;
#else
constexpr bool kLeakCheckNeedsProc = false;
#endif

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// What the script printed between "== NAME" and the next "== " line.
std::string section(const std::string& out, const std::string& name) {
  auto at = out.find("== " + name + "\n");
  if (at == std::string::npos) return {};
  at += name.size() + 4;
  auto end = out.find("\n== ", at - 1);
  return out.substr(at, end == std::string::npos ? std::string::npos : end - at + 1);
}

// `script` with $nsdebug, as_nobody (uid/gid 65534, no groups, every capability set emptied,
// bounding set included, as a Kubernetes "restricted" container runs), and a check that the
// node's /proc mount line is the same afterwards ("node /proc unchanged").
Ran run_script(const std::string& script) {
  return run_shell(R"sh(nsdebug=)sh" NSDEBUG_BIN R"sh(
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
                      --bounding-set=-all "$@"; }
export nsdebug; export -f as_nobody
# Until /proc/$1 shows comm $2 (setpriv and bash have exec'd).
wait_comm() {
  for i in $(seq 300); do [ "$(cat /proc/$1/comm 2>/dev/null)" = "$2" ] && return; sleep 0.01; done
}
export -f wait_comm
before=$(grep ' /proc ' /proc/self/mountinfo)
)sh" + script + R"sh(
[ "$before" = "$(grep ' /proc ' /proc/self/mountinfo)" ] && echo "node /proc unchanged"
)sh");
}

// "PID USER COMMAND" rows as (pid, user), leaving out the lister's own row (its command
// starts with `self`).
std::set<std::string> rows_without(const std::string& text, const std::string& self) {
  std::set<std::string> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string pid, user, command;
    if (!(words >> pid >> user >> command) || pid == "rc=0") continue;
    if (command.find(self) == std::string::npos) out.insert(pid + " " + user);
  }
  return out;
}

}  // namespace

// procps ps -e and nsdebug ps list the same processes: both read the same /proc, which shows
// uid 65534 its own processes only. The one difference is that each lists itself (and procps
// has no container column, so the rows compared are PID and user). Neither can tell that
// something is missing from a listing; doctor and the hint of a failed lookup can.
TEST_CASE("with hidepid=2 ps lists only its uid's processes, doctor and kill say why") {
  auto r = run_script(R"sh(
unshare --pid --fork --mount bash -c '
  mount -t proc -o hidepid=2 proc /proc
  sleep 1000 & root=$!
  setpriv --reuid=65534 --regid=65534 --clear-groups sleep 1001 & mine=$!
  wait_comm $mine sleep
  echo "root=$root mine=$mine"
  echo "== nsdebug ps"; as_nobody $nsdebug ps -o pid,user,args --no-headers; echo "rc=$?"
  echo "== procps ps"; as_nobody ps -e -o pid,user,args --no-headers; echo "rc=$?"
  echo "== doctor"; as_nobody $nsdebug doctor; echo "rc=$?"
  echo "== kill"; as_nobody $nsdebug kill -KILL $root 2>&1; echo "rc=$?"
  echo "== cat"; as_nobody $nsdebug cat $root:/etc/hostname 2>&1; echo "rc=$?"
  echo "== kill -n"; as_nobody $nsdebug kill -KILL -n "^sleep 1000" 2>&1; echo "rc=$?"
  echo "== after"; kill -0 $root && echo "root sleep runs"; grep " /proc " /proc/self/mountinfo
  kill $root $mine'
)sh");
  INFO(r.out << r.err);
  std::string ids = r.out.substr(0, r.out.find('\n'));
  std::istringstream is(ids);
  std::string root, mine;
  std::getline(is, root, ' ');
  std::getline(is, mine);
  root = root.substr(5);  // "root=N"
  mine = mine.substr(5);  // "mine=N"
  REQUIRE(!root.empty());

  std::string ps = section(r.out, "nsdebug ps");
  CHECK(has(ps, "rc=0\n"));
  auto listed = rows_without(ps, "nsdebug");
  CHECK(listed == std::set<std::string>{mine + " nobody"});
  CHECK(listed == rows_without(section(r.out, "procps ps"), "ps"));

  std::string doctor = section(r.out, "doctor");
  CHECK(has(doctor, "warn  /proc: hidepid=invisible: process lists are incomplete\n"));
  CHECK(has(doctor, "fix: remount /proc without them (mount -o remount,hidepid=0 /proc"));
  CHECK(has(doctor, "PID 1 is not visible here"));
  CHECK(has(doctor, "rc=1\n"));

  // The hint named the /proc line of a doctor run nobody had made ("see the /proc line"), and
  // the process was said not to exist.
  for (const auto& [name, what] : {std::pair{"kill", "kill " + root}, {"cat", "PID " + root}}) {
    std::string s = section(r.out, name);
    INFO(name);
    CHECK(has(s, "nsdebug: " + what + ": not in /proc: the process exists, but /proc hides it"));
    CHECK(has(s, "\nhint: "));
    CHECK(has(s, "hidepid=invisible: process lists are incomplete: remount /proc"));
    CHECK(!has(s, "see the /proc line"));
    CHECK(has(s, "rc=1\n"));
  }
  // A pattern matches only what /proc shows: no match, and the hint said only "nsdebug ps".
  std::string by_name = section(r.out, "kill -n");
  CHECK(has(by_name, "nsdebug: kill: no process matched\nhint: 'nsdebug ps' lists the pod's "
                     "processes; hidepid=invisible: process lists are incomplete"));
  CHECK(has(by_name, "rc=1\n"));
  std::string after = section(r.out, "after");
  CHECK(has(after, "root sleep runs"));
  CHECK(has(after, "hidepid=invisible"));  // the namespace's own /proc, as it was mounted
  CHECK(has(r.out, "node /proc unchanged"));
}

// Before, each command failed its own way: ps "libproc2: read the process table: Input/output
// error" with no hint, kill "/proc belongs to another PID namespace", cat/ls/env/inspect/stat/
// tail/cp/tar "PID N: no such process", pods "stat /proc/self/ns/pid" with "run as root", the
// TUI "read the process table: is /proc mounted here?", doctor "where: inside a pod" and, as
// root, "CAP_SYS_PTRACE no" (it read its capabilities from /proc/self/status).
TEST_CASE("without procfs on /proc every command says so, with the mount as its hint") {
  for (std::string cover : {"mount -t tmpfs tmpfs /proc", "umount -l /proc"}) {
    auto r = run_script(R"sh(
sleep 1000 & target=$!
wait_comm $target sleep
unshare --mount bash -c ')sh" + cover + R"sh(
  for c in ps "ps --json" containers "kill -KILL '$target'" "kill -n ^sleep.1000" \
           "cat '$target':/etc/hostname" "ls '$target':/" "env '$target'" "inspect '$target'" \
           "stat '$target':/" "tail '$target':/etc/hostname" "cp '$target':/etc/hostname /tmp" \
           "tar '$target':/etc" "cat sleep:/etc/hostname" pods "--target '$target' ps"; do
    echo "== $c"; $nsdebug $c 2>&1 >/dev/null; echo "rc=$?"
  done
  echo "== tui"; script -qec "$nsdebug tui" /dev/null | tr -d "\r"; echo "rc=${PIPESTATUS[0]}"
  echo "== doctor"; $nsdebug doctor; echo "rc=$?"
  echo "== kill -l"; $nsdebug kill -l KILL; echo "rc=$?"
  out=$(mktemp); $nsdebug sidecar </dev/null >$out 2>&1 & sidecar=$!
  for i in $(seq 500); do grep -q "^idle:" $out && break; sleep 0.01; done
  kill $sidecar; wait $sidecar; sed "s/^/sidecar: /" $out; rm $out'
echo "== after"; kill -0 $target && echo "target runs"; kill $target
)sh");
    INFO(cover << "\n" << r.out << r.err);
    for (std::string c : {"ps", "ps --json", "containers", "kill -KILL", "kill -n", "cat ", "ls ",
                          "env ", "inspect ", "stat ", "tail ", "cp ", "tar ", "cat sleep:",
                          "pods", "--target ", "tui"}) {
      auto at = r.out.find("== " + c);
      REQUIRE(at != std::string::npos);
      std::string s = r.out.substr(at, r.out.find("\n== ", at + 1) - at);
      INFO(s);
      CHECK(has(s, "\nnsdebug: /proc: procfs is not mounted: "));
      CHECK(has(s, "\nhint: mount procfs on /proc (mount -t proc proc /proc)"));
      CHECK(has(s, "\nrc=1"));
      CHECK(!has(s, "no such process"));
    }
    std::string doctor = section(r.out, "doctor");
    CHECK(has(doctor, "where: unknown"));
    CHECK(has(doctor, "fail  /proc: no /proc mount\n      fix: mount procfs on /proc"));
    CHECK(has(doctor, "CAP_SYS_PTRACE yes, CAP_KILL yes"));  // root's, from capget(2)
    CHECK(!has(doctor, "hidepid"));
    CHECK(has(doctor, "rc=1\n"));
    CHECK(has(r.out, "== kill -l\n9\nrc=" + std::string(kLeakCheckNeedsProc ? "1" : "0")));
    CHECK(!has(r.out, "rc=134\n"));  // no abort
    CHECK(!has(r.out, "rc=139\n"));  // no crash
    CHECK(!has(r.out, "runtime error:"));  // UBSan's
    // The sidecar ran its diagnosis as /proc/self/exe: "run nsdebug doctor: No such file".
    CHECK(has(r.out, "sidecar: fail  /proc: no /proc mount\n"));
    CHECK(has(r.out, "sidecar: nsdebug: /proc: procfs is not mounted: "));
    CHECK(!has(r.out, "No such file or directory"));
    CHECK(has(section(r.out, "after"), "target runs"));
    CHECK(has(r.out, "node /proc unchanged"));
  }
}

// The kernel's view, not a mock: no CAP_KILL and no CAP_SYS_PTRACE, another uid than the target.
// In a PID namespace of the test's (a pod seen from a restricted debug container) and on the
// node itself.
TEST_CASE("a uid without capabilities lists, is refused kill with the why, doctor names the caps") {
  auto r = run_script(R"sh(
unshare --pid --fork --mount-proc bash -c '
  sleep 1000 & root=$!
  wait_comm $root sleep
  echo "== ps"; as_nobody $nsdebug ps -o pid,user,args --no-headers; echo "rc=$?"
  echo "== kill"; as_nobody $nsdebug kill -KILL $root 2>&1; echo "rc=$?"
  echo "== cat"; as_nobody $nsdebug cat $root:/etc/hostname 2>&1; echo "rc=$?"
  echo "== doctor"; as_nobody $nsdebug doctor; echo "rc=$?"
  echo "== after"; kill -0 $root && echo "root sleep runs: $root"; kill $root'
echo "== node doctor"; as_nobody $nsdebug doctor; echo "rc=$?"
echo "== node pods"; as_nobody $nsdebug pods 2>&1; echo "rc=$?"
)sh");
  INFO(r.out << r.err);
  std::string after = section(r.out, "after");
  REQUIRE(has(after, "root sleep runs: "));
  std::string root = after.substr(after.find(": ") + 2);
  root = root.substr(0, root.find('\n'));

  std::string ps = section(r.out, "ps");
  CHECK(has(ps, "rc=0\n"));
  CHECK(rows_without(ps, "nsdebug").contains(root + " root"));  // no hidepid: all users'
  CHECK(has(ps, "sleep 1000\n"));

  std::string kill = section(r.out, "kill");
  CHECK(has(kill, "nsdebug: kill -KILL " + root + " "));
  CHECK(has(kill, "it runs as uid 0 (real 0, saved 0) and nsdebug as uid 65534"));
  CHECK(has(kill, "without CAP_KILL"));
  CHECK(has(kill, "\nhint: add KILL to the debug container"));
  CHECK(has(kill, "rc=1\n"));
  std::string cat = section(r.out, "cat");
  CHECK(has(cat, "permission denied: it runs as uid 0 and nsdebug as uid 65534, without "
                 "CAP_SYS_PTRACE"));
  CHECK(has(cat, "\nhint: add SYS_PTRACE to the debug container"));
  CHECK(has(cat, "rc=1\n"));

  std::string doctor = section(r.out, "doctor");
  CHECK(has(doctor, "warn  capabilities: CAP_SYS_PTRACE no, CAP_KILL no, CAP_SYS_ADMIN no"));
  CHECK(has(doctor, "fix: add SYS_PTRACE to the debug container"));
  CHECK(has(doctor, "add KILL (securityContext.capabilities.add: [KILL])"));
  CHECK(has(doctor, "signallable no"));
  CHECK(has(doctor, "rc=1\n"));

  // On the node it found "no pod PID namespaces" and told the user to start the pod: as uid
  // 65534 every root process's namespace is closed to it.
  std::string node = section(r.out, "node doctor");
  CHECK(has(node, "fail  capabilities: CAP_SYS_PTRACE no, CAP_KILL no, CAP_SYS_ADMIN no"));
  CHECK(has(node, "fail  pods: find the pods: the PID namespaces of "));
  CHECK(!has(node, "start the pod"));
  CHECK(has(node, "rc=1\n"));
  std::string pods = section(r.out, "node pods");
  CHECK(has(pods, "cannot be read as uid 65534 without CAP_SYS_PTRACE\nhint: run nsdebug on the "
                  "node as root"));
  CHECK(has(pods, "rc=1\n"));
  CHECK(has(r.out, "node /proc unchanged"));
}
