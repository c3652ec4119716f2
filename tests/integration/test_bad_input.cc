// The bad-input matrix of issue 10 against real processes this test makes: PIDs that never
// existed, exited, zombies, kernel threads, 0, negative, beyond pid_max, non-numeric; container
// names that do not exist or are ambiguous; bad signals. Each checks the message, the exit
// code (usage errors 2) and that the process the test holds received nothing.
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "run.h"

using namespace std::chrono_literals;
using nsdebug::testing::Ran;

namespace {

int g_events = -1;
void on_signal(int sig) {
  auto byte = static_cast<unsigned char>(sig);
  (void)!::write(g_events, &byte, 1);
}

// A child that reports every signal it can catch on a pipe; killed and reaped at scope end.
struct Catcher {
  pid_t pid = 0;
  int events = -1;
  Catcher() {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      g_events = p[1];
      for (int sig = 1; sig < NSIG; ++sig)
        if (sig != SIGKILL && sig != SIGSTOP) std::signal(sig, on_signal);
      on_signal(0);  // ready
      for (;;) ::pause();
    }
    ::close(p[1]);
    events = p[0];
    unsigned char ready = 1;
    REQUIRE(::read(events, &ready, 1) == 1);
    REQUIRE(ready == 0);
  }
  ~Catcher() {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    ::close(events);
  }
  bool received_nothing() const {
    pollfd p{events, POLLIN, 0};
    return ::poll(&p, 1, 100) == 0 && ::waitpid(pid, nullptr, WNOHANG) == 0;
  }
};

Ran run_nsdebug(std::vector<std::string> args) {
  args.insert(args.begin(), NSDEBUG_BIN);
  return nsdebug::testing::run(args);
}

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

int pid_max() {
  std::ifstream f("/proc/sys/kernel/pid_max");
  int n = 0;
  f >> n;
  return n;
}

// A PID no process has now: the highest free one below pid_max.
std::string free_pid() {
  for (int pid = pid_max() - 1; pid > 300; --pid)
    if (!std::filesystem::exists("/proc/" + std::to_string(pid))) return std::to_string(pid);
  FAIL("no free PID");
  return {};
}

// A child that exited and is not reaped.
struct Zombie {
  pid_t pid = ::fork();
  Zombie() {
    REQUIRE(pid >= 0);
    if (pid == 0) _exit(0);
    for (int i = 0; i < 400; ++i) {
      std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
      std::string line;
      std::getline(f, line);
      if (line.find(") Z ") != std::string::npos) return;
      std::this_thread::sleep_for(5ms);
    }
    FAIL("the child did not become a zombie");
  }
  ~Zombie() { ::waitpid(pid, nullptr, 0); }
};

bool kthreadd_is_pid_2() {
  std::ifstream f("/proc/2/comm");
  std::string comm;
  return std::getline(f, comm) && comm == "kthreadd";
}

}  // namespace

TEST_CASE("kill: bad signals and bad PIDs are usage errors, and nothing is signalled") {
  Catcher child;
  auto pid = std::to_string(child.pid);
  struct Case {
    std::vector<std::string> args;
    int status;
    std::string message;
  };
  const std::vector<Case> cases{
      {{"-RTMIN+40", pid}, 2, "real-time signals go from RTMIN"},
      {{"-s", "RTMAX-40", pid}, 2, "real-time signals go from RTMIN"},
      {{"-s", "FROB", pid}, 2, "no such signal"},
      {{"-HUPP", pid}, 2, "did you mean HUP?"},
      {{"-65", pid}, 2, "signal numbers go from 0 to"},
      {{"-s", "99999999999", pid}, 2, "no such signal"},
      {{"0"}, 2, "process groups are not supported"},
      {{"--", "-5"}, 2, "nsdebug: "},
      {{"abc"}, 2, "not a process ID"},
      {{"12abc"}, 2, "not a process ID"},
      {{"99999999999"}, 2, "not a process ID"},
      {{std::to_string(pid_max() + 1)}, 2, "beyond pid_max"},
      {{free_pid()}, 1, "no such process"},
      {{"-c", "no-such-container-x"}, 1, "no such container"},  // a lookup, as for cat
  };
  for (const auto& c : cases) {
    auto r = run_nsdebug([&] {
      auto a = c.args;
      a.insert(a.begin(), "kill");
      return a;
    }());
    INFO("nsdebug kill " << c.args.front() << " ...: " << r.status << " " << r.err);
    CHECK(r.status == c.status);
    CHECK(has(r.err, c.message));
    CHECK(r.out.empty());
    CHECK(child.received_nothing());
  }
}

TEST_CASE("kill -n PATTERN PID signals the PID, not what the PID's digits match") {
  Catcher child;
  auto pid = std::to_string(child.pid);
  auto r = run_nsdebug({"kill", "--dry-run", "-n", "zzz-no-match-zzz", pid});
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  // Only the child: before, "1234" became a second pattern and the PID selected nothing.
  // (The pattern matches nsdebug's own command line, which the self guard leaves out.)
  std::size_t would = 0;
  for (auto at = r.out.find("would send"); at != std::string::npos;
       at = r.out.find("would send", at + 1))
    ++would;
  CHECK(would == 1);
  CHECK(has(r.out, "would send TERM to " + pid + " "));
  auto sent = run_nsdebug({"kill", "-HUP", "-n", "zzz-no-match-zzz", pid});
  INFO(sent.out << sent.err);
  CHECK(sent.status == 0);
  pollfd p{child.events, POLLIN, 0};
  REQUIRE(::poll(&p, 1, 2000) == 1);
  unsigned char sig = 0;
  REQUIRE(::read(child.events, &sig, 1) == 1);
  CHECK(sig == SIGHUP);
}

TEST_CASE("kill -0 -- PID checks the process, kill -l 137 names KILL") {
  Catcher child;
  auto r = run_nsdebug({"kill", "-0", "--", std::to_string(child.pid)});
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(has(r.out, "may signal " + std::to_string(child.pid)));
  CHECK(child.received_nothing());
  CHECK(run_nsdebug({"kill", "-l", "137"}).out == "KILL\n");
  CHECK(run_nsdebug({"kill", "-l", "143"}).out == "TERM\n");
  auto bad = run_nsdebug({"kill", "-l", "300"});
  CHECK(bad.status == 2);
}

TEST_CASE("env, inspect and cat refuse PIDs with nothing to look into") {
  Zombie zombie;
  auto z = std::to_string(zombie.pid);
  auto gone = free_pid();
  struct Case {
    std::vector<std::string> args;
    int status;
    std::string message;
  };
  std::vector<Case> cases{
      {{"env", gone}, 1, "no such process"},
      {{"inspect", gone}, 1, "no such process"},
      {{"cat", gone + ":/etc/hostname"}, 1, "no such process"},
      {{"env", z}, 1, "a zombie"},
      {{"inspect", z}, 1, "a zombie"},
      {{"cat", z + ":/etc/hostname"}, 1, "a zombie"},
      {{"env", "0"}, 2, "not a valid PID"},
      {{"cat", "0:/etc/hostname"}, 2, "not a valid PID"},
      {{"env", "-5"}, 2, "nsdebug: "},
      {{"cat", "99999999999:/etc/hostname"}, 2, "not a valid PID"},
      {{"env", "no-such-container-x"}, 1, "no such container"},
      {{"inspect", "no-such-container-x"}, 1, "no such container"},
      {{"cat", "no-such-container-x:/etc/hostname"}, 1, "no such container"},
  };
  if (kthreadd_is_pid_2()) {
    cases.push_back({{"env", "2"}, 1, "a kernel thread"});
    cases.push_back({{"inspect", "2"}, 1, "a kernel thread"});
    cases.push_back({{"cat", "2:/etc/hostname"}, 1, "a kernel thread"});
  }
  for (const auto& c : cases) {
    auto r = run_nsdebug(c.args);
    INFO("nsdebug " << c.args[0] << " " << c.args[1] << ": " << r.status << " " << r.err);
    CHECK(r.status == c.status);
    CHECK(has(r.err, c.message));
    CHECK(r.out.empty());
  }
}

TEST_CASE("a container's own name is never given to another one made unique") {
  // Containers running amb, amb and amb-2 (each in its own mount namespace, so each is a
  // container) are named amb, amb-3 and amb-2: they were amb, amb-2 and amb-2, and a name
  // two containers shared was refused as ambiguous. Now each name reaches its own.
  auto dir = std::filesystem::temp_directory_path() / ("nsdebug-amb-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string prog = "nsdbgamb" + std::to_string(::getpid() % 100000);
  for (const auto& name : {prog, prog + "-2"})
    std::filesystem::copy_file("/bin/sleep", dir / name,
                               std::filesystem::copy_options::overwrite_existing);
  std::vector<pid_t> children;
  for (const auto& name : {prog, prog, prog + "-2"}) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      std::string path = (dir / name).string();
      ::execl("/usr/bin/unshare", "unshare", "-m", path.c_str(), "60", nullptr);
      _exit(127);
    }
    children.push_back(pid);
  }
  std::this_thread::sleep_for(500ms);  // unshare has exec'd the program
  auto listed = run_nsdebug({"containers", "--json"});
  REQUIRE(listed.status == 0);
  std::map<std::string, pid_t> main_of;
  for (const auto& c : nlohmann::json::parse(listed.out)) main_of[c["name"]] = c["main_pid"];
  CHECK(main_of[prog] == children[0]);
  CHECK(main_of[prog + "-3"] == children[1]);
  CHECK(main_of[prog + "-2"] == children[2]);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"cat", prog + "-2:/etc/hostname"}, {"env", prog + "-2"}, {"inspect", prog + "-2"}}) {
    auto r = run_nsdebug(args);
    INFO(args[0] << ": " << r.status << " " << r.err);
    CHECK(r.status == 0);
    CHECK(!has(r.err, "ambiguous"));
  }
  CHECK(has(run_nsdebug({"inspect", prog + "-2"}).out, std::to_string(children[2])));
  auto one = run_nsdebug({"cat", prog + ":/etc/hostname"});
  CHECK(one.status == 0);
  for (pid_t pid : children) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  std::filesystem::remove_all(dir);
}
