#pragma once
// Reading /proc: the libproc2 adapter plus the few per-pid files libproc2 has no item for.
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/process.h"

namespace nsdebug {

struct ReadOptions {
  // Also read /proc/PID/status for real uid/gid and NSpid. Costs one more file per process,
  // so only the columns and modes that need it ask for it.
  bool status = false;
};

// Every process (not thread) in our /proc, sorted by pid. A process that exits while being
// read is skipped, never an error; only an unreadable /proc is.
Result<std::vector<Process>> read_processes(const ReadOptions& options);

// libproc2's handle kept across reads, for a table that refreshes (core/process_table.h). It
// reads /proc/PID/stat and stats /proc/PID, never the command line: a process seen before
// keeps the one read when it was new (complete()).
class StatReader {
 public:
  static Result<StatReader> open();
  StatReader(StatReader&&) noexcept;
  StatReader& operator=(StatReader&&) noexcept;
  ~StatReader();
  // Every process (not thread), sorted by pid, with its stat fields; argv, mnt_ns and the
  // status fields are left unset.
  Result<std::vector<Process>> read();
  // What a process seen for the first time needs beyond stat: its command line and mount
  // namespace, and with options.status its real ids and NSpid.
  void complete(Process& p, const ReadOptions& options) const;

 private:
  struct Impl;
  explicit StatReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A whole small /proc file ("/proc/PID/NAME"). Errors keep errno (ENOENT/ESRCH: gone).
Result<std::string> read_proc_file(pid_t pid, const char* name);

// A whole small file relative to a directory fd, at most `limit` bytes.
Result<std::string> read_small_file(int dirfd, const char* path, std::size_t limit = 1 << 20);

// Everything readable from an open fd, at most `limit` bytes.
Result<std::string> read_fd(int fd, std::size_t limit = 1 << 20);

// Seconds since boot (/proc/uptime), and the clock tick rate.
double uptime_seconds();
long clock_ticks_per_second();

// False when /proc belongs to another PID namespace than ours (nsenter --pid without
// --mount-proc): its PIDs would then not be the ones pidfd_open and kill(2) understand.
bool proc_matches_our_pid_namespace();

}  // namespace nsdebug
