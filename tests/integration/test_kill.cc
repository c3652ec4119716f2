// nsdebug kill against real processes, as root, in a PID namespace each test makes: PID 1 is
// the pods' pause, the test body runs as PID 2 in its own mount namespace (a debug container),
// and /proc is that namespace's. Inside, the body owns the PID space: it can make the kernel
// hand a dead process's PID to a new one (ns_last_pid) and check that a held handle spares it.
#include <fcntl.h>
#include <fmt/format.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <string>
#include <thread>

#include "core/signals/kill_guard.h"
#include "core/proc/process_handle.h"
#include "core/signals/signals.h"
#include "core/pod/snapshot.h"
#include "pod_fixture.h"
#include "run.h"

using namespace std::chrono_literals;
using namespace nsdebug::testing::pod;
using nsdebug::ProcessHandle;

TEST_CASE("a handle whose PID was recycled never signals the new process") {
  check_in_pod([](Checks& c) {
    Child old = spawn_catcher({SIGTERM});
    auto old_start = start_ticks(old.pid);
    auto handle = ProcessHandle::open(old.pid, old_start);
    c.require(handle.has_value(), "open a handle on a live child");
    std::this_thread::sleep_for(30ms);  // a later clock tick: the new process's start differs
    finish(old);

    // The kernel hands out ns_last_pid + 1 next: make that the dead child's PID.
    int fd = ::open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
    std::string last = pid_s(old.pid - 1);
    c.require(fd >= 0 && ::write(fd, last.data(), last.size()) > 0, "write ns_last_pid");
    ::close(fd);
    Child fresh = spawn_catcher({SIGTERM, SIGHUP});
    c.require(fresh.pid == old.pid, "the new child got the old PID");

    auto sent = handle->send(SIGTERM);
    c.expect(!sent && sent.error().code == ESRCH, "the old handle reports the process gone");
    c.expect(next_event(fresh, 300ms) == -1, "the new process received nothing");
    c.expect(running(fresh.pid), "the new process still runs");

    auto reopened = ProcessHandle::open(old.pid, old_start);
    c.expect(
        !reopened && reopened.error().code == ESRCH && has(reopened.error().why, "another process"),
        "opening with the old start time refuses the recycled PID");
    auto right = ProcessHandle::open(fresh.pid, start_ticks(fresh.pid));
    c.expect(right && right->send(SIGHUP), "a handle on the new process signals it");
    c.expect(next_event(fresh) == SIGHUP, "and it receives the signal");
    finish(fresh);
  });
}

TEST_CASE("a process that exits between listing and sending is reported gone") {
  check_in_pod([](Checks& c) {
    Child child = spawn_catcher({});
    auto snapshot = nsdebug::take_snapshot();
    c.require(snapshot && snapshot->find(child.pid), "the child is listed");
    auto listed = *snapshot->find(child.pid);
    finish(child);
    auto h = ProcessHandle::open(listed.pid, listed.start_ticks);
    c.expect(!h && h.error().code == ESRCH, "opening after it was reaped: gone");

    Child held = spawn_catcher({});
    auto handle = ProcessHandle::open(held.pid, start_ticks(held.pid));
    c.require(handle.has_value(), "open a handle on a live child");
    finish(held);
    c.expect(handle->exited(), "the handle sees the exit");
    auto sent = handle->send(SIGTERM);
    c.expect(!sent && sent.error().code == ESRCH && has(sent.error().why, "exited"),
             "sending after it was reaped: gone, with the reason");
  });
}

TEST_CASE("a zombie is reported as exited, not signalled and not a crash") {
  check_in_pod([](Checks& c) {
    pid_t zombie = ::fork();
    if (zombie == 0) _exit(0);
    for (int i = 0;
         i < 200 && nsdebug::parse_stat(*nsdebug::read_proc_file(zombie, "stat"))->state != 'Z';
         ++i)
      std::this_thread::sleep_for(5ms);
    auto handle = ProcessHandle::open(zombie, start_ticks(zombie));
    c.require(handle.has_value(), "a zombie can be held");
    auto sent = handle->send(SIGTERM);
    c.expect(!sent && sent.error().code == ESRCH, "sending to a zombie: ESRCH");
    c.expect(!sent && has(sent.error().why, "zombie") &&
                 has(sent.error().why, fmt::format("PID {}", ::getpid())),
             "the reason names the zombie's parent");
    auto r = kill_cmd({pid_s(zombie)});
    c.expect(r.status == 1, "nsdebug kill exits 1: " + r.err);
    c.expect(has(r.err, "zombie"), "and says zombie: " + r.err);
    reap(zombie);
  });
}

TEST_CASE("nsdebug kill delivers -NAME, -NUMBER, -s and real-time signals") {
  check_in_pod([](Checks& c) {
    Child child = spawn_catcher({SIGHUP, SIGUSR1, SIGRTMIN + 3, SIGTERM});
    auto pid = pid_s(child.pid);
    struct Case {
      std::vector<std::string> args;
      int sig;
    };
    for (const auto& k : {Case{{"-HUP", pid}, SIGHUP}, Case{{"-10", pid}, SIGUSR1},
                          Case{{"-s", "sigusr1", pid}, SIGUSR1},
                          Case{{pid, "-RTMIN+3"}, SIGRTMIN + 3}, Case{{pid}, SIGTERM}}) {
      auto r = kill_cmd(k.args);
      c.expect(r.status == 0, "exit 0: " + r.err);
      c.expect(has(r.out, fmt::format("sent {} to {} [", nsdebug::signal_name(k.sig), pid)),
               "says what went where: " + r.out);
      c.expect(next_event(child) == k.sig, "the child received " + nsdebug::signal_name(k.sig));
    }
    finish(child);
  });
}

TEST_CASE("bad signals and PIDs that never existed are refused before anything is sent") {
  check_in_pod([](Checks& c) {
    Child child = spawn_catcher({SIGTERM, SIGHUP});
    auto pid = pid_s(child.pid);
    auto bad_name = kill_cmd({"-s", "HUPP", pid});
    c.expect(bad_name.status == 2 && has(bad_name.err, "did you mean HUP?"), bad_name.err);
    auto bad_number = kill_cmd({"-99", pid});
    c.expect(bad_number.status == 2 && has(bad_number.err, "signal numbers go from 0"),
             bad_number.err);
    c.expect(next_event(child, 200ms) == -1 && running(child.pid), "the child was left alone");

    auto never = kill_cmd({"30000"});
    c.expect(never.status == 1 && has(never.err, "kill 30000: no such process"), never.err);
    auto h = ProcessHandle::open(30000, 1);
    c.expect(!h && h.error().code == ESRCH, "no handle on a PID that never existed");
    auto mixed = kill_cmd({"-HUP", "30000", pid});
    c.expect(mixed.status == 1 && next_event(child) == SIGHUP,
             "the existing target is still signalled, and the exit code says one failed");
    finish(child);
  });
}

TEST_CASE("kill refuses the pod sandbox without --force, and the pause keeps running") {
  check_in_pod([](Checks& c) {
    auto pause_start = start_ticks(1);
    auto refused = kill_cmd({"1"});
    c.expect(refused.status == 1, "refused: exit 1");
    c.expect(has(refused.err, "kill -TERM 1: PID 1 is the pod sandbox") &&
                 has(refused.err, "it handles TERM") && has(refused.err, "--force"),
             refused.err);
    auto kill = kill_cmd({"-KILL", "1"});
    c.expect(has(kill.err, "no handler for KILL"), "KILL to PID 1 would be dropped: " + kill.err);
    auto forced = kill_cmd({"--force", "-KILL", "1"});
    c.expect(forced.status == 1 && has(forced.err, "not delivered"),
             "forced KILL is sent but reported as dropped: " + forced.err);
    c.expect(start_ticks(1) == pause_start, "the pause still runs");
  });
}

TEST_CASE("kill refuses nsdebug itself and the shell that started it") {
  check_in_pod([](Checks& c) {
    auto self = nsdebug::testing::run({"sh", "-c", "exec " NSDEBUG_BIN " kill $$"});
    c.expect(self.status == 1 && has(self.err, "this nsdebug process"), self.err);
    auto parent = nsdebug::testing::run({"sh", "-c", NSDEBUG_BIN " kill -HUP $$; echo rc=$?"});
    c.expect(has(parent.out, "rc=1") && has(parent.err, "started this nsdebug"), parent.err);
  });
}

TEST_CASE("selecting by name or container leaves out the sandbox, nsdebug and its parents") {
  check_in_pod([](Checks& c) {
    // A container of its own: a parent and a child in a new mount namespace.
    pid_t main = ::fork();
    if (main == 0) {
      if (::unshare(CLONE_NEWNS) < 0) _exit(1);
      if (::fork() == 0) ::execl("/bin/sleep", "sleep", "1001", nullptr);
      ::execl("/bin/sleep", "sleep", "1002", nullptr);
      _exit(127);
    }
    std::string name;
    for (int i = 0; i < 200 && name.empty(); ++i) {
      std::this_thread::sleep_for(10ms);
      auto s = nsdebug::take_snapshot();
      if (s && s->find(main) && s->processes.size() >= 4 && s->find(main)->argv.size() == 2)
        name = s->container_of(*s->find(main))->name;
    }
    c.require(!name.empty(), "the container is listed");
    auto dry = kill_cmd({"-c", name, "--dry-run"});
    c.expect(dry.status == 0 && has(dry.out, "would send TERM to " + pid_s(main)) &&
                 has(dry.out, "sleep 1001") && !has(dry.out, "[sandbox]"),
             "dry run lists the container's two processes: " + dry.out + dry.err);
    c.expect(running(main), "a dry run sends nothing");
    auto all = kill_cmd({"-n", "pause|sleep 100|integration|nsdebug", "--dry-run"});
    c.expect(has(all.out, "not selected: 1 [sandbox]") && has(all.out, "nsdebug itself") &&
                 has(all.out, "it started nsdebug") && has(all.out, "would send TERM to "),
             "dry run says what it left out: " + all.out);
    auto only_guarded = kill_cmd({"-n", "pause"});
    c.expect(only_guarded.status == 1 &&
                 has(only_guarded.err, "only guarded processes or zombies matched"),
             only_guarded.err);
    auto sent = kill_cmd({"-c", name, "-s", "KILL"});
    c.expect(sent.status == 0 && has(sent.out, "sent KILL to " + pid_s(main)), sent.out + sent.err);
    c.expect(reap(main) == SIGKILL, "the container's main process was killed");
  });
}

TEST_CASE("--wait reports who did not exit; --timeout escalates to KILL") {
  check_in_pod([](Checks& c) {
    Child stubborn = spawn_catcher({}, {SIGTERM});
    auto pid = pid_s(stubborn.pid);
    auto waited = kill_cmd({"--wait=0.3", pid});
    c.expect(waited.status == 1 && has(waited.err, "still running"), waited.err);
    c.expect(running(stubborn.pid), "TERM was ignored");
    auto escalated = kill_cmd({"--timeout", "0.3", pid});
    c.expect(escalated.status == 0, "exit 0 once it is gone: " + escalated.err);
    c.expect(has(escalated.out, "sent TERM to " + pid) &&
                 has(escalated.out, "sent KILL to " + pid) && has(escalated.out, "exited: " + pid),
             escalated.out);
    c.expect(reap(stubborn.pid) == SIGKILL, "it died of KILL");

    Child polite = spawn_catcher({});  // default TERM action: it exits
    auto quick = kill_cmd({"--wait", pid_s(polite.pid)});
    c.expect(quick.status == 0 && has(quick.out, "exited: " + pid_s(polite.pid)), quick.out);
    c.expect(reap(polite.pid) == SIGTERM, "it died of TERM");
  });
}

TEST_CASE("EPERM names both uids and CAP_KILL") {
  check_in_pod([](Checks& c) {
    Child root_child = spawn_catcher({SIGHUP});
    auto r = nsdebug::testing::run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                    NSDEBUG_BIN, "kill", "-HUP", pid_s(root_child.pid)});
    c.expect(r.status == 1, "exit 1: " + r.err);
    c.expect(has(r.err, "it runs as uid 0") && has(r.err, "nsdebug as uid 65534") &&
                 has(r.err, "CAP_KILL") && has(r.err, "CAP_SYS_PTRACE"),
             r.err);
    c.expect(next_event(root_child, 200ms) == -1, "nothing was delivered");
    finish(root_child);
  });
}

TEST_CASE("read-only mode (--read-only, NSDEBUG_READ_ONLY) sends nothing; a dry run still says what") {
  check_in_pod([](Checks& c) {
    Child child = spawn_catcher({SIGTERM});
    auto pid = pid_s(child.pid);
    auto flag = nsdebug::testing::run({NSDEBUG_BIN, "--read-only", "kill", pid});
    c.expect(flag.status == 1, "--read-only kill exits 1: " + flag.err);
    c.expect(has(flag.err, "signalling is off (--read-only)"), "and says why: " + flag.err);
    auto env = nsdebug::testing::run({"env", "NSDEBUG_READ_ONLY=1", NSDEBUG_BIN, "kill", pid});
    c.expect(env.status == 1, "NSDEBUG_READ_ONLY=1 kill exits 1: " + env.err);
    c.expect(next_event(child, 300ms) == -1, "the child received nothing");
    auto dry = nsdebug::testing::run({NSDEBUG_BIN, "--read-only", "kill", "--dry-run", pid});
    c.expect(dry.status == 0 && has(dry.out, "would send TERM to " + pid), "dry run: " + dry.out);
    auto sent = kill_cmd({pid});
    c.expect(sent.status == 0, "without it, it is sent: " + sent.err);
    c.expect(next_event(child) == SIGTERM, "and received");
    finish(child);
  });
}
