// The process table the TUI refreshes: real processes, forked here, seen across refreshes.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "core/pod/process_table.h"

using nsdebug::Process;
using nsdebug::ProcessTable;

namespace {

// A child that spins (busy) or sleeps until killed; killed and reaped when this goes.
struct Child {
  pid_t pid = -1;
  explicit Child(bool busy) {
    pid = ::fork();
    if (pid == 0) {
      if (busy)
        for (unsigned long i = 0;; ++i) asm volatile("" : : "r"(i));  // spin, not optimised away
      ::execlp("sleep", "sleep", "1000", static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~Child() {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
};

nsdebug::ProcessTableOptions holding(std::size_t files) {
  nsdebug::ProcessTableOptions o;
  o.held_files = files;
  return o;
}

const Process* find(const ProcessTable& t, pid_t pid) { return t.snapshot().find(pid); }

void pause_s(double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); }

}  // namespace

TEST_CASE("process table: CPU% comes from tick deltas between refreshes") {
  Child busy(true), idle(false);
  pause_s(0.2);  // let the idle child exec sleep
  // Stat files held open between refreshes (the TUI's way), and none (read through paths).
  ProcessTable table(holding(GENERATE(0u, 1000u)));
  REQUIRE(table.refresh());
  REQUIRE(find(table, busy.pid));
  CHECK(find(table, busy.pid)->cpu_pct == 0);  // no delta on the first look
  pause_s(1.0);
  REQUIRE(table.refresh());
  // One spinning thread: at most one core. A loaded 2-core CI machine still gives it a share.
  CHECK(find(table, busy.pid)->cpu_pct > 10);
  CHECK(find(table, busy.pid)->cpu_pct < 110);
  CHECK(find(table, idle.pid)->cpu_pct < 5);
  CHECK(table.generation() == 2);
}

TEST_CASE("process table: new processes appear, gone ones leave, an exec is seen") {
  // Stat files held open between refreshes (the TUI's way), and none (read through paths).
  ProcessTable table(holding(GENERATE(0u, 1000u)));
  REQUIRE(table.refresh());
  pid_t gone_pid;
  {
    Child gone(false);
    gone_pid = gone.pid;
    Child fresh(false);
    pause_s(0.2);
    REQUIRE(table.refresh());
    REQUIRE(find(table, fresh.pid));
    CHECK(find(table, fresh.pid)->argv.size() == 2);
    CHECK(find(table, fresh.pid)->argv[0] == "sleep");
  }
  REQUIRE(table.refresh());
  CHECK(find(table, gone_pid) == nullptr);
}

TEST_CASE("process table: a process that execs keeps its pid and gets its new command line") {
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  pid_t pid = ::fork();
  if (pid == 0) {  // waits as "sh", then becomes "sleep 999"
    char c;
    ::close(ready[1]);
    (void)::read(ready[0], &c, 1);
    ::execlp("sleep", "sleep", "999", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(ready[0]);
  // Stat files held open between refreshes (the TUI's way), and none (read through paths).
  ProcessTable table(holding(GENERATE(0u, 1000u)));
  REQUIRE(table.refresh());
  REQUIRE(table.refresh());  // no longer young: only an exec makes it read its argv again
  REQUIRE(find(table, pid));
  CHECK(find(table, pid)->argv[0] != "sleep");
  REQUIRE(::write(ready[1], "x", 1) == 1);
  ::close(ready[1]);
  pause_s(0.2);
  REQUIRE(table.refresh());
  REQUIRE(find(table, pid));
  CHECK(find(table, pid)->argv.size() == 2);
  CHECK(find(table, pid)->argv[1] == "999");
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

TEST_CASE("process table: containers keep their key across refreshes") {
  // Stat files held open between refreshes (the TUI's way), and none (read through paths).
  ProcessTable table(holding(GENERATE(0u, 1000u)));
  REQUIRE(table.refresh());
  const Process* self = find(table, ::getpid());
  REQUIRE(self);
  auto* c = table.snapshot().container_of(*self);
  REQUIRE(c);
  std::string key = c->key, name = c->name;
  CHECK(key.starts_with("mnt:"));
  REQUIRE(table.refresh());
  auto* again = table.snapshot().container_of(*find(table, ::getpid()));
  REQUIRE(again);
  CHECK(again->key == key);
  CHECK(again->name == name);
}
