// The TUI's effects as the app carries them out, over the fake pod: their pure steps (the
// plan kept to the menu's processes, deliveries said), and apply(), which puts what an effect
// found in the model. The own-container case plans through core as the app does: plan_kill
// takes handles and reads /proc/PID/status; nothing is signalled here (integration tests
// signal real processes: tests/integration/test_tui_effects.cc).
#include <catch2/catch.hpp>
#include <csignal>

#include "core/signals/signals.h"
#include "tui/app_state.h"
#include "tui_world.h"

using namespace nsdebug;
using namespace nsdebug::testing;
using namespace nsdebug::tui;
using Catch::Contains;

namespace {

KillTarget target(pid_t pid, std::uint64_t start_ticks) {
  KillTarget t;
  t.pid = pid;
  t.start_ticks = start_ticks;
  t.handle = std::unexpected(Error{ESRCH, "open", "gone", {}});
  return t;
}

}  // namespace

TEST_CASE("tui plan keeps to the processes the menu was opened on") {
  KillPlan plan;
  plan.targets.push_back(target(6, 70));
  plan.targets.push_back(target(11, 110));
  KillPlanned got = planned(plan, {{11, 110}, {6, 71}});  // 6 is another process since
  REQUIRE_FALSE(got.error);
  REQUIRE(got.targets.size() == 1);
  CHECK(got.targets[0].pid == 11);
  REQUIRE(plan.targets.size() == 1);  // the app's plan holds the same one
  got = planned(plan, {{11, 111}});
  REQUIRE(got.error);
  CHECK(got.error->what == "nothing to signal");
  CHECK(got.error->why == "the process is gone");
}

TEST_CASE("tui plan outcome: the menu waits for it, and says why there is none") {
  TuiWorld w;
  w.key('k');
  CHECK_THAT(w.screen(), Contains("taking handles on the targets"));
  CHECK(w.key(kKeyEnter).kind == EffectKind::none);  // still planning
  apply(w.m, KillPlanned{{}, Error{ESRCH, "nothing to signal", "the process is gone", {}}});
  CHECK_THAT(w.screen(), Contains("cannot plan: nothing to signal: the process is gone"));
  w.key(kKeyEnter);
  CHECK(w.m.screen == Screen::processes);
  CHECK(w.m.status_error);
}

TEST_CASE("tui signal outcome: what was sent, what failed, and the handles watched") {
  TuiWorld w;
  w.keys(" ");  // tags the first row
  w.key('k');
  KillPlan plan;
  plan.sig = SIGHUP;
  plan.targets.push_back(target(11, 110));
  plan.targets.push_back(target(6, 60));
  std::vector<Delivery> results{{DeliveryOutcome::sent, std::nullopt, std::nullopt},
                                {DeliveryOutcome::failed, std::nullopt, Error{EPERM, "kill 6", {}, "run as root"}}};
  std::vector<ProcessHandle> watched;
  SignalSent s = sent(plan, results, watched);
  CHECK(s.sent == std::vector<pid_t>{11});
  CHECK(watched.empty());  // 11's handle had failed to open: nothing to watch
  apply(w.m, s);
  CHECK(w.m.screen == Screen::processes);
  CHECK(w.m.status == "sent HUP to 11; kill 6: Operation not permitted  hint: run as root");
  CHECK(w.m.status_error);
  CHECK(w.m.tagged.empty());
  apply(w.m, SignalSent{SIGTERM, {11, 13}, std::nullopt});
  CHECK(w.m.status == "sent TERM to PID 11 13");
  CHECK_FALSE(w.m.status_error);
}

TEST_CASE("tui signal outcome without a plan only closes the menu") {
  TuiWorld w;
  w.key('k');
  apply(w.m, SignalSent{});
  CHECK(w.m.screen == Screen::processes);
  CHECK(w.m.status.empty());
}

TEST_CASE("tui pager outcomes: a file opened, appended to, truncated, cut at the limit") {
  TuiWorld w;
  w.key('f');
  apply(w.m, file_read("one\ntw", "/var/log/a\x1b"));
  REQUIRE(w.m.screen == Screen::pager);
  CHECK(w.m.pager.title == "/var/log/a\\e");
  CHECK(w.m.pager.lines == std::vector<std::string>{"one", "tw"});
  w.keys("F");  // follow: stays at the end
  apply(w.m, file_read("o\nthree\n"));
  CHECK(w.m.pager.lines.size() == 3);
  CHECK(w.m.pager.list.cursor == 2);
  FileRead restarted = file_read("new\n");
  restarted.restart = true;
  restarted.notice = "file truncated";
  apply(w.m, restarted);
  CHECK(w.m.pager.lines == std::vector<std::string>{"new"});
  CHECK(w.m.pager.note == "file truncated");
  CHECK(w.m.pager.offset == 4);
  FileRead last = file_read(std::string("\0", 1));
  last.at_limit = true;
  apply(w.m, last);
  CHECK(w.m.pager.note == "only the first 16 MiB shown");
  w.keys("q");
  CHECK(w.m.screen == Screen::files);
}

TEST_CASE("tui failed effect says why, and leaves its screen when it was for it") {
  TuiWorld w;
  w.key('f');
  apply(w.m, Failed{Error{EACCES, "open root of PID 6", {}, "add CAP_SYS_PTRACE"}, true});
  CHECK(w.m.screen == Screen::processes);
  CHECK(w.m.status == "open root of PID 6: Permission denied  hint: add CAP_SYS_PTRACE");
  w.key('f');
  apply(w.m, Said{"no root open", true});
  CHECK(w.m.screen == Screen::files);
  CHECK(w.m.status_error);
}

TEST_CASE("tui refresh outcome: the new listing and its names; exits reported") {
  TuiWorld w;
  Snapshot next = w.s;
  next.processes[2].uid = 33;
  ResolvedNames names;
  names.add_user(next.processes[2].container, 33, "www-data");
  apply(w.m, Listed{&next, std::move(names), Error{EIO, "read /proc", {}, {}}});
  CHECK(w.m.snapshot == &next);
  CHECK_THAT(w.screen({120, 24}), Contains("www-data"));
  CHECK_THAT(w.m.status, Contains("refresh: read /proc"));
  w.m.status.clear();
  apply(w.m, Exited{{11, 13}});
  CHECK(w.m.status == "exited: PID 11 13");
}

TEST_CASE("tui pages and listings from effects start at their first line") {
  TuiWorld w;
  w.key(kKeyEnter);
  REQUIRE(w.m.screen == Screen::details);
  apply(w.m, PageRead{"Details of PID 11", std::vector<std::string>(100, "x")});
  w.key(kKeyPageDown);
  CHECK(w.m.page.list.cursor > 0);
  apply(w.m, PageRead{"Details of PID 11", {"a"}});
  CHECK(w.m.page.list.cursor == 0);
  CHECK_THAT(w.screen(), Contains("Details of PID 11"));
  w.keys("q");
  w.key('f');
  apply(w.m, DirListed{"/etc", std::vector<FileRow>(3), {"..", "a", "b"}});
  w.key(kKeyEnd);
  CHECK(w.m.files.list.cursor == 2);
  apply(w.m, DirListed{"/etc/a", std::vector<FileRow>(1), {".."}});
  CHECK(w.m.files.list.cursor == 0);
  CHECK(w.m.files.path == "/etc/a");
}

TEST_CASE("tui kill menu asks y before signalling the main process of nsdebug's own container") {
  TuiWorld w;
  // The world's container of sh (12) and top (13) is the one nsdebug runs in: `kubectl exec`
  // started it as 13's sibling with a parent outside the pod, so 12 is no ancestor of it.
  w.s.processes.push_back(proc(20, 0, 300, {"nsdebug", "tui"}));
  FakeProbe probe;
  w.s.containers = group_into_containers(w.s.processes, probe);
  rebuild_rows(w.m);  // the rows pointed into the processes before push_back moved them
  w.keys("<<<<");     // by PID: 12 before 13 and 20
  w.key(kKeyHome);
  for (int i = 0; i < 3; ++i) w.key(kKeyDown);
  REQUIRE(w.selected() == 12);
  w.key('k');
  // What the app's plan effect does (tui/app_effects.cc): the core plan, the CLI's guards.
  KillSelection sel;
  sel.pids = {12};
  sel.self = 20;
  auto plan = plan_kill(w.s, sel, SIGTERM);
  REQUIRE(plan);
  REQUIRE(plan->targets.size() == 1);
  CHECK(plan->targets[0].guard == GuardReason::own_main);
  apply(w.m, planned(*plan, w.m.menu.targets));
  CHECK_THAT(w.screen(), Catch::Contains("its container's main): Enter asks"));
  Effect e = w.key(kKeyEnter);
  CHECK(e.kind == EffectKind::none);
  REQUIRE(w.m.screen == Screen::confirm);
  REQUIRE(w.m.menu.consequences.size() == 1);
  CHECK_THAT(w.m.menu.consequences[0], Catch::Contains("main process of container") &&
                                           Catch::Contains("this nsdebug runs in"));
  CHECK(w.key('y').force);
}
