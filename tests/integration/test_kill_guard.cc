// Issue 13's kill guards, in a real pod-shaped PID namespace (pod_fixture.h): nsdebug's
// ancestors and the main process of its own container are never selected by -c or -n (listed
// as not selected, with why) and --force includes them; signal 0 probes any target; a target
// that does not exit says it is stopped or traced.
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "core/proc/process_handle.h"
#include "core/proc/procfs.h"
#include "core/pod/snapshot.h"
#include "pod_fixture.h"
#include "run.h"

using namespace std::chrono_literals;
using namespace nsdebug::testing::pod;

namespace {

// The name `nsdebug containers` gives the container `pid` is in, once it runs `comm` (after
// its exec, so after its unshare); empty when it never showed.
std::string container_name(pid_t pid, std::string_view comm) {
  for (int i = 0; i < 300; ++i) {
    auto s = nsdebug::take_snapshot();
    const nsdebug::Process* p = s ? s->find(pid) : nullptr;
    if (p && p->comm == comm && s->container_of(*p)) return s->container_of(*p)->name;
    std::this_thread::sleep_for(10ms);
  }
  return {};
}

char state_of(pid_t pid) {
  auto text = nsdebug::read_proc_file(pid, "stat");
  auto f = text ? nsdebug::parse_stat(*text) : std::nullopt;
  return f ? f->state : '?';
}

bool wait_state(pid_t pid, std::string_view states) {
  for (int i = 0; i < 300; ++i, std::this_thread::sleep_for(10ms))
    if (states.find(state_of(pid)) != std::string_view::npos) return true;
  return false;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Waits until `path` holds `text` (a script's later line), at most 10 s.
std::string wait_file(const std::string& path, std::string_view text) {
  std::string got;
  for (int i = 0; i < 1000 && !has(got = slurp(path), text); ++i) std::this_thread::sleep_for(10ms);
  return got;
}

}  // namespace

// `kubectl exec debug -- nsdebug kill -c debug`: nsdebug joins the container's mount namespace
// with a parent outside it, so the container's main process is no ancestor of nsdebug.
TEST_CASE("kill -c and -n . from inside a container spare its main process unless --force") {
  check_in_pod([](Checks& c) {
    pid_t main = ::fork();
    if (main == 0) {
      if (::unshare(CLONE_NEWNS) < 0) _exit(1);
      ::execl("/bin/sh", "sh", "-c", "sleep 1004 & exec sleep 1003", nullptr);
      _exit(127);
    }
    std::string name = container_name(main, "sleep");
    c.require(!name.empty(), "the container is listed");
    pid_t sibling = 0;
    for (int i = 0; i < 300 && !sibling; ++i, std::this_thread::sleep_for(10ms)) {
      auto s = nsdebug::take_snapshot();
      for (const auto& p : s->processes)
        if (p.ppid == main && p.argv.size() == 2) sibling = p.pid;
    }
    c.require(sibling > 0, "the container's second process runs");
    std::string mnt = "--mount=/proc/" + pid_s(main) + "/ns/mnt";
    auto inside = [&](std::vector<std::string> args) {
      args.insert(args.begin(), {"nsenter", mnt, NSDEBUG_BIN, "kill"});
      return nsdebug::testing::run(args);
    };
    std::string main_line = "not selected: " + pid_s(main) + " [" + name + "] sleep 1003: " +
                            "the main process of nsdebug's own container";

    auto dry = inside({"-c", name, "--dry-run"});
    c.expect(has(dry.out, main_line), "-c lists the main process as not selected: " + dry.out);
    c.expect(has(dry.out, "would send TERM to " + pid_s(sibling)) &&
                 !has(dry.out, "would send TERM to " + pid_s(main)),
             "and selects its other process: " + dry.out);
    auto all = inside({"-n", ".", "--dry-run"});
    c.expect(has(all.out, main_line) && has(all.out, "not selected: 2 [") &&
                 has(all.out, "it started nsdebug") && has(all.out, "not selected: 1 ["),
             "-n . leaves out the main process, nsdebug's parent and the sandbox: " + all.out);
    c.expect(!has(all.out, "would send TERM to " + pid_s(main) + " ") &&
                 !has(all.out, "would send TERM to 2 ") && !has(all.out, "would send TERM to 1 "),
             "and would signal none of them: " + all.out);
    auto forced = inside({"-c", name, "--force", "--dry-run"});
    c.expect(has(forced.out, "would send TERM to " + pid_s(main)) &&
                 !has(forced.out, "not selected: " + pid_s(main)),
             "--force includes the main process: " + forced.out);
    auto where = forced.out.find("would send TERM to " + pid_s(main));
    c.expect(where != std::string::npos &&
                 where > forced.out.find("would send TERM to " + pid_s(sibling)),
             "and signals it last: " + forced.out);

    auto sent = inside({"-c", name, "-s", "KILL"});
    c.expect(sent.status == 0 && has(sent.out, main_line) &&
                 has(sent.out, "sent KILL to " + pid_s(sibling)),
             "a real -c says what it left out: " + sent.out + sent.err);
    c.expect(wait_state(sibling, "Z") && running(main), "the other process died, the main runs");
    auto named = inside({"-s", "KILL", pid_s(main)});
    c.expect(named.status == 1 && has(named.err, "main process of container '" + name + "'"),
             "named by PID it is refused: " + named.err);
    c.expect(running(main), "the main process still runs");
    auto force_named = inside({"--force", "-s", "KILL", pid_s(main)});
    c.expect(force_named.status == 0 && reap(main) == SIGKILL, "--force signals it");
  });
}

// A shell that is its container's main process (kubectl debug -it: the shell is the
// container) runs nsdebug: the shell is both an ancestor and the main process.
TEST_CASE("kill -c of the container whose main process is nsdebug's shell never signals it") {
  check_in_pod([](Checks& c) {
    std::string dir = "/tmp/nsdebug-guard-" + pid_s(::getpid());
    ::mkdir(dir.c_str(), 0700);
    int names[2];
    c.require(::pipe(names) == 0, "pipe");
    std::string script =
        "sleep 1005 & read name; N=" NSDEBUG_BIN "; D=" + dir + "\n"
        "$N kill -c \"$name\" --dry-run >$D/dry 2>&1; echo \"exit\"=$? >>$D/dry\n"
        "$N kill -n . --dry-run >$D/all 2>&1; echo \"exit\"=$? >>$D/all\n"
        "$N kill -c \"$name\" -s KILL >$D/sent 2>&1; echo \"exit\"=$? >>$D/sent\n"
        "echo alive >$D/alive\n"
        "$N kill -c \"$name\" --force -s TERM >$D/forced 2>&1\n";
    pid_t shell = ::fork();
    if (shell == 0) {
      ::dup2(names[0], 0);
      ::close(names[1]);
      if (::unshare(CLONE_NEWNS) < 0) _exit(1);
      ::execl("/bin/sh", "sh", "-c", script.c_str(), nullptr);
      _exit(127);
    }
    ::close(names[0]);
    std::string name = container_name(shell, "sh");
    c.require(!name.empty(), "the shell's container is listed");
    std::string line = name + "\n";
    c.require(::write(names[1], line.data(), line.size()) == static_cast<ssize_t>(line.size()),
              "tell the shell its container's name");
    ::close(names[1]);

    // The script's own text (in its command line) holds neither "exit=" nor "] sleep 1005".
    std::string not_shell = "not selected: " + pid_s(shell) + " [" + name + "]";
    auto dry = wait_file(dir + "/dry", "exit=");
    c.expect(has(dry, not_shell) && has(dry, "it started nsdebug") && has(dry, "] sleep 1005") &&
                 !has(dry, "would send TERM to " + pid_s(shell) + " "),
             "-c lists the shell as not selected: " + dry);
    auto all = wait_file(dir + "/all", "exit=");
    c.expect(has(all, not_shell) && has(all, "not selected: 2 [") &&
                 !has(all, "would send TERM to " + pid_s(shell) + " ") &&
                 !has(all, "would send TERM to 2 "),
             "-n . leaves out the shell and its parent: " + all);
    auto sent = wait_file(dir + "/sent", "exit=");
    c.expect(has(sent, "exit=0") && has(sent, not_shell) && has(sent, "] sleep 1005"),
             "a real -c signals the rest and says what it left out: " + sent);
    c.expect(has(wait_file(dir + "/alive", "alive"), "alive"), "the shell survived it");
    auto forced = wait_file(dir + "/forced", "sent TERM to " + pid_s(shell));
    c.expect(has(forced, "sent TERM to " + pid_s(shell)), "--force includes the shell: " + forced);
    c.expect(reap(shell) == SIGTERM, "and the shell died of it");
    std::filesystem::remove_all(dir);
  });
}

TEST_CASE("kill -0 probes PID 1 and nsdebug's parents: a probe is never refused") {
  check_in_pod([](Checks& c) {
    auto init = kill_cmd({"-0", "1"});
    c.expect(init.status == 0 && has(init.out, "may signal 1 ["),
             "kill -0 1 probes the sandbox: " + init.out + init.err);
    auto parent = kill_cmd({"-0", pid_s(::getpid())});
    c.expect(parent.status == 0 && has(parent.out, "may signal " + pid_s(::getpid())),
             "kill -0 of nsdebug's parent: " + parent.out + parent.err);
    auto selected = kill_cmd({"-0", "-n", "pause"});
    c.expect(selected.status == 0 && has(selected.out, "may signal 1 ["),
             "-0 -n selects the sandbox too: " + selected.out + selected.err);
  });
}

TEST_CASE("a target that does not exit says it is stopped by SIGSTOP, or traced by whom") {
  check_in_pod([](Checks& c) {
    Child stopped = spawn_catcher({SIGHUP});
    ::kill(stopped.pid, SIGSTOP);
    c.require(wait_state(stopped.pid, "T"), "the child stopped");
    auto r = kill_cmd({"--wait=0.3", "-HUP", pid_s(stopped.pid)});
    c.expect(r.status == 1 && has(r.err, "still running: stopped by SIGSTOP") &&
                 has(r.err, "nsdebug kill -CONT " + pid_s(stopped.pid)),
             "stopped: " + r.err);
    finish(stopped);

    Child traced = spawn_catcher({SIGHUP});
    pid_t tracer = ::fork();
    if (tracer == 0) {
      if (::ptrace(PTRACE_SEIZE, traced.pid, nullptr, nullptr) < 0) _exit(1);
      for (;;) ::pause();  // never continues it: a debugger at a breakpoint
    }
    bool seized = false;
    for (int i = 0; i < 300 && !seized; ++i, std::this_thread::sleep_for(10ms))
      seized = has(*nsdebug::read_proc_file(traced.pid, "status"), "TracerPid:\t" + pid_s(tracer));
    c.require(seized, "the tracer holds the child");
    auto t = kill_cmd({"--wait=0.3", "-HUP", pid_s(traced.pid)});
    c.expect(t.status == 1 && has(t.err, "still running: traced by PID " + pid_s(tracer)),
             "traced: " + t.err);
    ::kill(tracer, SIGKILL);
    reap(tracer);
    finish(traced);
  });
}
