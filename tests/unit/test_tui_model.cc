// The TUI's process list and keys, over a fake pod: no terminal, no /proc (the world's names
// come resolved, as the app hands them to the model).
#include <catch2/catch.hpp>
#include <csignal>

#include "core/signals/signals.h"
#include "tui_world.h"

using namespace nsdebug;
using namespace nsdebug::testing;
using namespace nsdebug::tui;
using V = std::vector<pid_t>;

TEST_CASE("tui lists by CPU% first, and < > I change the sort") {
  TuiWorld w;
  CHECK(w.pids() == V{11, 13, 6, 1, 12});
  w.keys("<<<<");  // CPU% -> STAT -> USER -> CONTAINER -> PID
  CHECK(w.m.sort == Col::pid);
  CHECK(w.pids() == V{1, 6, 11, 12, 13});
  w.keys("I");
  CHECK(w.pids() == V{13, 12, 11, 6, 1});
  w.key(key_f(6));  // F6 is > : CONTAINER
  CHECK(w.m.sort == Col::container);
}

TEST_CASE("tui filter matches as you type, ignores case, keeps on Enter and clears on Esc") {
  TuiWorld w;
  w.keys("/");
  CHECK(w.m.filter_prompt);
  w.keys("WORKER");
  CHECK(w.pids() == V{11});
  w.key(kKeyEnter);
  CHECK_FALSE(w.m.filter_prompt);
  CHECK(w.pids() == V{11});
  w.keys("q");  // the prompt is closed: q is a key again
  w.keys("/");
  w.key(kKeyEscape);
  CHECK(w.m.filter.empty());
  CHECK(w.pids().size() == 5);
}

TEST_CASE("tui filter takes regex characters literally") {
  TuiWorld w;
  w.s.processes[3].argv = Argv(std::vector<std::string>{"sh", "-c", "a[1]+b^c\\d.*"});
  rebuild_rows(w.m);
  w.keys("/[1]+b^c\\d.*");
  CHECK(w.pids() == V{12});
  w.key(kKeyEscape);
  w.keys("/.*x");
  CHECK(w.pids().empty());
}

TEST_CASE("tui tree puts each process under its parent") {
  TuiWorld w;
  w.keys("<<<<");  // by PID
  w.keys("t");
  CHECK(w.pids() == V{1, 6, 11, 12, 13});
  std::vector<int> depths;
  for (const auto& r : w.m.rows) depths.push_back(r.depth);
  CHECK(depths == std::vector<int>{0, 0, 1, 0, 1});
  w.keys("I");  // reversed: roots and siblings in reverse, children still under parents
  CHECK(w.pids() == V{12, 13, 6, 11, 1});
}

TEST_CASE("tui groups rows by container with per-container totals") {
  TuiWorld w;
  w.keys("c");
  // A header (-1) before each container's rows.
  CHECK(w.pids() == V{-1, 1, -1, 11, 6, -1, 13, 12});
  const Process* worker = w.s.find(11);
  auto& t = w.m.totals[static_cast<std::size_t>(worker->container)];
  CHECK(t.processes == 2);
  CHECK(t.rss_kb == 1400);
  CHECK(t.cpu_pct == Approx(6.0));
  // The cursor never rests on a header.
  w.key(kKeyHome);
  CHECK(w.selected() == 1);
  w.key(kKeyDown);
  CHECK(w.selected() == 11);
  w.key(kKeyUp);
  CHECK(w.selected() == 1);
}

TEST_CASE("tui selection stays on its process when a refresh moves its row") {
  TuiWorld w;
  w.key(kKeyDown);
  w.key(kKeyDown);
  REQUIRE(w.selected() == 6);
  // The next refresh: nginx's master got busy and moves to the top.
  Snapshot next = w.s;
  next.processes[1].cpu_pct = 50;
  w.m.snapshot = &next;
  rebuild_rows(w.m);
  CHECK(w.pids().front() == 6);
  CHECK(w.selected() == 6);
  CHECK(w.m.list.cursor == 0);
}

TEST_CASE("tui selection does not follow a recycled pid") {
  TuiWorld w;
  w.keys("<<<<");  // by PID
  w.key(kKeyHome);
  w.key(kKeyDown);
  w.key(kKeyDown);
  REQUIRE(w.selected() == 11);
  Snapshot next = w.s;
  next.processes[2].start_ticks += 1000;  // pid 11 exited, and a new process got pid 11
  w.m.snapshot = &next;
  w.m.tagged.insert(key_of(w.s.processes[2]));
  rebuild_rows(w.m);
  CHECK(w.m.selected->start_ticks == next.processes[2].start_ticks);
  CHECK(w.m.tagged.empty());  // a tag never lands on the recycled pid
}

TEST_CASE("tui Space tags, and the kill menu targets the tagged rows") {
  TuiWorld w;
  w.keys("<<<<");  // by PID: 1 6 11 12 13
  w.key(kKeyHome);
  w.key(kKeyDown);
  w.keys("  ");  // tags 6 and 11
  auto targets = action_targets(w.m);
  REQUIRE(targets.size() == 2);
  CHECK(targets[0].pid == 6);
  CHECK(targets[1].pid == 11);
  Effect e = w.key('k');
  CHECK(e.kind == EffectKind::plan_kill);
  CHECK(w.m.menu.targets.size() == 2);
}

TEST_CASE("tui kill menu preselects TERM and jumps to a typed number or name") {
  TuiWorld w;
  Effect e = w.key('k');
  REQUIRE(e.kind == EffectKind::plan_kill);
  REQUIRE(w.m.screen == Screen::signals);
  auto chosen = [&] { return w.m.menu.chosen(); };
  CHECK(chosen() == SIGTERM);
  w.keys("1");
  CHECK(chosen() == SIGHUP);
  w.keys("5");
  CHECK(chosen() == SIGTERM);
  w.key(kKeyBackspace);
  w.key(kKeyBackspace);
  w.keys("9");
  CHECK(chosen() == SIGKILL);
  w.keys("us");  // USR1
  CHECK(chosen() == SIGUSR1);
  w.keys("quit");  // letters are names here: q does not close the menu
  CHECK(chosen() == SIGQUIT);
  CHECK(w.m.screen == Screen::signals);
  w.key(kKeyEscape);
  CHECK(w.m.screen == Screen::processes);
}

TEST_CASE("tui kill menu sends through the plan, and asks y for a guarded target") {
  TuiWorld w;
  w.keys("<<<<");  // PID 1 first
  w.key('k');
  // The app answers plan_kill with a plan: PID 1 is the sandbox, guarded.
  apply(w.m, KillPlanned{{{1, "pause", GuardReason::sandbox, std::nullopt}}, std::nullopt});
  w.keys("1");
  Effect e = w.key(kKeyEnter);
  CHECK(e.kind == EffectKind::none);
  REQUIRE(w.m.screen == Screen::confirm);
  REQUIRE_FALSE(w.m.menu.consequences.empty());
  CHECK_THAT(w.screen(), Catch::Contains("Press y to send HUP"));
  e = w.key('y');
  CHECK(e.kind == EffectKind::deliver);
  CHECK(e.force);
  CHECK(e.sig == SIGHUP);
  // Anything but y cancels.
  w.m.screen = Screen::confirm;
  e = w.key('n');
  CHECK(e.kind == EffectKind::none);
  CHECK(w.m.screen != Screen::confirm);
}

TEST_CASE("tui kill menu delivers unguarded targets without asking") {
  TuiWorld w;
  w.key('k');
  apply(w.m, KillPlanned{{{11, "nginx", GuardReason::none, std::nullopt}}, std::nullopt});
  Effect e = w.key(kKeyEnter);
  CHECK(e.kind == EffectKind::deliver);
  CHECK_FALSE(e.force);
  CHECK(e.sig == SIGTERM);
}

TEST_CASE("tui --read-only has no kill menu") {
  TuiWorld w;
  w.m.read_only = true;
  Effect e = w.key('k');
  CHECK(e.kind == EffectKind::none);
  CHECK(w.m.screen == Screen::processes);
  CHECK_THAT(w.m.status, Catch::Contains("read-only"));
}

TEST_CASE("tui q backs out of a sub-view, then quits") {
  TuiWorld w;
  CHECK(w.key('f').kind == EffectKind::open_files);
  CHECK(w.m.screen == Screen::files);
  CHECK(w.key('q').kind == EffectKind::none);
  CHECK(w.m.screen == Screen::processes);
  CHECK(w.key(key_f(10)).kind == EffectKind::quit);
}

TEST_CASE("tui Ctrl-C quits from any screen, even while a filter is typed") {
  TuiWorld w;
  w.key('f');
  REQUIRE(w.m.screen == Screen::files);
  CHECK(w.key(nsdebug::tui::kKeyCtrlC).kind == EffectKind::quit);
  TuiWorld typing;
  typing.key('/');
  typing.key('x');
  CHECK(typing.key(nsdebug::tui::kKeyCtrlC).kind == EffectKind::quit);
}

TEST_CASE("tui files: Enter descends, Backspace goes up, : types a path") {
  TuiWorld w;
  w.key('f');
  w.m.files.path = "/etc";
  apply(w.m, DirListed{"/etc", std::vector<FileRow>(2), {"..", "nginx"}});
  w.key(kKeyDown);
  Effect e = w.key(kKeyEnter);
  CHECK(e.kind == EffectKind::open_path);
  CHECK(e.path == "/etc/nginx");
  e = w.key(kKeyBackspace);
  CHECK(e.path == "/");
  w.keys(":/etc/nginx/nginx.conf");
  CHECK(w.m.files.prompt);
  e = w.key(kKeyEnter);
  CHECK(e.kind == EffectKind::open_path);
  CHECK(e.path == "/etc/nginx/nginx.conf");
  CHECK(join_path("/", "etc") == "/etc");
  CHECK(parent_path("/etc") == "/");
  CHECK(parent_path("/etc/nginx") == "/etc");
}

TEST_CASE("tui pager searches with / n N") {
  TuiWorld w;
  apply(w.m, file_read("a\nneedle 1\nb\nneedle 2\nc\n", "/log"));
  REQUIRE(w.m.screen == Screen::pager);
  w.keys("/needle");
  w.key(kKeyEnter);
  CHECK(w.m.pager.list.cursor == 1);
  w.keys("n");
  CHECK(w.m.pager.list.cursor == 3);
  w.keys("n");
  CHECK(w.m.pager.list.cursor == 3);
  CHECK_THAT(w.m.status, Catch::Contains("not found"));
  w.keys("N");
  CHECK(w.m.pager.list.cursor == 1);
  w.keys("G");
  CHECK(w.m.pager.list.cursor == 4);
  w.keys("g");
  CHECK(w.m.pager.list.cursor == 0);
}

TEST_CASE("tui help lists every key of the process list") {
  std::string all;
  for (const auto& h : help_lines()) all += h.keys + " ";
  for (const char* k : {"/", "<", ">", "F6", "I", "t", "c", "Space", "F", "Z", "k", "F9", "Enter",
                        "e", "f", "d", "?", "F1", "q", "F10"})
    CHECK_THAT(all, Catch::Contains(k));
}
