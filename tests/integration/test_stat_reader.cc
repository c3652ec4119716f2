// The table's fast reads (core/stat_reader.h) against libproc2's whole read of the same real
// processes: held stat files, the budget, exits, and a uid changed while idle.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ranges>
#include <thread>
#include <vector>

#include "core/procfs.h"
#include "core/stat_reader.h"

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

std::vector<Process> read_all(StatReader& r) {
  auto ps = r.read();
  REQUIRE(ps);
  return std::move(*ps);
}

}  // namespace

TEST_CASE("stat reader: known processes read from held files agree with libproc2's whole read") {
  Sleepers kids(5);
  auto reader = StatReader::open(1000);
  REQUIRE(reader);
  read_all(*reader);                // first look: libproc2
  auto again = read_all(*reader);   // second: the held files
  auto third = read_all(*reader);   // third: held, and no longer young
  auto whole = nsdebug::read_processes({});
  REQUIRE(whole);
  CHECK(std::ranges::is_sorted(third, {}, &Process::pid));
  for (pid_t pid : kids.pids) {
    const Process* fast = find(third, pid);
    const Process* full = find(*whole, pid);
    REQUIRE(fast);
    REQUIRE(full);
    // The second read looked at every owner and size again (young): comm survives that.
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
  CHECK(reader->held_files() >= kids.pids.size());
}

TEST_CASE("stat reader: past its budget it reads through paths, and misses nobody") {
  Sleepers kids(6);
  auto reader = StatReader::open(2);
  REQUIRE(reader);
  read_all(*reader);
  auto ps = read_all(*reader);
  CHECK(reader->held_files() == 2);
  for (pid_t pid : kids.pids) {
    REQUIRE(find(ps, pid));
    CHECK(find(ps, pid)->ppid == ::getpid());
  }
  auto none = StatReader::open(0);
  REQUIRE(none);
  read_all(*none);
  read_all(*none);
  CHECK(none->held_files() == 0);
}

TEST_CASE("stat reader: a process that exits leaves, and its held file is closed") {
  auto reader = StatReader::open(1000);
  REQUIRE(reader);
  pid_t gone;
  std::size_t held_with_it;
  {
    Sleepers kid(1);
    gone = kid.pids[0];
    read_all(*reader);
    REQUIRE(find(read_all(*reader), gone));
    held_with_it = reader->held_files();
  }
  auto ps = read_all(*reader);
  CHECK_FALSE(find(ps, gone));
  CHECK(reader->held_files() < held_with_it);
}

TEST_CASE("stat reader: a uid changed by an idle process shows within the sweep") {
  if (::geteuid() != 0) {
    WARN("skipped: needs root to become another uid");
    return;
  }
  Sleepers kid(1);
  pid_t pid = kid.pids[0];
  auto reader = StatReader::open(1000);
  REQUIRE(reader);
  read_all(*reader);
  read_all(*reader);  // no longer young
  REQUIRE(find(read_all(*reader), pid)->uid == 0);
  REQUIRE(::kill(pid, SIGUSR1) == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // A setuid costs far less than a clock tick and faults nothing: stat may not move, and the
  // sweep (1 in 32 a read) must still find it within 32 reads.
  uid_t seen = 0;
  for (int i = 0; i < 33 && seen != 65534; ++i) seen = find(read_all(*reader), pid)->uid;
  CHECK(seen == 65534);
}
