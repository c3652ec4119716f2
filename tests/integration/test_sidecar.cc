// nsdebug sidecar as PID 1 of a PID namespace the test makes (unshare --pid --fork --mount-proc),
// with no terminal: what it logs, that it idles at no CPU, reaps zombies and stops on SIGTERM.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "run.h"

using namespace std::chrono_literals;

extern char** environ;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat).
long cpu_ticks(pid_t pid) {
  std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
  std::istringstream in(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  return utime + stime;
}

char state_of(pid_t pid) {
  std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
  auto close = stat.rfind(')');
  return close == std::string::npos ? '\0' : stat[close + 2];
}

// `nsdebug sidecar` as PID 1 of a new PID namespace, stdin /dev/null, stdout and stderr a file.
struct Sidecar {
  pid_t unshare_pid = 0;
  pid_t pid = 0;  // the sidecar, as the node numbers it
  std::string log_path;

  Sidecar() {
    char tmpl[] = "/tmp/nsdebug-sidecar-XXXXXX";
    int fd = ::mkstemp(tmpl);
    REQUIRE(fd >= 0);
    ::close(fd);
    log_path = tmpl;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log_path.c_str(), O_WRONLY | O_TRUNC, 0);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    std::vector<const char*> argv{"unshare", "--pid", "--fork", "--mount-proc", "--kill-child",
                                  NSDEBUG_BIN, "sidecar", nullptr};
    REQUIRE(::posix_spawnp(&unshare_pid, "unshare", &fa, nullptr,
                           const_cast<char* const*>(argv.data()), environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
    std::string children = "/proc/" + std::to_string(unshare_pid) + "/task/" +
                           std::to_string(unshare_pid) + "/children";
    for (int i = 0; i < 300 && !pid; ++i, std::this_thread::sleep_for(10ms)) {
      std::string kids = slurp(children);
      if (!kids.empty()) pid = std::stoi(kids);
    }
    REQUIRE(pid > 0);
  }
  ~Sidecar() {
    if (unshare_pid) {
      ::kill(unshare_pid, SIGKILL);
      ::waitpid(unshare_pid, nullptr, 0);
    }
    ::unlink(log_path.c_str());
  }
  std::string log() const { return slurp(log_path); }
  // Waits until the diagnosis is printed and the sidecar sleeps.
  void wait_idle() const {
    for (int i = 0; i < 500; ++i, std::this_thread::sleep_for(10ms))
      if (log().find("\nidle: ") != std::string::npos && state_of(pid) == 'S') return;
    FAIL("sidecar never went idle; log:\n" << log());
  }
  // unshare's exit status (the sidecar's), waiting at most `limit`; -1 if it did not end.
  int wait_exit(std::chrono::milliseconds limit) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      int status = 0;
      if (::waitpid(unshare_pid, &status, WNOHANG) == unshare_pid) {
        unshare_pid = 0;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(5ms);
    }
    return -1;
  }
};

}  // namespace

TEST_CASE("sidecar without a terminal logs doctor, the containers and their processes") {
  Sidecar s;
  s.wait_idle();
  std::string log = s.log();
  INFO(log);
  CHECK_THAT(log, Catch::Contains("== doctor =="));
  CHECK_THAT(log, Catch::Contains("pid namespace"));  // a doctor finding
  CHECK_THAT(log, Catch::Contains("== containers =="));
  CHECK_THAT(log, Catch::Contains("MAIN-PID"));
  CHECK_THAT(log, Catch::Contains("== processes =="));
  CHECK_THAT(log, Catch::Contains("nsdebug sidecar"));  // itself, in ps
  // PID 1 of its own namespace: the pod does not share, and the log says how to make it.
  CHECK_THAT(log, Catch::Contains("process sharing is off"));
  CHECK_THAT(log, Catch::Contains("shareProcessNamespace: true"));
}

TEST_CASE("sidecar exits 0 within a second of SIGTERM, and of SIGINT") {
  int sig = GENERATE(SIGTERM, SIGINT);
  Sidecar s;
  s.wait_idle();
  REQUIRE(::kill(s.pid, sig) == 0);
  CHECK(s.wait_exit(1000ms) == 0);
  CHECK_THAT(s.log(), Catch::Contains(sig == SIGTERM ? "SIGTERM, exiting" : "SIGINT, exiting"));
}

TEST_CASE("sidecar as PID 1 reaps an orphan that exits in its namespace") {
  Sidecar s;
  s.wait_idle();
  // nsenter's shell starts a child and exits: the orphan is reparented to the namespace's
  // PID 1, the sidecar, and becomes its zombie when it exits. Its output goes to /dev/null:
  // holding our pipe, it would keep run_shell waiting until it had already exited.
  std::string me = std::to_string(s.pid);
  auto r = nsdebug::testing::run_shell("nsenter -t " + me + " --pid -- sh -c 'sleep 3 >/dev/null 2>&1 & echo $!'");
  REQUIRE(r.status == 0);
  std::string children = "/proc/" + me + "/task/" + me + "/children";
  pid_t orphan = 0;
  // Up to 2.5 s: under ASan on a loaded machine nsenter and sh start slowly.
  for (int i = 0; i < 500 && !orphan; ++i, std::this_thread::sleep_for(5ms)) {
    std::string kids = slurp(children);
    if (!kids.empty()) orphan = std::stoi(kids);
  }
  REQUIRE(orphan > 0);  // it really became the sidecar's child
  std::this_thread::sleep_for(3500ms);  // its sleep 3 has ended by now
  INFO("orphan state: " << state_of(orphan));
  CHECK(::access(("/proc/" + std::to_string(orphan)).c_str(), F_OK) != 0);  // gone, not a zombie
  CHECK(slurp(children).empty());
}

TEST_CASE("sidecar idles at no measurable CPU") {
  Sidecar s;
  s.wait_idle();
  long before = cpu_ticks(s.pid);
  std::this_thread::sleep_for(2s);
  long after = cpu_ticks(s.pid);
  CHECK(after - before <= 1);  // a tick is 10 ms: under 0.5% of one CPU over 2 s
  CHECK(state_of(s.pid) == 'S');
}
