// Churn: thousands of short-lived processes fork, exec and exit while ps, ps --json,
// containers and kill run again and again, in a PID namespace the test makes (so nsdebug sees
// only its processes). Three containers (mount namespaces): A and B hold long-lived targets,
// C the churn; nsdebug runs in a fourth. Every process is a churn_marker that reports each
// signal it catches (and the churn loop reports a child that died of one), so the test knows:
// kill -c A reached every A target and nothing else, kill -n PATTERN every B target and nothing
// else, no churn process was ever signalled, and ps --json put each process in its container.
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "run.h"

using namespace std::chrono_literals;
using json = nlohmann::json;
using nsdebug::testing::run;

namespace {

constexpr int kTargets = 3;              // long-lived targets in each of A and B
constexpr double kChurnSeconds = 40;     // the nsdebug loop stops a little before
constexpr auto kLoopFor = 18s;

// The body runs as PID 2 of a new PID namespace (PID 1 the pods' pause) and writes its
// failures, empty when none, to `fd`.
[[noreturn]] void report_and_exit(int fd, const std::string& text) {
  std::string msg = text + '\0';
  (void)!::write(fd, msg.data(), msg.size());
  _exit(0);
}

std::string in_pid_namespace(const std::function<std::string()>& body) {
  int rep[2], info[2];
  REQUIRE(::pipe2(rep, O_CLOEXEC) == 0);
  REQUIRE(::pipe2(info, O_CLOEXEC) == 0);
  pid_t outer = ::fork();
  REQUIRE(outer >= 0);
  if (outer == 0) {
    if (::unshare(CLONE_NEWPID | CLONE_NEWNS) < 0 ||
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0)
      report_and_exit(rep[1], "unshare(CLONE_NEWPID | CLONE_NEWNS) failed: run as root");
    pid_t init = ::fork();
    if (init == 0) {
      if (::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) < 0)
        report_and_exit(rep[1], "mount /proc failed");
      if (::fork() == 0) {
        std::string failures;
        try {
          failures = ::unshare(CLONE_NEWNS) < 0 ? "unshare(CLONE_NEWNS) failed" : body();
        } catch (const std::exception& e) {
          failures += std::string("exception: ") + e.what();
        }
        report_and_exit(rep[1], failures);
      }
      ::execl(PAUSE_BIN, PAUSE_BIN, nullptr);
      report_and_exit(rep[1], "exec " PAUSE_BIN " failed");
    }
    (void)!::write(info[1], &init, sizeof init);
    ::waitpid(init, nullptr, 0);
    _exit(0);
  }
  ::close(rep[1]);
  ::close(info[1]);
  pid_t init = 0;
  (void)!::read(info[0], &init, sizeof init);
  ::close(info[0]);
  std::string text;
  char buf[4096];
  while (text.find('\0') == std::string::npos) {
    pollfd p{rep[0], POLLIN, 0};
    if (::poll(&p, 1, 120'000) <= 0) {
      text += "\n(timed out waiting for the body)";
      break;
    }
    ssize_t n = ::read(rep[0], buf, sizeof buf);
    if (n <= 0) {
      text += "\n(the body died without reporting)";
      break;
    }
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(rep[0]);
  // PID 1 gone, the kernel kills every process of the namespace. Unreaped by `outer` until
  // then, its PID cannot name another process.
  if (init > 0) ::kill(init, SIGKILL);
  ::waitpid(outer, nullptr, 0);
  return text.substr(0, text.find('\0'));
}

std::string mnt_ns(pid_t pid) {
  char buf[64] = {};
  auto n = ::readlink(fmt::format("/proc/{}/ns/mnt", pid).c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

// A container: a mount namespace of its own, `count` markers started as `argv0 mode log...`.
pid_t start_container(const std::string& argv0, const std::vector<std::string>& args, int count) {
  pid_t leader = ::fork();
  if (leader != 0) return leader;
  if (::unshare(CLONE_NEWNS) < 0) _exit(126);
  std::vector<char*> argv{const_cast<char*>(argv0.c_str())};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (int i = 1; i < count; ++i)
    if (::fork() == 0) break;
  ::execv(CHURN_MARKER_BIN, argv.data());
  _exit(127);
}

struct Event {
  std::string who;
  pid_t pid;
  std::string what;
  long n;
};

std::vector<Event> read_log(const std::string& path) {
  std::vector<Event> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    Event e{{}, 0, {}, -1};
    words >> e.who >> e.pid >> e.what >> e.n;
    out.push_back(e);
  }
  return out;
}

std::size_t count(const std::vector<Event>& log, const std::string& what) {
  return static_cast<std::size_t>(
      std::ranges::count_if(log, [&](const Event& e) { return e.what == what; }));
}

struct Truth {
  std::map<std::string, std::string> ns_of_argv0;  // "zqtarget-a" -> "mnt:[4026...]"
  std::map<std::string, std::string> name_of_ns;   // from nsdebug containers --json
};

// ps --json: each process of ours is in its own container, by name and by namespace.
void check_attribution(const json& ps, const Truth& t, std::string& failures, int& reported) {
  for (const auto& p : ps) {
    if (p["argv"].empty() || reported > 10) continue;
    auto argv0 = p["argv"][0].get<std::string>();
    auto ns = t.ns_of_argv0.find(argv0);
    if (ns == t.ns_of_argv0.end()) continue;
    auto want = t.name_of_ns.at(ns->second);
    auto got = p["container"].is_null() ? "(none)" : p["container"]["name"].get<std::string>();
    if (got != want) {
      failures += fmt::format("ps --json put pid {} ({}) in container {}, not {}\n",
                              p["pid"].get<int>(), argv0, got, want);
      ++reported;
    }
  }
}

// Runs one nsdebug command; a crash, a failure or an unexpected exit code is a failure.
nsdebug::testing::Ran nsdebug_ok(const std::vector<std::string>& args, std::string& failures) {
  std::vector<std::string> argv{NSDEBUG_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run(argv);
  if (r.status != 0)
    failures += fmt::format("nsdebug {} exited {}: {}\n", fmt::join(args, " "), r.status, r.err);
  return r;
}

// What the markers reported: A only USR1, B only USR2, every target at least once, no churn
// process ever (a signal caught, or a death by one).
void check_log(const std::vector<Event>& events, int loops, std::string& failures) {
  std::set<pid_t> signalled;
  long spawned = 0;
  for (const auto& e : events) {
    if (e.what == "done") spawned = e.n;
    if (e.what != "sig" && e.what != "killed") continue;
    bool selected = (e.who == "zqtarget-a" && e.n == SIGUSR1) ||
                    (e.who == "zqtarget-b" && e.n == SIGUSR2);
    if (selected)
      signalled.insert(e.pid);
    else
      failures += fmt::format("{} {} was not selected but: {} {}\n", e.who, e.pid, e.what, e.n);
  }
  if (signalled.size() != 2 * kTargets)
    failures += fmt::format("{} of {} targets were signalled\n", signalled.size(), 2 * kTargets);
  if (spawned < 1000) failures += fmt::format("only {} churn processes were spawned\n", spawned);
  if (loops < 3) failures += fmt::format("only {} rounds of nsdebug ran\n", loops);
  std::fprintf(stderr, "churn: %ld short-lived processes, %d rounds of ps, ps --json, containers, "
               "kill -c, kill -n\n", spawned, loops);
}

std::string churn_body(const std::string& log) {
  std::string failures;
  std::string secs = fmt::format("{}", kChurnSeconds);
  pid_t a = start_container("zqtarget-a", {"target", log}, kTargets);
  pid_t b = start_container("zqtarget-b", {"target", log}, kTargets);
  pid_t c = start_container("churn", {"churn", log, secs, "4"}, 1);
  for (int i = 0; i < 200 && count(read_log(log), "ready") < 2 * kTargets + 1; ++i)
    std::this_thread::sleep_for(20ms);
  if (count(read_log(log), "ready") < 2 * kTargets + 1) return "the markers never got ready";

  Truth t;
  t.ns_of_argv0 = {{"zqtarget-a", mnt_ns(a)}, {"zqtarget-b", mnt_ns(b)},
                   {"churn", mnt_ns(c)},      {"churn-child", mnt_ns(c)}};
  auto cs = json::parse(nsdebug_ok({"containers", "--json"}, failures).out);
  for (const auto& ct : cs) t.name_of_ns[mnt_ns(ct["main_pid"].get<int>())] = ct["name"];
  for (const auto& [argv0, ns] : t.ns_of_argv0)
    if (!t.name_of_ns.contains(ns)) return failures + "containers --json misses " + argv0 + "\n";
  std::string name_a = t.name_of_ns[mnt_ns(a)];
  if (name_a == t.name_of_ns[mnt_ns(b)] || name_a == t.name_of_ns[mnt_ns(c)])
    return failures + "two containers share the name " + name_a + "\n";

  int loops = 0, misattributed = 0;
  // kLoopFor, and at least 3 rounds: under ASan a round under churn takes 6-9 s on a 2-core VM.
  auto start = std::chrono::steady_clock::now();
  auto until = start + kLoopFor, at_most = start + std::chrono::seconds(36);
  auto more = [&] {
    auto now = std::chrono::steady_clock::now();
    return (now < until || loops < 3) && now < at_most;
  };
  while (more() && failures.size() < 4000) {
    nsdebug_ok({"ps"}, failures);
    auto ps = nsdebug_ok({"ps", "--json"}, failures);
    if (ps.status == 0) check_attribution(json::parse(ps.out), t, failures, misattributed);
    nsdebug_ok({"containers"}, failures);
    nsdebug_ok({"kill", "-s", "USR1", "-c", name_a}, failures);
    // [t]: the pattern does not match itself, in case anything carries it in its argv.
    nsdebug_ok({"kill", "-s", "USR2", "-n", "zq[t]arget-b"}, failures);
    ++loops;
  }
  int status = 0;
  ::waitpid(c, &status, 0);
  std::this_thread::sleep_for(100ms);  // the last signals' reports

  check_log(read_log(log), loops, failures);
  return failures;
}

}  // namespace

TEST_CASE("under churn, ps attributes and kill signals only what was selected", "[churn]") {
  char path[] = "/tmp/nsdebug-churn-XXXXXX";
  int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  std::string log = path;
  auto failures = in_pid_namespace([&] { return churn_body(log); });
  ::unlink(path);
  INFO(failures);
  CHECK(failures.empty());
}
