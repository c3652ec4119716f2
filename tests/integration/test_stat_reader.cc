// The table's fast reads (core/proc/stat_reader.h) against libproc2's whole read of the same real
// processes: held stat files, the budget, exits, and a uid changed while idle.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <ranges>
#include <thread>
#include <vector>

#include "core/proc/procfs.h"
#include "core/proc/stat_reader.h"
#include "core/base/sys.h"

using nsdebug::Process;
using nsdebug::StatReader;

namespace {

// Children that wait in pause() for a signal; SIGUSR1 makes one become uid/gid 65534 (and
// touch no new memory doing so). Killed and reaped when this goes.
struct Sleepers {
  std::vector<pid_t> pids;
  explicit Sleepers(int n) {
    for (int i = 0; i < n; ++i) {
      pid_t pid = ::fork();
      if (pid == 0) {
        ::signal(SIGUSR1, [](int) {
          if (::setresgid(65534, 65534, 65534) != 0 || ::setresuid(65534, 65534, 65534) != 0)
            ::_exit(3);
        });
        for (;;) ::pause();
      }
      pids.push_back(pid);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ~Sleepers() {
    for (pid_t pid : pids) ::kill(pid, SIGKILL);
    for (pid_t pid : pids) ::waitpid(pid, nullptr, 0);
  }
};

const Process* find(const std::vector<Process>& ps, pid_t pid) {
  auto it = std::ranges::find(ps, pid, &Process::pid);
  return it == ps.end() ? nullptr : &*it;
}

// Whether one of our descriptors is a file of /proc/PID (a held stat or schedstat).
bool holds_file_of(pid_t pid) {
  std::string prefix = "/proc/" + std::to_string(pid) + "/";
  for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    auto target = std::filesystem::read_symlink(fd.path(), ec).string();
    if (!ec && target.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

// The reader and the rows of its last read, handed back to it as a table does.
struct Reader {
  StatReader reader;
  std::vector<Process> last;
  const std::vector<Process>& read() {
    auto ps = reader.read(last);
    REQUIRE(ps);
    last = std::move(*ps);
    return last;
  }
};

Reader open_reader(std::size_t held) {
  auto r = StatReader::open(held);
  REQUIRE(r);
  return Reader{std::move(*r), {}};
}

}  // namespace

TEST_CASE("stat reader: known processes read from held files agree with libproc2's whole read") {
  Sleepers kids(5);
  auto r = open_reader(1000);
  r.read();                          // first look: libproc2
  auto again = r.read();             // second: every process looked at whole (young)
  auto third = r.read();             // third: schedstat says they have not run
  auto whole = nsdebug::read_processes({});
  REQUIRE(whole);
  CHECK(std::ranges::is_sorted(third, {}, &Process::pid));
  for (pid_t pid : kids.pids) {
    const Process* fast = find(third, pid);
    const Process* full = find(*whole, pid);
    REQUIRE(fast);
    REQUIRE(full);
    REQUIRE(find(again, pid));
    CHECK(find(again, pid)->comm == full->comm);
    CHECK(find(again, pid)->rss_kb == full->rss_kb);
    CHECK(fast->ppid == full->ppid);
    CHECK(fast->state == full->state);
    CHECK(fast->comm == full->comm);
    CHECK(fast->uid == full->uid);
    CHECK(fast->gid == full->gid);
    CHECK(fast->rss_kb == full->rss_kb);  // an idle child: statm has not moved
    CHECK(fast->vsz_kb == full->vsz_kb);
    CHECK(fast->cpu_ticks == full->cpu_ticks);
    CHECK(fast->start_ticks == full->start_ticks);
    CHECK(fast->nice == full->nice);
    CHECK(fast->threads == full->threads);
    CHECK(fast->session == full->session);
    CHECK(fast->pgrp == full->pgrp);
    CHECK(fast->tpgid == full->tpgid);
    CHECK(fast->policy == full->policy);
  }
  // Every process of ours, us among them, and nothing twice.
  CHECK(find(third, ::getpid()));
  auto pids = third | std::views::transform(&Process::pid);
  CHECK(std::ranges::adjacent_find(pids) == pids.end());
  CHECK(r.reader.held_files() >= kids.pids.size());
}

TEST_CASE("stat reader: a process that runs has its ticks read again; an idle one keeps its row") {
  pid_t busy = ::fork();
  if (busy == 0)
    for (unsigned long i = 0;; ++i) asm volatile("" : : "r"(i));  // spin
  Sleepers idle(1);
  auto r = open_reader(1000);
  r.read();
  r.read();
  auto t0 = find(r.read(), busy)->cpu_ticks;
  auto idle0 = *find(r.last, idle.pids[0]);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto t1 = find(r.read(), busy)->cpu_ticks;
  CHECK(t1 > t0);
  CHECK(find(r.last, idle.pids[0])->cpu_ticks == idle0.cpu_ticks);
  CHECK(find(r.last, idle.pids[0])->comm == idle0.comm);
  ::kill(busy, SIGKILL);
  ::waitpid(busy, nullptr, 0);
}

TEST_CASE("stat reader: a sleeping child whose parent left shows its new parent at once") {
  // We are the subreaper: the grandchild comes to us when its parent exits, and it sleeps on
  // through that (reparenting runs in the exiting parent), so schedstat does not move.
  REQUIRE(::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  pid_t middle = ::fork();
  if (middle == 0) {
    pid_t grandchild = ::fork();
    if (grandchild == 0)
      for (;;) ::pause();
    (void)!::write(pipe_fds[1], &grandchild, sizeof grandchild);
    for (;;) ::pause();
  }
  pid_t grandchild = 0;
  REQUIRE(::read(pipe_fds[0], &grandchild, sizeof grandchild) == sizeof grandchild);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto r = open_reader(1000);
  r.read();
  r.read();
  REQUIRE(find(r.read(), grandchild)->ppid == middle);
  ::kill(middle, SIGKILL);
  ::waitpid(middle, nullptr, 0);
  CHECK(find(r.read(), grandchild)->ppid == ::getpid());
  ::kill(grandchild, SIGKILL);
  ::waitpid(grandchild, nullptr, 0);
  ::prctl(PR_SET_CHILD_SUBREAPER, 0);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
}

TEST_CASE("stat reader: past its budget it reads through paths, and misses nobody") {
  Sleepers kids(6);
  auto r = open_reader(2);
  r.read();
  r.read();
  const auto& ps = r.read();
  CHECK(r.reader.held_files() == 2);
  for (pid_t pid : kids.pids) {
    REQUIRE(find(ps, pid));
    CHECK(find(ps, pid)->ppid == ::getpid());
  }
  auto none = open_reader(0);
  none.read();
  none.read();
  CHECK(none.reader.held_files() == 0);
  for (pid_t pid : kids.pids) CHECK(find(none.read(), pid));
}

TEST_CASE("stat reader: a process that exits leaves, and its held file is closed") {
  nsdebug::sys::raise_open_file_limit();  // room for every process of a busy machine
  auto r = open_reader(std::size_t{1} << 20);
  pid_t gone;
  {
    Sleepers kid(1);
    gone = kid.pids[0];
    r.read();
    r.read();
    REQUIRE(find(r.read(), gone));
    REQUIRE(holds_file_of(gone));
  }
  CHECK_FALSE(find(r.read(), gone));
  CHECK_FALSE(holds_file_of(gone));
}

TEST_CASE("stat reader: a uid changed by an idle process shows within the sweep") {
  if (::geteuid() != 0) {
    WARN("skipped: needs root to become another uid");
    return;
  }
  Sleepers kid(1);
  pid_t pid = kid.pids[0];
  auto r = open_reader(1000);
  r.read();
  r.read();  // no longer young
  REQUIRE(find(r.read(), pid)->uid == 0);
  REQUIRE(::kill(pid, SIGUSR1) == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // The handler ran (schedstat moved), but a setuid costs far less than a clock tick and
  // faults nothing, so stat may not move: the sweep (1 in 32 a read) must still find it.
  uid_t seen = 0;
  for (int i = 0; i < 33 && seen != 65534; ++i) seen = find(r.read(), pid)->uid;
  CHECK(seen == 65534);
}
