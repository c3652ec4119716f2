// `nsdebug kill` run where its users run it: from the debug (shell) container of a pod with a
// shared PID namespace, the documentation's scenario. PIDs are read from `nsdebug ps --json`
// each time; only the sandbox's PID 1 is fixed by the kernel.
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "pod.h"
#include "ps_helpers.h"

using namespace nsdebug::e2e;
using namespace std::chrono_literals;
using Catch::Contains;

namespace {

json ps_json() { return nsdebug_json({"ps", "--json"}); }

int pid_of(const json& p) { return p.at("pid").get<int>(); }
std::string pid_s(const json& p) { return std::to_string(pid_of(p)); }

std::vector<json> starting_with(const json& procs, const std::string& prefix) {
  std::vector<json> found;
  for (const auto& p : procs)
    if (joined_argv(p).rfind(prefix, 0) == 0) found.push_back(p);
  return found;
}

// Polls `ps --json` until `done(procs)`, for up to 10 s; the last listing.
template <class Done>
json wait_for(Done done) {
  json procs;
  for (int i = 0; i < 100; ++i) {
    procs = ps_json();
    if (done(procs)) break;
    std::this_thread::sleep_for(100ms);
  }
  return procs;
}

std::string host_comm(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
  std::string comm;
  std::getline(in, comm);
  return comm;
}

// A process in the shell container that ignores TERM; killed for good when the test ends.
constexpr const char* kStubbornMark = "987654";

struct Stubborn {
  json process;
  Stubborn() {
    RunResult started = run_in("shell", {"sh", "-c",
                                         std::string("trap '' TERM; sleep ") + kStubbornMark +
                                             " </dev/null >/dev/null 2>&1 &"});
    INFO(started.err);
    REQUIRE(started.status == 0);
    json procs = wait_for([](const json& ps) { return found(ps).size() == 1; });
    auto all = found(procs);
    INFO(procs.dump(1));
    REQUIRE(all.size() == 1);
    process = all.front();
  }
  ~Stubborn() { run_nsdebug({"kill", "-KILL", "-n", std::string("sleep ") + kStubbornMark}); }
  static std::vector<json> found(const json& procs) {
    std::vector<json> out;
    for (const auto& p : procs)
      if (!is_nsdebug(p) &&
          joined_argv(p).find(std::string("sleep ") + kStubbornMark) != std::string::npos)
        out.push_back(p);
    return out;
  }
};

}  // namespace

TEST_CASE(
    "kill -HUP to the nginx master: the worker comes back with a new PID, the master keeps its own",
    "[e2e][kill]") {
  json before = ps_json();
  json master = the_process(before, "nginx: master process");
  json worker = the_process(before, "nginx: worker process");

  RunResult r = run_nsdebug({"kill", "-HUP", pid_s(master)});
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Contains("sent HUP to " + pid_s(master) + " [nginx] nginx: master process"));

  // nginx starts a new worker, then lets the old one finish its connections and exit.
  json after = wait_for([&](const json& ps) {
    auto workers = starting_with(ps, "nginx: worker process");
    return workers.size() == 1 && pid_of(workers[0]) != pid_of(worker);
  });
  INFO(after.dump(1));
  json new_worker = the_process(after, "nginx: worker process");
  CHECK(pid_of(new_worker) != pid_of(worker));
  CHECK(new_worker.at("ppid") == master.at("pid"));
  json master_after = the_process(after, "nginx: master process");
  CHECK(master_after.at("pid") == master.at("pid"));
  CHECK(master_after.at("start_time") == master.at("start_time"));
}

TEST_CASE("kill -c nginx --dry-run lists the master and the worker, not the sandbox",
          "[e2e][kill]") {
  json procs = ps_json();
  json master = the_process(procs, "nginx: master process");
  json worker = the_process(procs, "nginx: worker process");

  RunResult r = run_nsdebug({"kill", "-c", "nginx", "--dry-run"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  INFO(r.out);
  CHECK_THAT(r.out,
             Contains("would send TERM to " + pid_s(master) + " [nginx] nginx: master process"));
  CHECK_THAT(r.out,
             Contains("would send TERM to " + pid_s(worker) + " [nginx] nginx: worker process"));
  CHECK(split_lines(r.out).size() == 2);
  CHECK_THAT(r.out, !Contains("sandbox"));

  RunResult everything = run_nsdebug({"kill", "-n", ".", "--dry-run"});
  CHECK_THAT(everything.out, Contains("not selected: 1 [sandbox] /pause: the pod sandbox"));
  CHECK_THAT(everything.out, !Contains("would send TERM to 1 "));
  CHECK_THAT(everything.out, Contains("nsdebug itself"));

  json after = ps_json();  // a dry run sends nothing
  CHECK(the_process(after, "nginx: master process").at("pid") == master.at("pid"));
  CHECK(the_process(after, "nginx: worker process").at("pid") == worker.at("pid"));
}

TEST_CASE("kill 1 is refused with the reason, and the pause still runs", "[e2e][kill]") {
  pid_t pause = host_pid("pause");
  REQUIRE(host_comm(pause) == "pause");

  RunResult term = run_nsdebug({"kill", "1"});
  CHECK(term.status == 1);
  CHECK_THAT(term.err, Contains("kill -TERM 1: PID 1 is the pod sandbox (pause)"));
  CHECK_THAT(term.err, Contains("it handles TERM: it would exit"));
  CHECK_THAT(term.err, Contains("hint: ") && Contains("--force"));

  RunResult kill = run_nsdebug({"kill", "-9", "1"});
  CHECK(kill.status == 1);
  CHECK_THAT(kill.err, Contains("no handler for KILL"));

  CHECK(host_comm(pause) == "pause");
  json pid1 = ps_json();
  bool sandbox_listed = false;
  for (const auto& p : pid1)
    if (p.at("pid") == 1) sandbox_listed = p.at("container").at("sandbox") == true;
  CHECK(sandbox_listed);
}

TEST_CASE("--wait and --timeout: a process that ignores TERM is reported, then killed",
          "[e2e][kill]") {
  Stubborn stubborn;
  std::string pid = pid_s(stubborn.process);

  RunResult waited = run_nsdebug({"kill", "--wait=0.5", pid});
  CHECK(waited.status == 1);
  CHECK_THAT(waited.out, Contains("sent TERM to " + pid + " [shell]"));
  CHECK_THAT(waited.err, Contains("still running"));

  RunResult r = run_nsdebug({"kill", "--timeout", "1", pid});
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Contains("sent TERM to " + pid));
  CHECK_THAT(r.out, Contains("sent KILL to " + pid) && Contains("(--timeout)"));
  CHECK_THAT(r.out, Contains("exited: " + pid));

  // The pause reaps it: it leaves the listing.
  json after = wait_for([](const json& ps) { return Stubborn::found(ps).empty(); });
  CHECK(Stubborn::found(after).empty());
}
