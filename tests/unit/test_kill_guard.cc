// Issue 13's kill guards as core plans them (core/signals/kill_plan.h): the main process of the
// container nsdebug runs in, --force selecting guarded ones, signal 0 passing every guard, and
// why a process that did not exit is still there. Over a fake pod: nothing is signalled.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <csignal>
#include <string>
#include <vector>

#include "core/signals/kill_guard.h"
#include "core/signals/kill_plan.h"
#include "fake_probe.h"
#include "fake_processes.h"
#include "tools/kill_words.h"

using nsdebug::GuardReason;

namespace {

// A pod seen from a debug container "300" that `kubectl exec` entered: its main process is
// 12 (sleep), nsdebug runs as 20 with a parent outside the pod, so 12 is no ancestor of it.
nsdebug::Snapshot debug_pod() {
  using nsdebug::testing::proc;
  nsdebug::Snapshot s;
  s.processes = {proc(1, 0, 100, {"/pause"}), proc(6, 0, 200, {"nginx: master"}),
                 proc(12, 0, 300, {"sleep", "infinity"}), proc(13, 12, 300, {"sh"}),
                 proc(20, 0, 300, {"nsdebug", "kill", "-c", "x"})};
  nsdebug::testing::FakeProbe probe;
  s.containers = nsdebug::group_into_containers(s.processes, probe);
  return s;
}

std::string container_of(const nsdebug::Snapshot& s, pid_t pid) {
  return s.container_of(*s.find(pid))->name;
}

std::vector<pid_t> target_pids(const nsdebug::KillPlan& plan) {
  std::vector<pid_t> v;
  for (const auto& t : plan.targets) v.push_back(t.pid);
  return v;
}

}  // namespace

TEST_CASE("the main process of nsdebug's own container is guarded as PID 1 is") {
  pid_t ancestors[] = {5};
  CHECK(nsdebug::guard_reason({.pid = 12, .self = 20, .ancestors = ancestors, .own_main = 12}) ==
        GuardReason::own_main);
  CHECK(nsdebug::guard_reason({.pid = 13, .self = 20, .ancestors = ancestors, .own_main = 12}) ==
        GuardReason::none);
  // An ancestor that is also the main process (a shell nsdebug was started from) says ancestor.
  pid_t shell[] = {12};
  CHECK(nsdebug::guard_reason({.pid = 12, .self = 20, .ancestors = shell, .own_main = 12}) ==
        GuardReason::ancestor);
  auto e = nsdebug::cli::guard_refusal({GuardReason::own_main, 12, "debug", SIGTERM, std::nullopt});
  CHECK(e.what == "kill -TERM 12");
  CHECK_THAT(e.why, Catch::Contains("main process of container 'debug'") &&
                        Catch::Contains("this nsdebug runs in"));
  CHECK_THAT(e.hint, Catch::Contains("--force"));
}

TEST_CASE("-c of nsdebug's own container lists its main process as not selected; --force includes it last") {
  auto s = debug_pod();
  auto procs = nsdebug::testing::all_alive(s);
  std::string own = container_of(s, 20);
  nsdebug::KillSelection sel;
  sel.filter.containers = {own};
  sel.self = 20;
  auto plan = nsdebug::plan_kill(s, sel, SIGTERM, procs);
  REQUIRE(plan);
  CHECK(target_pids(*plan) == std::vector<pid_t>{13});
  REQUIRE(plan->skipped.size() == 2);  // 12, the main process; 20, nsdebug itself
  CHECK(plan->skipped[0].first.pid == 12);
  CHECK(plan->skipped[0].second == "the main process of nsdebug's own container");
  CHECK(plan->skipped[1].first.guard == GuardReason::self);

  sel.include_guarded = true;  // --force
  auto forced = nsdebug::plan_kill(s, sel, SIGTERM, procs);
  REQUIRE(forced);
  // The main process last: once it is signalled the runtime may end nsdebug with it.
  CHECK(target_pids(*forced) == std::vector<pid_t>{13, 12});
  CHECK(forced->targets[1].guard == GuardReason::own_main);
  REQUIRE(forced->skipped.size() == 1);  // nsdebug itself, never
  CHECK(forced->skipped[0].first.pid == 20);

  // Named by PID, it is kept with its guard: deliver refuses it without --force.
  nsdebug::KillSelection named;
  named.pids = {12};
  named.self = 20;
  auto by_pid = nsdebug::plan_kill(s, named, SIGTERM, procs);
  REQUIRE(by_pid);
  REQUIRE(by_pid->targets.size() == 1);
  CHECK(by_pid->targets[0].guard == GuardReason::own_main);
  auto done = nsdebug::deliver(*by_pid, false, true, procs);
  CHECK(done[0].outcome == nsdebug::DeliveryOutcome::refused);
}

TEST_CASE("-n . from nsdebug's own container leaves out its main process and the sandbox") {
  auto s = debug_pod();
  auto procs = nsdebug::testing::all_alive(s);
  nsdebug::KillSelection sel;
  sel.filter.patterns = {"."};
  sel.self = 20;
  auto plan = nsdebug::plan_kill(s, sel, SIGTERM, procs);
  REQUIRE(plan);
  CHECK(target_pids(*plan) == std::vector<pid_t>{6, 13});
  std::vector<pid_t> skipped;
  for (const auto& [t, why] : plan->skipped) skipped.push_back(t.pid);
  CHECK(skipped == std::vector<pid_t>{1, 12, 20});
}

TEST_CASE("signal 0 only probes: no guard refuses it") {
  auto s = debug_pod();
  auto procs = nsdebug::testing::all_alive(s);
  nsdebug::KillSelection named;
  named.pids = {1, 12};
  named.self = 20;
  auto plan = nsdebug::plan_kill(s, named, 0, procs);
  REQUIRE(plan);
  REQUIRE(plan->targets.size() == 2);
  for (const auto& d : nsdebug::deliver(*plan, false, true, procs))
    CHECK(d.outcome != nsdebug::DeliveryOutcome::refused);
}

TEST_CASE("a process still running says stopped by which signal, or traced by whom") {
  std::string stat_stopped =
      "42 (sl eep) T 1 42 42 0 -1 4194560 90 0 0 0 0 0 0 0 20 0 1 0 100 2375680 131 "
      "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 19\n";
  auto h = nsdebug::parse_held_state("Name:\tsleep\nState:\tT (stopped)\nTracerPid:\t0\n",
                                     stat_stopped);
  REQUIRE(h);
  CHECK(nsdebug::describe_held(*h) == "stopped by SIGSTOP");
  auto traced = nsdebug::parse_held_state("State:\tt (tracing stop)\nTracerPid:\t77\n", "");
  REQUIRE(traced);
  CHECK(nsdebug::describe_held(*traced) == "traced by PID 77, which holds it stopped");
  auto running = nsdebug::parse_held_state("State:\tS (sleeping)\nTracerPid:\t0\n", "");
  REQUIRE(running);
  CHECK(nsdebug::describe_held(*running).empty());
  CHECK_FALSE(nsdebug::parse_held_state("Name:\tx\n", ""));
}
