#pragma once
// Reading /proc: the libproc2 adapter, and the one reader of /proc/PID files (as htop's process
// table): the listing, the stat reader's refreshes (core/proc/stat_reader.h) and every read of one
// process's file elsewhere in core (a handle's start time, PID 1's signal masks, a container's
// cgroup, a doctor's probe) go through here.
#include <sys/types.h>

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"
#include "core/base/unique_fd.h"
#include "core/proc/proc_parse.h"
#include "core/proc/process.h"

namespace nsdebug {

struct ReadOptions {
  // Also read /proc/PID/status for real uid/gid and NSpid. Costs one more file per process,
  // so only the columns and modes that need it ask for it.
  bool status = false;
  // Read the resident and locked sizes from /proc/PID/status (VmRSS, VmLck: STAT's L) rather
  // than the resident size alone from statm: a longer file, so only the stat column asks.
  bool locked = false;
};

// Every process (not thread) in our /proc, sorted by pid. A process that exits while being
// read is skipped, never an error; only an unreadable /proc is.
Result<std::vector<Process>> read_processes(const ReadOptions& options);

// The error of a /proc that lists no process at all, not even us (the commands check for a
// procfs on /proc first, core/proc/proc_mount.h: this is what is left when that check passed).
Error empty_process_table(int code);

// libproc2's handle kept across reads, for a table that refreshes (core/proc/stat_reader.h): it
// reads the processes it is given as read_processes does, but for the command line.
class PidsReader {
 public:
  static Result<PidsReader> open();
  PidsReader(PidsReader&&) noexcept;
  PidsReader& operator=(PidsReader&&) noexcept;
  ~PidsReader();
  // The processes among `pids` that still exist, with their stat fields, effective ids and
  // resident size (statm); argv, mnt_ns and the status fields are left unset.
  std::vector<Process> read(std::span<const pid_t> pids);

 private:
  struct Impl;
  explicit PidsReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// /proc/PID/stat (relative to `proc_fd`, an open /proc) as a Process: ids, state, raw comm,
// ticks, start, sizes but the resident one. nullopt when the process has gone.
std::optional<Process> read_stat(int proc_fd, pid_t pid);
Process process_from_stat(pid_t pid, const StatLine& line);

// ps -L: one row a thread of the listed process `p`, by TID: p's fields, with each thread's own
// from /proc/PID/task/TID/stat (tid, comm, state, CPU time, nice, priority, CPU). Read through
// p's /proc/PID directory after checking its start time, so a recycled PID gives no rows; a
// process that exited gives none either.
std::vector<Process> read_thread_rows(int proc_fd, const Process& p);

// The thread IDs in DIR/task (DIR an open /proc/PID), sorted; empty when it cannot be listed.
std::vector<pid_t> task_ids(int dir);

// statm's resident size in KiB, procps ps's RSS. nullopt when the process has gone.
std::optional<std::uint64_t> read_resident_kb(int proc_fd, pid_t pid);
std::uint64_t page_kb();

// How much of /proc/PID/cmdline a process keeps; a longer one is marked Argv::truncated.
inline constexpr std::size_t kArgvLimit = std::size_t{1} << 20;

// What a process seen for the first time needs beyond stat: its command line and mount
// namespace, and with options.status its real ids and NSpid. `proc_fd` is /proc.
void read_details(int proc_fd, Process& p, const ReadOptions& options);

// /proc/PID/NAME relative to `proc_fd` (an open /proc), opened to read; invalid when gone.
UniqueFd open_pid_file(int proc_fd, pid_t pid, const char* name);
// A file the kernel writes whole at the first read (stat, statm, schedstat), in one read into
// `buf`. nullopt when the process has gone.
std::optional<std::string_view> read_pid_file_once(int proc_fd, pid_t pid, const char* name,
                                                   std::span<char> buf);

// The files core reads of one process on demand, by PID through /proc. A caller that must not
// read a recycled PID's process holds a pidfd first and checks the start time after
// (core/proc/process_handle.h).
enum class PidFile { stat, status, cgroup, mountinfo, environ, wchan };
// The whole file. Errors keep errno (ENOENT/ESRCH: gone).
Result<std::string> read_pid_file(pid_t pid, PidFile file);
// /proc/PID/stat parsed; nullopt when the process has gone.
std::optional<StatLine> read_stat_line(pid_t pid);

// Any other /proc/PID/NAME, whole (the inspect page reads many, "net/tcp" among them).
// Errors keep errno (ENOENT/ESRCH: gone).
Result<std::string> read_proc_file(pid_t pid, const char* name);

// A whole small file relative to a directory fd, at most `limit` bytes.
Result<std::string> read_small_file(int dirfd, const char* path, std::size_t limit = 1 << 20);

// Everything readable from an open fd, at most `limit` bytes.
Result<std::string> read_fd(int fd, std::size_t limit = 1 << 20);

// kernel.pid_max: every PID is below it. nullopt when it cannot be read.
std::optional<pid_t> pid_max();

// Seconds since boot (/proc/uptime), and the clock tick rate.
double uptime_seconds();
long clock_ticks_per_second();

// False when /proc belongs to another PID namespace than ours (nsenter --pid without
// --mount-proc): its PIDs would then not be the ones pidfd_open and kill(2) understand.
bool proc_matches_our_pid_namespace();

}  // namespace nsdebug
