#pragma once
// One consistent-enough look at the process table: processes and the containers they form.
#include <sys/types.h>

#include <vector>

#include "core/containers/container.h"
#include "core/base/error.h"
#include "core/proc/procfs.h"
#include "core/proc/process.h"

namespace nsdebug {

struct Snapshot {
  std::vector<Process> processes;   // sorted by pid
  std::vector<Container> containers;
  double uptime_s = 0;              // when the snapshot was taken
  double boot_epoch = 0;            // /proc/stat's btime: whole seconds, as ps has it

  const Process* find(pid_t pid) const;
  const Container* container_of(const Process& p) const;
  double elapsed_s(const Process& p) const;
  double start_epoch(const Process& p) const;
};

// /proc/stat's btime (whole seconds, as ps has it), else now - uptime.
double read_boot_epoch(double uptime_s);

Result<Snapshot> take_snapshot(const ReadOptions& options = {});

}  // namespace nsdebug
