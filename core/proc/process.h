#pragma once
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/proc/argv.h"

namespace nsdebug {

// One process as read from /proc in one snapshot. Plain data.
struct Process {
  pid_t pid = 0;         // as our /proc names it (inside the pod: the pod PID)
  pid_t ppid = 0;        // 0 when the parent is outside our PID namespace
  pid_t host_pid = 0;    // first NSpid value when it differs from pid, else 0
  pid_t tid = 0;         // a thread's row (ps -L): its TID; 0 for a process's row
  char state = '?';      // R S D Z T t X I
  uid_t uid = 0;         // effective (owner of /proc/PID)
  gid_t gid = 0;         // effective
  std::optional<uid_t> ruid;  // real ids: only when the snapshot read status
  std::optional<gid_t> rgid;
  int nice = 0;
  int threads = 1;
  pid_t session = 0, pgrp = 0, tpgid = -1;  // tpgid: foreground group of its terminal
  std::uint64_t rss_kb = 0;       // resident, as procps ps shows it (statm or VmRSS)
  std::optional<std::uint64_t> locked_kb;  // VmLck: only when the snapshot read it
  int policy = 0;                 // scheduling policy (SCHED_OTHER 0, FIFO 1, RR 2, ...)
  int priority = 0;               // stat's priority: prio - 100 (ps -o priority)
  int processor = 0;              // the CPU it last ran on (ps -o psr)
  int tty_nr = 0;                 // controlling terminal's device number, 0 for none
  std::uint64_t vsz_kb = 0;
  std::uint64_t cpu_ticks = 0;    // utime + stime
  double cpu_pct = 0;             // since the previous refresh (ProcessTable); 100 = one core
  std::uint64_t start_ticks = 0;  // since boot; with pid, names this process for ever
  std::string comm;
  Argv argv;                      // empty for kernel threads and zombies
  std::uint64_t mnt_ns = 0;       // 0 when /proc/PID/ns/mnt is not readable from here
  int container = -1;             // index into Snapshot::containers

  bool is_kernel_thread() const { return argv.empty() && state != 'Z' && ppid == 2; }
};

}  // namespace nsdebug
