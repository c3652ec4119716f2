#pragma once
// The process table's reads for a face that looks again and again (core/pod/process_table.h).
//
// A process seen for the first time is read whole (core/proc/procfs.h's PidsReader: libproc2
// selects it and gives its ids, and its stat and statm are parsed as ps parses them). After that
// the reader asks the kernel the cheapest question first. For a process of one thread that is
// /proc/PID/schedstat, which the kernel writes in a third of the time it takes for stat: if
// the thread has not been on a CPU since the last look, nothing stat shows has changed, and
// the row from the last read stands. A process that ran, or has several threads (schedstat
// counts the main one only), has stat read again; statm and the owner of /proc/PID are read
// again only when stat moved (ticks, faults, state, threads, size). What neither file flags
// (a parent that left, a renice from outside, a setuid in less than a tick) is caught by
// looking up the children of processes that left and by reading 1 process in 32 whole at
// every read, so no row is staler than 32 reads.
//
// The file asked is kept open and read again from offset 0: one pread instead of an open, a
// read and a close. An open /proc file names its process for ever: once that process is
// reaped it reads ESRCH, even if its PID is in use again. Each costs a descriptor and, in the
// kernel, a struct file and a page for its text (charged to our memory cgroup), so the reader
// holds at most `max_held_files`; processes past that are read through their paths.
#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <vector>

#include "core/base/error.h"
#include "core/proc/process.h"
#include "core/proc/procfs.h"

namespace nsdebug {

class StatReader {
 public:
  static Result<StatReader> open(std::size_t max_held_files);
  StatReader(StatReader&&) noexcept;
  StatReader& operator=(StatReader&&) noexcept;
  ~StatReader();

  // Every process (not thread), sorted by pid, with its stat fields, effective ids and
  // resident size; argv, mnt_ns and the status fields are left unset. `before` is what the
  // last read returned (sorted by pid; other fields may have been filled in since): a row of a
  // process that has not run since is taken from it. A process that exits while being read is
  // skipped; only an unreadable /proc is an error.
  Result<std::vector<Process>> read(const std::vector<Process>& before);
  // What a process seen for the first time needs beyond stat (core/proc/procfs.h read_details).
  void complete(Process& p, const ReadOptions& options) const;

  // How many stat files are held open now.
  std::size_t held_files() const;

 private:
  struct Impl;
  explicit StatReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace nsdebug
