// nsdebug trace against real processes (tests/integration/trace_subject.c), as root: the same
// calls as strace sees, a tracee that survives every way nsdebug can end, and bad input.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/proc/process_handle.h"
#include "core/trace/trace_stop.h"
#include "core/trace/tracer.h"
#include "pod_fixture.h"
#include "run.h"

using namespace std::chrono_literals;
using nsdebug::testing::Ran;

namespace {

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

struct TempDir {
  std::string path;
  TempDir() {
    char t[] = "/tmp/nsdebug-trace-XXXXXX";
    path = ::mkdtemp(t);
  }
  ~TempDir() { (void)!std::system(("rm -rf " + path).c_str()); }
};

// argv started with stdin from `in_fd` (-1: /dev/null), stdout and stderr to `out` (empty:
// /dev/null).
pid_t spawn(const std::vector<std::string>& argv, int in_fd = -1, const std::string& out = {}) {
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  int in = in_fd >= 0 ? in_fd : ::open("/dev/null", O_RDONLY);
  int o = ::open(out.empty() ? "/dev/null" : out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ::dup2(in, 0);
  ::dup2(o, 1);
  ::dup2(o, 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::execvp(args[0], args.data());
  ::_exit(127);
}

std::string status_field(pid_t pid, const std::string& key) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line))
    if (line.starts_with(key + ":")) {
      auto v = line.substr(key.size() + 1);
      return v.substr(v.find_first_not_of(" \t"));
    }
  return {};
}

pid_t tracer_of(pid_t pid) { return std::atoi(status_field(pid, "TracerPid").c_str()); }

template <class F>
bool eventually(F f, std::chrono::milliseconds limit = 5000ms) {
  for (auto end = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < end;
       std::this_thread::sleep_for(10ms))
    if (f()) return true;
  return f();
}

int wait_status(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Ran run_nsdebug(std::vector<std::string> args) {
  args.insert(args.begin(), NSDEBUG_BIN);
  return nsdebug::testing::run(args);
}

// ---- the comparison with strace ---------------------------------------------------------------

// One call as both print it: its name, its first quoted string (a path, an address) and its
// return value without descriptor names ("3", "-1 ENOENT").
std::string call_key(const std::string& line) {
  static const std::regex call(R"(^([a-z0-9_]+)\((.*)\) += (.*)$)");
  std::smatch m;
  if (!std::regex_match(line, m, call)) return {};
  std::string args = m[2], ret = m[3];
  std::string quoted;
  if (auto q = args.find('"'); q != std::string::npos) {
    auto end = args.find('"', q + 1);
    quoted = args.substr(q, end - q + 1);
  }
  static const std::regex ret_value(R"(^(-?[0-9x?a-f]+)(<[^>]*>)?( E[A-Z0-9_]+)?)");
  std::smatch r;
  std::string value = std::regex_search(ret, r, ret_value) ? r[1].str() + r[3].str() : ret;
  return std::string(m[1]) + " " + quoted + " = " + value;
}

// The calls in `names` between the begin and end markers, strace's "<unfinished ...>" and
// "<... NAME resumed>" halves joined.
std::vector<std::string> calls_between_markers(const std::string& trace,
                                               const std::set<std::string>& names) {
  static const std::regex prefix(R"(^(\[pid +([0-9]+)\] |([0-9]+) +)?(.*)$)");
  std::map<std::string, std::string> unfinished;
  std::vector<std::string> out;
  bool inside = false;
  std::istringstream in(trace);
  for (std::string raw; std::getline(in, raw);) {
    std::smatch m;
    std::regex_match(raw, m, prefix);
    std::string pid = m[2].matched ? m[2].str() : m[3].str();
    std::string line = m[4];
    if (auto u = line.find(" <unfinished ...>"); u != std::string::npos) {
      unfinished[pid] = line.substr(0, u);
      continue;
    }
    if (line.starts_with("<... ")) {
      auto r = line.find(" resumed>");
      line = unfinished[pid] + line.substr(r + 9);
    }
    if (has(line, "/nonexistent/trace-begin")) inside = true;
    if (!inside) continue;
    if (has(line, "/nonexistent/trace-end")) break;
    std::string key = call_key(line);
    if (!key.empty() && names.contains(key.substr(0, key.find(' ')))) out.push_back(key);
  }
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

// Starts the script subject, lets `tracer` (with {PID} replaced) attach, runs it, and returns
// what the tracer wrote to OUT.
std::string trace_script(const TempDir& dir, std::vector<std::string> tracer,
                         const std::string& out) {
  std::string file = dir.path + "/data.txt";
  std::ofstream(file) << "hello from the trace test\n";
  int go[2];
  REQUIRE(::pipe(go) == 0);
  pid_t subject = spawn({TRACE_SUBJECT_BIN, "script", file, dir.path}, go[0]);
  ::close(go[0]);
  REQUIRE(eventually([&] { return ::access((dir.path + "/subject.sock").c_str(), F_OK) == 0; }));
  for (auto& a : tracer)
    if (a == "{PID}") a = std::to_string(subject);
  pid_t t = spawn(tracer, -1, dir.path + "/tracer.log");
  REQUIRE(eventually([&] { return tracer_of(subject) == t; }));
  std::this_thread::sleep_for(300ms);  // attached: the interrupt stop is past
  REQUIRE(::write(go[1], "go\n", 3) == 3);
  ::close(go[1]);
  CHECK(wait_status(subject) == 0);
  CHECK(wait_status(t) == 0);
  INFO(slurp(dir.path + "/tracer.log"));
  return slurp(out);
}

}  // namespace

TEST_CASE("nsdebug trace -f sees the calls strace -f sees, with the same paths and returns") {
  if (::access("/usr/bin/strace", X_OK) != 0) {
    WARN("strace is not installed (scripts/test.sh installs it): not compared");
    return;
  }
  TempDir dir;
  std::string ours = dir.path + "/nsdebug.out", theirs = dir.path + "/strace.out";
  std::string our_trace = trace_script(dir, {NSDEBUG_BIN, "trace", "-f", "-o", ours, "{PID}"}, ours);
  std::string their_trace =
      trace_script(dir, {"strace", "-f", "-qq", "-o", theirs, "-p", "{PID}"}, theirs);
  const std::set<std::string> names = {"open",    "openat", "read", "close",  "socket",
                                       "connect", "execve", "kill", "exit_group"};
  auto a = calls_between_markers(our_trace, names);
  auto b = calls_between_markers(their_trace, names);
  INFO("nsdebug:\n" << our_trace << "\nstrace:\n" << their_trace);
  REQUIRE(b.size() > 10);
  CHECK(joined(a) == joined(b));
  // What only nsdebug adds, and what the comparison cannot see.
  CHECK(has(our_trace, "sun_path=\"" + dir.path + "/subject.sock\"}"));
  CHECK(has(our_trace, "sin_addr=inet_addr(\"127.0.0.1\")"));
  CHECK(has(our_trace, "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER"));
  CHECK(has(our_trace, "= -1 ENOENT (No such file or directory)"));
  // Descriptors named (their numbers depend on what the test runner left open).
  std::string data = dir.path + "/data.txt";
  CHECK(std::regex_search(our_trace, std::regex("O_RDONLY\\|O_CLOEXEC\\) = [0-9]+<" + data + ">")));
  CHECK(std::regex_search(
      our_trace, std::regex("read\\([0-9]+<" + data + ">, \"hello from the trace test\\\\n\", 256\\) = 26")));
  CHECK(has(our_trace, "execve(\"/bin/true\", [\"true\", \"from-subject\"]"));
  CHECK(has(our_trace, "+++ exited with 0 +++"));
}

// Ends nsdebug with `sig` while it traces a looping subject, and checks the subject runs on
// untraced, having received the SIGUSR1 sent during the trace and one after.
void check_survives(int sig) {
  TempDir dir;
  std::string log = dir.path + "/subject.log", out = dir.path + "/trace.out";
  pid_t subject = spawn({TRACE_SUBJECT_BIN, "loop", log});
  REQUIRE(eventually([&] { return has(slurp(log), "ready"); }));
  pid_t t = spawn({NSDEBUG_BIN, "trace", "-f", "-o", out, std::to_string(subject)}, -1,
                  dir.path + "/nsdebug.err");
  REQUIRE(eventually([&] { return tracer_of(subject) == t; }));
  std::this_thread::sleep_for(200ms);  // tracing (lines reach the file as its buffer fills)
  ::kill(subject, SIGUSR1);
  CHECK(eventually([&] { return has(slurp(log), "usr1 1"); }));
  ::kill(t, sig);
  int ended = wait_status(t);
  if (sig != SIGKILL) CHECK(ended == 0);
  INFO(slurp(dir.path + "/nsdebug.err"));
  CHECK(eventually([&] { return tracer_of(subject) == 0; }));
  std::this_thread::sleep_for(50ms);
  std::string state = status_field(subject, "State");
  CHECK((state.starts_with("S") || state.starts_with("R")));
  ::kill(subject, SIGUSR1);
  CHECK(eventually([&] { return has(slurp(log), "usr1 2"); }));
  if (sig != SIGKILL) CHECK(has(slurp(out), "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER"));
  ::kill(subject, SIGKILL);
  wait_status(subject);
}

TEST_CASE("the tracee runs on, untraced and with its signals, after nsdebug trace ends") {
  SECTION("SIGINT (Ctrl-C)") { check_survives(SIGINT); }
  SECTION("SIGTERM") { check_survives(SIGTERM); }
  SECTION("SIGHUP") { check_survives(SIGHUP); }
  SECTION("SIGKILL: the kernel detaches") { check_survives(SIGKILL); }
}

// As every command (test_output_failures.cc): stdout on /dev/full is one line and exit 1, a
// reader gone is quiet; and either way the tracee is let go, running, untraced.
TEST_CASE("nsdebug trace: lost output ends the trace, and the tracee runs on untraced") {
  TempDir dir;
  std::string log = dir.path + "/subject.log", err = dir.path + "/err";
  pid_t subject = spawn({TRACE_SUBJECT_BIN, "loop", log});
  REQUIRE(eventually([&] { return has(slurp(log), "ready"); }));
  for (std::string how : {"> /dev/full", "| true"}) {
    auto r = nsdebug::testing::run_shell(std::string(NSDEBUG_BIN) + " trace " +
                                         std::to_string(subject) + " 2>" + err + " " + how +
                                         "; echo \"rc=${PIPESTATUS[0]}\"");
    std::string said = slurp(err);
    INFO(how << ": " << r.out << said);
    if (how == "> /dev/full") {
      CHECK(r.out == "rc=1\n");
      CHECK(said == "nsdebug: write stdout: No space left on device\n");
    } else {
      CHECK((r.out == "rc=141\n" || r.out == "rc=1\n"));
      CHECK(said.empty());
    }
    CHECK(eventually([&] { return tracer_of(subject) == 0; }));
    std::this_thread::sleep_for(50ms);
    std::string state = status_field(subject, "State");
    CHECK((state.starts_with("S") || state.starts_with("R")));
  }
  ::kill(subject, SIGKILL);
  wait_status(subject);
}

TEST_CASE("nsdebug trace: a tracee that exits ends the trace") {
  TempDir dir;
  std::string log = dir.path + "/subject.log", out = dir.path + "/trace.out";
  pid_t subject = spawn({TRACE_SUBJECT_BIN, "loop", log});
  REQUIRE(eventually([&] { return has(slurp(log), "ready"); }));
  pid_t t = spawn({NSDEBUG_BIN, "trace", "-o", out, std::to_string(subject)});
  REQUIRE(eventually([&] { return tracer_of(subject) == t; }));
  ::kill(subject, SIGTERM);
  CHECK(wait_status(t) == 0);
  wait_status(subject);
  CHECK(has(slurp(out), "+++ killed by SIGTERM +++"));
}

TEST_CASE("nsdebug trace: a process traced already is refused, naming its tracer") {
  if (::access("/usr/bin/strace", X_OK) != 0) {
    WARN("strace is not installed (scripts/test.sh installs it): not compared");
    return;
  }
  TempDir dir;
  std::string log = dir.path + "/subject.log";
  pid_t subject = spawn({TRACE_SUBJECT_BIN, "loop", log});
  REQUIRE(eventually([&] { return has(slurp(log), "ready"); }));
  pid_t strace = spawn({"strace", "-qq", "-o", "/dev/null", "-p", std::to_string(subject)});
  REQUIRE(eventually([&] { return tracer_of(subject) == strace; }));
  auto r = run_nsdebug({"trace", std::to_string(subject)});
  CHECK(r.status == 1);
  CHECK(has(r.err, "already traced by PID " + std::to_string(strace)));
  CHECK(has(r.err, "hint:"));
  ::kill(strace, SIGTERM);
  wait_status(strace);
  ::kill(subject, SIGKILL);
  wait_status(subject);
}

TEST_CASE("nsdebug trace: bad input") {
  pid_t gone = spawn({"true"});
  wait_status(gone);
  auto r = run_nsdebug({"trace", std::to_string(gone)});
  CHECK(r.status == 1);
  CHECK(has(r.err, "hint:"));

  CHECK(run_nsdebug({"trace"}).status == 2);
  CHECK(run_nsdebug({"trace", "not-a-pid"}).status == 2);
  CHECK(run_nsdebug({"trace", "-e", "no_such_call", "1"}).status == 2);
  CHECK(run_nsdebug({"trace", "-c", "web", "1"}).status == 2);
  auto ro = run_nsdebug({"--read-only", "trace", "1"});
  CHECK(ro.status == 1);
  CHECK(has(ro.err, "--read-only"));
  // nsdebug itself: the shell's PID is nsdebug's after exec.
  auto self = nsdebug::testing::run_shell(std::string("exec ") + NSDEBUG_BIN + " trace $$");
  CHECK(self.status == 1);
  CHECK(has(self.err, "nsdebug itself"));
}

TEST_CASE("nsdebug trace never attaches to a process that took a traced one's PID") {
  using namespace nsdebug::testing::pod;
  check_in_pod([](Checks& c) {
    Child old = spawn_catcher({SIGTERM});
    auto handle = nsdebug::ProcessHandle::open(old.pid, start_ticks(old.pid));
    c.require(handle.has_value(), "open a handle on a live child");
    std::this_thread::sleep_for(30ms);
    finish(old);
    int fd = ::open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
    std::string last = pid_s(old.pid - 1);
    c.require(fd >= 0 && ::write(fd, last.data(), last.size()) > 0, "write ns_last_pid");
    ::close(fd);
    Child fresh = spawn_catcher({SIGTERM});
    c.require(fresh.pid == old.pid, "the new child got the old PID");
    auto tracer = nsdebug::Tracer::attach(*handle, {});
    c.expect(!tracer && tracer.error().code == ESRCH, "the trace is refused: the process is gone");
    c.expect(tracer_of(fresh.pid) == 0, "the new process is not traced");
    c.expect(running(fresh.pid), "and runs on");
    finish(fresh);
  });
}
