#pragma once
// One process held by a pidfd, so that a recycled PID is never hit, and waiting for processes
// to exit (kill --wait, --timeout). `nsdebug kill` and the TUI's kill menu both run this code.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/error.h"
#include "core/base/unique_fd.h"

namespace nsdebug {

// The /proc/PID/stat fields a handle and the guards need.
struct StatFields {
  char state = '?';
  pid_t ppid = 0;
  std::uint64_t start_ticks = 0;
};
std::optional<StatFields> parse_stat(std::string_view text);

// One process, named for ever by a pidfd. Opened on a PID from a listing and checked against
// the start time that listing saw, so a PID recycled since is refused (ESRCH), never hit.
class ProcessHandle {
 public:
  // ESRCH ("gone") when the process that started at `start_ticks` is no longer `pid`.
  static Result<ProcessHandle> open(pid_t pid, std::uint64_t start_ticks);
  // Whoever holds `pid` now (a PID the user typed): the pidfd first, then its start time.
  static Result<ProcessHandle> open_current(pid_t pid);
  // A pidfd the caller checked itself. A test's fake ProcessBoundary passes none (-1): its
  // handles never reach the kernel.
  static ProcessHandle adopt(UniqueFd fd, pid_t pid, std::uint64_t start_ticks) {
    return ProcessHandle(std::move(fd), pid, start_ticks);
  }

  pid_t pid() const { return pid_; }
  std::uint64_t start_ticks() const { return start_ticks_; }
  int fd() const { return fd_.get(); }

  // Exited, a zombie or reaped: the pidfd polls readable.
  bool exited() const;
  // ESRCH when it has exited: a zombie accepts every signal and drops it, so kill(2) would
  // report success for nothing.
  Result<void> send(int sig) const;

 private:
  ProcessHandle(UniqueFd fd, pid_t pid, std::uint64_t start_ticks)
      : fd_(std::move(fd)), pid_(pid), start_ticks_(start_ticks) {}
  UniqueFd fd_;
  pid_t pid_ = 0;
  std::uint64_t start_ticks_ = 0;
};

// Waits until all have exited or `timeout` (nullopt: no limit) passed; the indexes of those
// still running.
std::vector<std::size_t> wait_for_exit(std::span<const ProcessHandle* const> handles,
                                       std::optional<std::chrono::milliseconds> timeout);

// --wait / --timeout: wait up to `grace` (nullopt: no limit); with `then_kill`, send KILL to
// those still running and wait up to that much longer.
struct StopResult {
  std::vector<std::size_t> killed;  // escalated to KILL
  std::vector<std::pair<std::size_t, Error>> kill_failed;
  std::vector<std::size_t> running;  // still running at the end
};
StopResult wait_and_escalate(std::span<const ProcessHandle* const> handles,
                             std::optional<std::chrono::milliseconds> grace,
                             std::optional<std::chrono::milliseconds> then_kill);

}  // namespace nsdebug
