// The TUI's effects on real processes, as its loop runs them: a key's effect carried out
// through core (app_effects.cc) and what it found applied to the model. The kill menu really
// signals, the details page is the inspect page, the files view lists and pages real files.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tui/app_state.h"
#include "tui/view.h"

using namespace nsdebug;
using namespace nsdebug::tui;
namespace fs = std::filesystem;

namespace {

// A sleeping child, killed and reaped when this goes (if the test did not).
struct Child {
  pid_t pid = ::fork();
  Child() {
    if (pid == 0) {
      ::execlp("sleep", "sleep", "1000", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // exec'd
  }
  ~Child() {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  // Its status once it ended, within a few seconds; -1 while it runs.
  int wait_end() {
    for (int i = 0; i < 50; ++i) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) return status;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return -1;
  }
};

// The app's state and model, as run_app starts them.
struct App {
  AppState app{AppOptions{}, ProcessTable(), {}, {}, {}, {}, false};
  Model m;
  App() {
    REQUIRE(app.table.refresh());
    apply(m, listed(app, std::nullopt));
    fit_lists(m, {80, 24});
  }
  // A key, and its effect carried out and applied, as the loop does.
  void key(Key k) {
    Effect e = update(m, k);
    if (auto found = carry_out(app, m, e)) apply(m, std::move(*found));
  }
  void select(pid_t pid) {
    for (std::size_t i = 0; i < m.rows.size(); ++i)
      if (m.rows[i].process && m.rows[i].process->pid == pid) cursor_to(m, i, 1);
    REQUIRE(selected_process(m));
    REQUIRE(selected_process(m)->pid == pid);
  }
};

}  // namespace

TEST_CASE("tui effects: the kill menu plans, sends the chosen signal, and watches the exit") {
  Child child;
  App a;
  a.select(child.pid);
  a.key('k');
  REQUIRE(a.m.screen == Screen::signals);
  REQUIRE(a.m.menu.plan);  // the plan's handles are the app's; the menu has its values
  REQUIRE(a.app.kill_plan);
  for (char c : std::string("kill")) a.key(c);
  REQUIRE(a.m.menu.chosen() == SIGKILL);
  a.key(kKeyEnter);
  CHECK(a.m.screen == Screen::processes);
  CHECK(a.m.status == "sent KILL to PID " + std::to_string(child.pid));
  CHECK_FALSE(a.app.kill_plan);
  REQUIRE(a.app.watched.size() == 1);
  int status = child.wait_end();
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  auto exited = reap_watched(a.app);
  REQUIRE(exited);
  apply(a.m, std::move(*exited));
  CHECK_THAT(a.m.status, Catch::Contains("exited: PID " + std::to_string(child.pid)));
  CHECK(a.app.refresh_now);
}

TEST_CASE("tui effects: a process gone before the plan is not signalled") {
  App a;
  {
    Child child;
    REQUIRE(a.app.table.refresh());
    apply(a.m, listed(a.app, std::nullopt));
    a.select(child.pid);
  }  // killed and reaped: the listing still shows it
  a.key('k');
  a.key(kKeyEnter);
  CHECK(a.m.screen == Screen::processes);
  CHECK(a.m.status_error);
}

TEST_CASE("tui effects: the details page is the inspect page, with names and CapBnd") {
  Child child;
  App a;
  a.select(child.pid);
  a.key(kKeyEnter);
  REQUIRE(a.m.screen == Screen::details);
  std::string page;
  for (const auto& l : a.m.page.lines) page += l + "\n";
  CHECK_THAT(page, Catch::Contains("PID " + std::to_string(child.pid) + ", container"));
  CHECK_THAT(page, Catch::Contains("Command:    sleep 1000"));
  CHECK_THAT(page, Catch::Contains("Users:      uid root(0)"));
  CHECK_THAT(page, Catch::Contains("CapBnd:     "));
  CHECK_THAT(page, Catch::Contains("Limits:"));
}

TEST_CASE("tui effects: files lists a real directory and pages a file") {
  fs::path dir = fs::temp_directory_path() / ("nsdebug-tui-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "log") << "one\ntwo\n";
  Child child;
  App a;
  a.select(child.pid);
  a.key('f');
  REQUIRE(a.m.screen == Screen::files);
  REQUIRE(a.app.root);
  CHECK(a.m.files.path == "/");
  CHECK_FALSE(a.m.files.rows.empty());
  a.key(':');
  for (char c : dir.string()) a.key(c);
  a.key(kKeyEnter);
  REQUIRE(a.m.files.path == dir.string());
  a.key(':');
  for (char c : (dir / "log").string()) a.key(c);
  a.key(kKeyEnter);
  REQUIRE(a.m.screen == Screen::pager);
  CHECK(a.m.pager.lines == std::vector<std::string>{"one", "two"});
  std::ofstream(dir / "log", std::ios::app) << "three\n";
  auto more = follow_pager(a.app, a.m);
  REQUIRE(more);
  apply(a.m, std::move(*more));
  CHECK(a.m.pager.lines.back() == "three");
  fs::remove_all(dir);
}
