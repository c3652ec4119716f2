// read_processes lists through libproc2 and parses stat and statm itself
// (core/proc/proc_parse_stat.cc). libproc2's own readers, asked for the same fields of the same
// real processes, must agree on every one.
#include <catch2/catch.hpp>

#include <libproc2/pids.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <set>
#include <string>

#include "core/proc/procfs.h"

using nsdebug::Process;

namespace {

// What libproc2 says of each process, with its stat2proc and statm readers.
std::map<pid_t, Process> libproc2_read() {
  std::array items{PIDS_ID_PID,   PIDS_ID_PPID,  PIDS_STATE,      PIDS_ID_EUID,  PIDS_ID_EGID,
                   PIDS_MEM_RES,  PIDS_VSIZE_BYTES, PIDS_TICS_ALL, PIDS_TICS_BEGAN, PIDS_CMD,
                   PIDS_NICE,     PIDS_NLWP,     PIDS_ID_SESSION, PIDS_ID_PGRP,  PIDS_ID_TPGID,
                   PIDS_SCHED_CLASS};
  pids_info* info = nullptr;
  REQUIRE(procps_pids_new(&info, items.data(), static_cast<int>(items.size())) == 0);
  std::map<pid_t, Process> out;
  while (const pids_stack* stack = procps_pids_get(info, PIDS_FETCH_TASKS_ONLY)) {
    auto* h = stack->head;
    Process p;
    p.pid = h[0].result.s_int;
    p.ppid = h[1].result.s_int;
    p.state = h[2].result.s_ch;
    p.uid = h[3].result.u_int;
    p.gid = h[4].result.u_int;
    p.rss_kb = h[5].result.ul_int;
    p.vsz_kb = h[6].result.ul_int / 1024;
    p.cpu_ticks = h[7].result.ull_int;
    p.start_ticks = h[8].result.ull_int;
    p.comm = h[9].result.str ? h[9].result.str : "";
    p.nice = h[10].result.s_int;
    p.threads = h[11].result.s_int;
    p.session = h[12].result.s_int;
    p.pgrp = h[13].result.s_int;
    p.tpgid = h[14].result.s_int;
    p.policy = h[15].result.s_int;
    out.emplace(p.pid, std::move(p));
  }
  procps_pids_unref(&info);
  return out;
}

bool same_fields(const Process& a, const Process& b) {
  return a.ppid == b.ppid && a.state == b.state && a.uid == b.uid && a.gid == b.gid &&
         a.rss_kb == b.rss_kb && a.vsz_kb == b.vsz_kb && a.cpu_ticks == b.cpu_ticks &&
         a.start_ticks == b.start_ticks && a.nice == b.nice && a.threads == b.threads &&
         a.session == b.session && a.pgrp == b.pgrp && a.tpgid == b.tpgid &&
         a.policy == b.policy;
}

// libproc2 escapes comm (a control byte as '.', a byte >= 0x80 as '?'); ours is raw.
bool plain_comm(const std::string& comm) {
  return std::ranges::all_of(comm, [](char c) { return c >= 0x20 && c < 0x7f && c != '?' && c != '.'; });
}

// The pids whose fields ours and libproc2's disagree on, among those that stayed put between
// libproc2's two reads; `compared` counts those. A field that moves and moves back between the
// reads (a busy kernel thread's state: S, R, S) looks like a disagreement once: a real one is
// there every time.
std::set<pid_t> disagreeing(std::size_t& compared) {
  auto before = libproc2_read();
  auto ours = nsdebug::read_processes({});
  auto after = libproc2_read();
  REQUIRE(ours);
  std::set<pid_t> out;
  compared = 0;
  for (const Process& p : *ours) {
    auto b = before.find(p.pid), a = after.find(p.pid);
    if (b == before.end() || a == after.end()) continue;  // born or gone during the reads
    if (!same_fields(b->second, a->second)) continue;     // moved between libproc2's reads
    INFO("pid " << p.pid << " comm " << p.comm);
    if (!same_fields(p, b->second)) out.insert(p.pid);
    if (plain_comm(p.comm)) CHECK(p.comm == b->second.comm);
    ++compared;
  }
  // And nobody listed by libproc2 both times is missing from ours.
  for (const auto& [pid, p] : before)
    if (after.contains(pid) && after.at(pid).start_ticks == p.start_ticks)
      CHECK(std::ranges::find(*ours, pid, &Process::pid) != ours->end());
  return out;
}

}  // namespace

TEST_CASE("read_processes agrees with libproc2's stat and statm readers on every process") {
  std::size_t compared = 0;
  std::set<pid_t> differ = disagreeing(compared);
  // Every process that stayed put: the machine has dozens (kernel threads included).
  CHECK(compared >= 20);
  for (int round = 0; round < 3 && !differ.empty(); ++round) {
    std::size_t again = 0;
    std::set<pid_t> now = disagreeing(again), both;
    std::ranges::set_intersection(differ, now, std::inserter(both, both.begin()));
    differ = std::move(both);
  }
  INFO("pids that disagree in every round: " << differ.size());
  CHECK(differ.empty());
}

// The mount namespace is read from the link's text; stat of the link's target is the
// reference (st_ino), for us and for a child in a mount namespace of its own.
TEST_CASE("read_processes gives each process the inode of its mount namespace") {
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  pid_t child = ::fork();
  if (child == 0) {
    bool ok = ::unshare(CLONE_NEWNS) == 0;
    (void)!::write(ready[1], ok ? "y" : "n", 1);
    for (;;) ::pause();
  }
  char answer = 0;
  REQUIRE(::read(ready[0], &answer, 1) == 1);
  REQUIRE(answer == 'y');
  auto ino_of = [](pid_t pid) {
    struct stat st {};
    REQUIRE(::stat(("/proc/" + std::to_string(pid) + "/ns/mnt").c_str(), &st) == 0);
    return static_cast<std::uint64_t>(st.st_ino);
  };
  auto ours = nsdebug::read_processes({});
  const auto child_ino = ino_of(child), own_ino = ino_of(::getpid());
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  ::close(ready[0]);
  ::close(ready[1]);
  REQUIRE(ours);
  auto find = [&](pid_t pid) { return std::ranges::find(*ours, pid, &Process::pid); };
  REQUIRE(find(::getpid()) != ours->end());
  REQUIRE(find(child) != ours->end());
  CHECK(find(::getpid())->mnt_ns == own_ino);
  CHECK(find(child)->mnt_ns == child_ino);
  CHECK(child_ino != own_ino);
}
