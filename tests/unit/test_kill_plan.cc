// The kill plan's decisions over a fake process boundary (tests/unit/fake_processes.h): what
// is held, what is sent, what is refused and why, as facts; and the CLI's words for them.
// Nothing reaches the kernel: tests/integration/test_kill*.cc send real signals in namespaces.
#include <catch2/catch.hpp>
#include <csignal>
#include <string>
#include <utility>
#include <vector>

#include "core/signals/kill_plan.h"
#include "fake_probe.h"
#include "fake_processes.h"
#include "tools/kill_words.h"

using nsdebug::DeliveryOutcome;
using nsdebug::GuardReason;
using nsdebug::KillSelection;
using nsdebug::testing::all_alive;

namespace {

// A pod seen from a sidecar: the sandbox is PID 1, nginx 6 and its worker 7, nsdebug 20.
nsdebug::Snapshot sidecar_pod() {
  using nsdebug::testing::proc;
  nsdebug::Snapshot s;
  s.processes = {proc(1, 0, 100, {"/pause"}), proc(6, 0, 200, {"nginx: master"}),
                 proc(7, 6, 200, {"nginx: worker"}), proc(20, 0, 300, {"nsdebug", "kill"})};
  nsdebug::testing::FakeProbe probe;
  s.containers = nsdebug::group_into_containers(s.processes, probe);
  return s;
}

KillSelection named(std::vector<pid_t> pids) { return {.pids = std::move(pids), .self = 20}; }

}  // namespace

TEST_CASE("deliver sends through the held handles and reports a guard's refusal as facts") {
  auto s = sidecar_pod();
  auto procs = all_alive(s);
  auto plan = nsdebug::plan_kill(s, named({1, 6}), SIGTERM, procs);
  REQUIRE(plan);
  REQUIRE(plan->targets.size() == 2);  // the guarded one last
  auto done = nsdebug::deliver(*plan, false, false, procs);
  CHECK(done[0].outcome == DeliveryOutcome::sent);
  CHECK(procs.sent == std::vector<std::pair<pid_t, int>>{{6, SIGTERM}});
  CHECK(done[1].outcome == DeliveryOutcome::refused);
  CHECK_FALSE(done[1].error);
  REQUIRE(done[1].refusal);
  CHECK(done[1].refusal->reason == GuardReason::sandbox);
  CHECK(done[1].refusal->pid == 1);
  CHECK(done[1].refusal->sig == SIGTERM);
  // The CLI words it, with its own fix.
  auto e = nsdebug::cli::guard_refusal(*done[1].refusal);
  CHECK(e.what == "kill -TERM 1");
  CHECK(e.hint == "to restart a container, signal its main process ('nsdebug containers' shows "
                  "it); --force sends it anyway");
}

TEST_CASE("a process whose PID was recycled since the listing is never signalled") {
  auto s = sidecar_pod();
  auto procs = all_alive(s);
  procs.alive[6] = 999;  // another process holds PID 6 now
  auto plan = nsdebug::plan_kill(s, named({6}), SIGTERM, procs);
  REQUIRE(plan);
  auto done = nsdebug::deliver(*plan, false, false, procs);
  CHECK(done[0].outcome == DeliveryOutcome::failed);
  REQUIRE(done[0].error);
  CHECK(done[0].error->code == ESRCH);
  CHECK(done[0].error->what == "kill -TERM 6 [nginx] (nginx: master)");
  CHECK(procs.sent.empty());
}

TEST_CASE("a refused kill(2) is explained through the boundary; a dry run sends nothing") {
  auto s = sidecar_pod();
  auto procs = all_alive(s);
  procs.denied = {7};
  auto plan = nsdebug::plan_kill(s, named({7}), SIGHUP, procs);
  REQUIRE(plan);
  CHECK(nsdebug::deliver(*plan, false, true, procs)[0].outcome == DeliveryOutcome::would_send);
  CHECK(procs.sent.empty());
  auto done = nsdebug::deliver(*plan, false, false, procs);
  CHECK(done[0].outcome == DeliveryOutcome::failed);
  REQUIRE(done[0].error);
  CHECK(done[0].error->why == "explained for 7");
}

TEST_CASE("PID 1's signal masks are read for PID 1 only; unhandled, a forced signal is dropped") {
  auto s = sidecar_pod();
  auto procs = all_alive(s);
  procs.masks = nsdebug::SignalMasks{.ignored = 0, .caught = 0};  // pause handles nothing
  auto plan = nsdebug::plan_kill(s, named({1, 6}), SIGTERM, procs);
  REQUIRE(plan);
  CHECK(procs.masks_asked == std::vector<pid_t>{1});
  auto refused = nsdebug::deliver(*plan, false, false, procs);
  REQUIRE(refused[1].refusal);
  CHECK(refused[1].refusal->delivered == false);
  CHECK_THAT(nsdebug::cli::guard_refusal(*refused[1].refusal).why,
             Catch::Contains("no handler for TERM") && Catch::Contains("would drop it"));
  auto forced = nsdebug::deliver(*plan, true, false, procs);
  CHECK(forced[1].outcome == DeliveryOutcome::dropped);
  REQUIRE(forced[1].error);
  CHECK_THAT(forced[1].error->why, Catch::Contains("no handler"));
}

TEST_CASE("a selection that matched only guarded processes says so as a fact; the CLI words it") {
  auto s = sidecar_pod();
  auto procs = all_alive(s);
  KillSelection sel{.filter = {.patterns = {"pause"}}, .self = 20};
  auto plan = nsdebug::plan_kill(s, sel, SIGTERM, procs);
  REQUIRE(plan);
  CHECK(plan->targets.empty());
  CHECK(plan->nothing_matched);
  CHECK(plan->not_found.empty());
  REQUIRE(plan->skipped.size() == 1);
  auto e = nsdebug::cli::nothing_matched(*plan, s);
  CHECK(e.what == "kill");
  CHECK(e.why == "no process matched");
  CHECK_THAT(e.hint, Catch::Contains("--force selects the guarded ones too"));
  sel.filter.patterns = {"nginx"};
  auto some = nsdebug::plan_kill(s, sel, SIGTERM, procs);
  REQUIRE(some);
  CHECK_FALSE(some->nothing_matched);
}
