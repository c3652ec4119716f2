#pragma once
// Signals: names and numbers as kill(1) spells them, a process held by a pidfd so that a
// recycled PID is never hit, and the guards around PID 1, the pod sandbox and nsdebug itself.
// `nsdebug kill` and the TUI's kill menu both run this code.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnose.h"
#include "core/error.h"
#include "core/unique_fd.h"

namespace nsdebug {

// ---- names and numbers -------------------------------------------------------
// The real-time range depends on the C library (glibc keeps 32 and 33 for itself: 34..64;
// musl: 35..64), so the parsers take it as a parameter and tests can pin it.
struct SignalRange {
  int rtmin = 34;
  int rtmax = 64;
};
SignalRange host_signal_range();  // SIGRTMIN and SIGRTMAX of the libc nsdebug runs on

// "HUP", "RTMIN+3", "RTMAX-1", "RTMAX"; a number with no name (32, 33) as digits; 0 as "0".
std::string signal_name(int sig, SignalRange range = host_signal_range());

// Every nameable signal in number order, as `kill -l` lists them.
std::vector<int> listed_signals(SignalRange range = host_signal_range());

// "HUP", "sighup", "SIGHUP", "1", "RTMIN+3", "SIGRTMAX-1" -> number; 0 (check only) allowed.
// EINVAL when unknown, with a hint naming the close matches.
Result<int> parse_signal(std::string_view text, SignalRange range = host_signal_range());

// Names close to `text` (same prefix, or a small edit distance), closest first.
std::vector<std::string> similar_signal_names(std::string_view text,
                                              SignalRange range = host_signal_range());

// ---- /proc/PID/stat and status fields a handle and the guards need --------------------
struct StatFields {
  char state = '?';
  pid_t ppid = 0;
  std::uint64_t start_ticks = 0;
};
std::optional<StatFields> parse_stat(std::string_view text);

// SigIgn and SigCgt of /proc/PID/status: bit n-1 is signal n.
struct SignalMasks {
  std::uint64_t ignored = 0;
  std::uint64_t caught = 0;
};
std::optional<SignalMasks> parse_signal_masks(std::string_view status_text);

// ---- guards ------------------------------------------------------------------
enum class GuardReason { none, self, ancestor, sandbox, init };

struct GuardFacts {
  pid_t pid = 0;                     // as our /proc names it
  bool sandbox = false;              // its container is the pod sandbox
  pid_t self = 0;                    // nsdebug's own pid
  std::span<const pid_t> ancestors;  // nsdebug's parent chain (parent first)
};
GuardReason guard_reason(const GuardFacts& facts);

// Would a namespace init receive `sig`? The kernel drops a signal whose handler is SIG_DFL
// when it is sent to an init (SIGNAL_UNKILLABLE), except KILL and STOP sent from an ancestor
// namespace (sig_task_ignored()); so from inside a pod only handled signals reach PID 1.
bool init_receives(int sig, const SignalMasks& masks, bool from_ancestor_namespace);

struct GuardCase {
  GuardReason reason = GuardReason::none;
  pid_t pid = 0;
  std::string container;  // its container's name, may be empty
  int sig = 0;
  std::optional<bool> delivered;  // for an init: would the kernel deliver `sig`
};
// Why `nsdebug kill` refuses without --force: what, why, and the fix.
Error guard_refusal(const GuardCase& c);

// kill(2) is allowed when our real or effective uid is the target's real or saved uid, or we
// hold CAP_KILL (kill_ok_by_cred()). Turns an EPERM into an Error that says which.
Error explain_kill_denied(Error e, const Credentials& self, const Credentials& target);
// Reads /proc/self/status and /proc/PID/status (world-readable) and explains.
Error explain_kill_denied(Error e, pid_t target);

// ---- handles -----------------------------------------------------------------
// One process, named for ever by a pidfd. Opened on a PID from a listing and checked against
// the start time that listing saw, so a PID recycled since is refused (ESRCH), never hit.
class ProcessHandle {
 public:
  // ESRCH ("gone") when the process that started at `start_ticks` is no longer `pid`.
  static Result<ProcessHandle> open(pid_t pid, std::uint64_t start_ticks);

  pid_t pid() const { return pid_; }
  std::uint64_t start_ticks() const { return start_ticks_; }
  int fd() const { return fd_.get(); }

  // Exited, a zombie or reaped: the pidfd polls readable.
  bool exited() const;
  // ESRCH when it has exited: a zombie accepts every signal and drops it, so kill(2) would
  // report success for nothing.
  Result<void> send(int sig) const;
  // Up to `timeout` (nullopt: no limit); true once it has exited.
  bool wait_exit(std::optional<std::chrono::milliseconds> timeout) const;

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

// False when /proc belongs to another PID namespace than ours (nsenter --pid without
// --mount-proc): its PIDs would then not be the ones pidfd_open and kill(2) understand.
bool proc_matches_our_pid_namespace();

}  // namespace nsdebug
