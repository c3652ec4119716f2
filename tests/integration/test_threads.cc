// nsdebug threads and ps -L on a real process whose threads wait where we put them: two in
// read() on a pipe, one in epoll_wait on a set of three, one asleep, one spinning, the main one
// joining (futex). ps -L against procps ps -L on the same process.
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <csignal>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "run.h"

using namespace std::chrono_literals;
using nsdebug::testing::run;

namespace {

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

std::string words(const std::string& text) {
  std::istringstream lines(text);
  std::string out, line;
  while (std::getline(lines, line)) {
    std::istringstream in(line);
    std::string w, joined;
    while (in >> w) joined += (joined.empty() ? "" : " ") + w;
    out += joined + "\n";
  }
  return out;
}

struct Sleepers {
  pid_t pid = 0;
  unsigned long pipe_inode = 0;
  ~Sleepers() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

void named(std::thread& t, const char* name) { ::pthread_setname_np(t.native_handle(), name); }

// The child: threads parked where the test expects them, until it is killed.
[[noreturn]] void sleepers_main(int ready) {
  ::prctl(PR_SET_NAME, "fixture-main");
  int p[2], q[2];
  if (::pipe(p) != 0 || ::pipe(q) != 0) _exit(1);
  int ev = ::eventfd(0, 0);
  int ep = ::epoll_create1(0);
  for (int fd : {q[0], ev, p[1]}) {
    epoll_event e{};
    e.events = EPOLLIN;
    e.data.fd = fd;
    ::epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([fd = p[0]] {
      char c;
      for (;;) (void)!::read(fd, &c, 1);
    });
    named(threads.back(), "reader");
  }
  threads.emplace_back([ep] {
    epoll_event e[4];
    for (;;) ::epoll_wait(ep, e, 4, -1);
  });
  named(threads.back(), "poller");
  threads.emplace_back([] {
    for (;;) std::this_thread::sleep_for(1h);
  });
  named(threads.back(), "sleeper");
  threads.emplace_back([] {
    volatile unsigned long spin = 0;
    for (;;) spin = spin + 1;
  });
  named(threads.back(), "spinner");
  struct stat st {};
  ::fstat(p[0], &st);
  unsigned long inode = st.st_ino;
  (void)!::write(ready, &inode, sizeof inode);
  for (auto& t : threads) t.join();
  _exit(0);
}

constexpr const char* kFixtureEnv = "NSDEBUG_THREADS_FIXTURE_FD";
constexpr const char* kFixtureName = "nsdbg-threads-fixture";

// The fixture runs as this very binary, exec'd with a command line of its own (the TUI's filter
// finds it by that): before Catch's main, when the environment says so.
const bool kIsFixture = [] {
  if (const char* fd = std::getenv(kFixtureEnv)) sleepers_main(std::atoi(fd));
  return false;
}();

void start(Sleepers& s) {
  int ready[2];
  REQUIRE(::pipe(ready) == 0);  // not close-on-exec: the fixture writes to ready[1]
  s.pid = ::fork();
  if (s.pid == 0) {
    ::close(ready[0]);
    std::string env = std::string(kFixtureEnv) + "=" + std::to_string(ready[1]);
    char* argv[] = {const_cast<char*>(kFixtureName), nullptr};
    char* envp[] = {env.data(), nullptr};
    ::execve("/proc/self/exe", argv, envp);
    _exit(127);
  }
  ::close(ready[1]);
  REQUIRE(::read(ready[0], &s.pipe_inode, sizeof s.pipe_inode) == sizeof s.pipe_inode);
  ::close(ready[0]);
}

using Json = nlohmann::json;

// The threads as nsdebug reports them once every waiting thread is in its call (a thread
// just started may still be on its way there): at most 20 tries.
Json settled_threads(pid_t pid) {
  Json j;
  for (int i = 0; i < 20; ++i) {
    auto r = run({NSDEBUG_BIN, "threads", "--json", "--interval", "0.3", std::to_string(pid)});
    REQUIRE(r.status == 0);
    j = Json::parse(r.out);
    int parked = 0;
    for (const auto& t : j["threads"]) {
      if (t["syscall"].is_null()) continue;
      std::string name = t["syscall"]["name"];
      if (name == "read" || name.starts_with("epoll") || name.find("nanosleep") != std::string::npos)
        ++parked;
    }
    if (parked == 4) return j;
    std::this_thread::sleep_for(100ms);
  }
  return j;
}

std::vector<Json> of(const Json& report, const std::string& comm) {
  std::vector<Json> out;
  for (const auto& t : report["threads"])
    if (t["comm"] == comm) out.push_back(t);
  return out;
}

}  // namespace

TEST_CASE("threads: each thread's call, descriptors named, CPU and the summary") {
  Sleepers s;
  start(s);
  Json j = settled_threads(s.pid);
  REQUIRE(j["threads"].size() == 6);
  CHECK(j["pid"] == s.pid);

  auto readers = of(j, "reader");
  REQUIRE(readers.size() == 2);
  std::string pipe = "pipe:[" + std::to_string(s.pipe_inode) + "]";
  for (const auto& r : readers) {
    CHECK(r["state"] == "S");
    CHECK(r["syscall"]["name"] == "read");
    CHECK(has(r["syscall"]["decoded"], "\u2192 " + pipe));
  }
  auto poller = of(j, "poller");
  REQUIRE(poller.size() == 1);
  CHECK(std::string(poller[0]["syscall"]["name"]).starts_with("epoll_"));
  CHECK(has(poller[0]["syscall"]["decoded"], "\u2192 epoll: 3 fds"));
  auto sleeper = of(j, "sleeper");
  REQUIRE(sleeper.size() == 1);
  CHECK(has(sleeper[0]["syscall"]["name"], "nanosleep"));
  CHECK(sleeper[0]["cpu_percent"] == 0.0);
  // The main thread joins: a futex wait.
  auto main_thread = of(j, "fixture-main");
  REQUIRE(main_thread.size() == 1);
  CHECK(main_thread[0]["tid"] == s.pid);
  CHECK(main_thread[0]["syscall"]["name"] == "futex");
  CHECK(has(main_thread[0]["syscall"]["decoded"], "FUTEX_WAIT"));
  // The spinner is on a CPU, or was just taken off one between two instructions of its loop.
  auto spinner = of(j, "spinner");
  REQUIRE(spinner.size() == 1);
  CHECK(spinner[0]["state"] == "R");
  CHECK((spinner[0]["syscall"]["name"] == "running" || spinner[0]["syscall"]["name"] == "-"));
  CHECK(spinner[0]["cpu_percent"].get<double>() > 0);
  CHECK(spinner[0]["cpu_time_s"].get<double>() > 0);

  std::string summary = j["summary"];
  CHECK(summary.starts_with("6 threads: 2 in read, 1 in "));
  CHECK(has(summary, "1 in futex"));

  // The table says the same, with the summary above it.
  auto text = run({NSDEBUG_BIN, "threads", "--interval", "0", std::to_string(s.pid)});
  CHECK(text.status == 0);
  CHECK(has(text.out, "PID " + std::to_string(s.pid) + " (fixture-main): 6 threads"));
  CHECK(has(text.out, "TID"));
  CHECK(has(text.out, "\u2192 " + pipe));
}

TEST_CASE("threads: bad input") {
  auto usage = run({NSDEBUG_BIN, "threads"});
  CHECK(usage.status == 2);
  auto bad_name = run({NSDEBUG_BIN, "threads", "a/b"});
  CHECK(bad_name.status == 2);
  auto bad_interval = run({NSDEBUG_BIN, "threads", "--interval", "-1", "1"});
  CHECK(bad_interval.status == 2);
  // A PID that was, and is no more.
  pid_t gone = ::fork();
  if (gone == 0) _exit(0);
  ::waitpid(gone, nullptr, 0);
  auto missing = run({NSDEBUG_BIN, "threads", std::to_string(gone)});
  CHECK(missing.status == 1);
  CHECK(has(missing.err, "nsdebug: "));
  CHECK(has(missing.err, "no such process"));
}

TEST_CASE("threads: without ptrace access the syscall column is '?' and the reason is said") {
  if (::geteuid() != 0) {
    WARN("skipped: needs root to drop to another uid");
    return;
  }
  Sleepers s;
  start(s);
  // nobody may not ptrace a root process: the stat and wchan files stay readable.
  auto r = run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", NSDEBUG_BIN, "threads", "--interval",
                "0", std::to_string(s.pid)});
  CHECK(r.status == 1);
  CHECK(has(r.out, "6 threads: 6 unknown"));
  CHECK(has(r.err, "syscall"));
  CHECK(has(r.err, "hint: "));
}

TEST_CASE("ps -L: a row a thread, as procps ps -L shows them") {
  Sleepers s;
  start(s);
  settled_threads(s.pid);
  std::string pid = std::to_string(s.pid);
  auto procps = run({"ps", "-L", "-o", "pid,lwp,stat,comm", "-p", pid});
  auto ours = run({NSDEBUG_BIN, "ps", "-L", "-o", "pid,lwp,stat,comm", "-p", pid});
  REQUIRE(procps.status == 0);
  REQUIRE(ours.status == 0);
  CHECK(words(ours.out) == words(procps.out));
  auto tids = run({NSDEBUG_BIN, "ps", "-L", "-o", "tid,comm", "-p", pid, "--no-headers"});
  CHECK(std::count(tids.out.begin(), tids.out.end(), '\n') == 6);
  CHECK(has(tids.out, "reader"));
  CHECK(has(tids.out, "spinner"));
  // --tree: the main thread's row first, the others right under it.
  auto tree = run({NSDEBUG_BIN, "ps", "-L", "--tree", "-o", "pid,lwp", "-p", pid, "--no-headers"});
  CHECK(std::count(tree.out.begin(), tree.out.end(), '\n') == 6);
  CHECK(words(tree.out).starts_with(pid + " " + pid + "\n"));
  // Without -L: one row, lwp its PID.
  auto one = run({NSDEBUG_BIN, "ps", "-o", "pid,lwp,nlwp", "-p", pid, "--no-headers"});
  CHECK(words(one.out) == pid + " " + pid + " 6\n");
}

namespace {

constexpr const char* kTmux = "/usr/bin/tmux";

// `nsdebug tui` in a pane of a tmux server of its own (-L), tall enough for a details page
// and its threads.
struct Pane {
  std::string socket = "nsdebug-it-threads-" + std::to_string(::getpid());
  Pane() {
    auto r = run({kTmux, "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "t", "-x",
                  "160", "-y", "120", "env", "TERM=xterm", NSDEBUG_BIN, "tui", "--delay", "0.5"});
    INFO(r.err);
    REQUIRE(r.status == 0);
  }
  ~Pane() { run({kTmux, "-L", socket, "kill-server"}); }
  std::string screen() const { return run({kTmux, "-L", socket, "capture-pane", "-p", "-t", "t"}).out; }
  void keys(const std::string& literal) const {
    run({kTmux, "-L", socket, "send-keys", "-t", "t", "-l", literal});
  }
  void key(const std::string& name) const { run({kTmux, "-L", socket, "send-keys", "-t", "t", name}); }
  std::string wait_for(const std::string& text) const {
    std::string s;
    for (int i = 0; i < 100; ++i) {
      s = screen();
      if (has(s, text)) break;
      std::this_thread::sleep_for(100ms);
    }
    return s;
  }
};

}  // namespace

TEST_CASE("tui: the details page says what each thread waits in") {
  if (::access(kTmux, X_OK) != 0) {
    WARN("skipped: no " << kTmux << " (scripts/deps.sh installs it)");
    return;
  }
  Sleepers s;
  start(s);
  settled_threads(s.pid);
  Pane pane;
  REQUIRE(has(pane.wait_for("COMMAND"), "COMMAND"));
  pane.keys(std::string("/") + kFixtureName);
  pane.key("Enter");
  pane.key("Enter");
  std::string screen = pane.wait_for("Threads: 6 threads");
  INFO(screen);
  CHECK(has(screen, "Details of PID " + std::to_string(s.pid)));
  CHECK(has(screen, "Threads: 6 threads: 2 in read"));
  CHECK(has(screen, "-> pipe:[" + std::to_string(s.pipe_inode) + "]"));
  CHECK(has(screen, "-> epoll: 3 fds"));
  pane.keys("q");
  pane.keys("q");
}
