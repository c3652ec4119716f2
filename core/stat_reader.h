#pragma once
// The process table's reads for a face that looks again and again (core/process_table.h).
//
// libproc2 reads a process the first time it is seen (core/procfs.h's PidsReader). After that
// the reader keeps /proc/PID/stat open and reads it again from offset 0: one pread a process a
// refresh, instead of the open, read and close (plus statm's three and a stat of /proc/PID)
// that a fresh look costs. The open file names that one process for ever: once it is reaped the
// read fails with ESRCH, even if its PID is in use again. statm and the owner of /proc/PID are
// read again only for a process whose stat moved (it ran for a tick, faulted, changed state or
// threads), and for 1 in 32 of the rest each read, so none is staler than 32 reads.
//
// Each open stat file costs the kernel a struct file and a page for its text (charged to our
// memory cgroup), so the reader holds at most `max_held_files`; processes past that are read
// through their path, as a fresh look would.
#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <vector>

#include "core/error.h"
#include "core/process.h"
#include "core/procfs.h"

namespace nsdebug {

class StatReader {
 public:
  static Result<StatReader> open(std::size_t max_held_files);
  StatReader(StatReader&&) noexcept;
  StatReader& operator=(StatReader&&) noexcept;
  ~StatReader();

  // Every process (not thread), sorted by pid, with its stat fields, effective ids and
  // resident size; argv, mnt_ns and the status fields are left unset. A process that exits
  // while being read is skipped; only an unreadable /proc is an error.
  Result<std::vector<Process>> read();
  // What a process seen for the first time needs beyond stat (core/procfs.h read_details).
  void complete(Process& p, const ReadOptions& options) const;

  // How many stat files are held open now.
  std::size_t held_files() const;

 private:
  struct Impl;
  explicit StatReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace nsdebug
