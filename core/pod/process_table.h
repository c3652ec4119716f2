#pragma once
// The process table kept between refreshes, for a face that looks again and again (the TUI).
// `nsdebug ps` takes one look (take_snapshot); this keeps entries keyed by (pid, start time),
// so a known process costs one re-read of /proc/PID/stat (core/proc/stat_reader.h), while its command line, container
// and user names are kept from the refresh that first saw it. CPU% comes from tick deltas.
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/base/error.h"
#include "core/containers/identity.h"
#include "core/pod/snapshot.h"

namespace nsdebug {

struct ProcessTableOptions {
  ReadOptions read;
  bool cgroup_stats = false;  // per container: memory against its limit, OOM kills, throttling
  // /proc/PID/stat files kept open between refreshes (core/proc/stat_reader.h): each spares two
  // syscalls a refresh and costs a file descriptor and a page of kernel memory.
  std::size_t held_files = 0;
};

class ProcessTable {
 public:
  explicit ProcessTable(ProcessTableOptions options = {});
  ~ProcessTable();
  ProcessTable(ProcessTable&&) noexcept;
  ProcessTable& operator=(ProcessTable&&) noexcept;

  // Looks at /proc again. Processes gone since are dropped, new ones read whole; a process
  // that exits while being read is skipped. Fails only when /proc cannot be read at all.
  Result<void> refresh();

  // As of the last refresh: processes sorted by pid, each with cpu_pct set (0 on the first
  // refresh), containers with stable keys.
  const Snapshot& snapshot() const;
  // User and group names per container, cached across refreshes by container key.
  IdentityNames& names();
  // How many refreshes so far.
  std::uint64_t generation() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace nsdebug
