#pragma once
// The guards around `nsdebug kill`: PID 1, the pod sandbox, nsdebug itself, the processes
// that started it and the main process of its own container are refused without --force,
// each with what the signal would do (as facts: GuardCase); and why the kernel said EPERM.
// `nsdebug kill` and the TUI's kill menu both run this code.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/proc/access.h"
#include "core/base/error.h"

namespace nsdebug {

// SigIgn and SigCgt of /proc/PID/status: bit n-1 is signal n.
struct SignalMasks {
  std::uint64_t ignored = 0;
  std::uint64_t caught = 0;
};
std::optional<SignalMasks> parse_signal_masks(std::string_view status_text);

// own_main: the main process of the container nsdebug runs in. When it exits the runtime
// stops that container and, with a shared PID namespace, kills its other processes: nsdebug
// among them, part-way through its list (`kubectl exec` makes nsdebug no child of it).
enum class GuardReason { none, self, ancestor, sandbox, init, own_main };

struct GuardFacts {
  pid_t pid = 0;                     // as our /proc names it
  bool sandbox = false;              // its container is the pod sandbox
  pid_t self = 0;                    // nsdebug's own pid
  std::span<const pid_t> ancestors;  // nsdebug's parent chain (parent first)
  pid_t own_main = 0;                // main process of nsdebug's container; 0: unknown
};
GuardReason guard_reason(const GuardFacts& facts);
// A few words for a listing: "nsdebug itself", "it started nsdebug", ...
std::string guard_word(GuardReason g);

// Would a namespace init receive `sig`? The kernel drops a signal whose handler is SIG_DFL
// when it is sent to an init (SIGNAL_UNKILLABLE), except KILL and STOP sent from an ancestor
// namespace (sig_task_ignored()); so from inside a pod only handled signals reach PID 1.
bool init_receives(int sig, const SignalMasks& masks, bool from_ancestor_namespace);

// A refusal without --force, as facts: which guard, the process, what it is, and for an init
// whether the signal would reach it. The faces word it (core/signals/guard_words.h).
struct GuardCase {
  GuardReason reason = GuardReason::none;
  pid_t pid = 0;
  std::string container;  // its container's name, may be empty
  int sig = 0;
  std::optional<bool> delivered;  // for an init: would the kernel deliver `sig`
};

// Why a signalled process may still run: stopped (a stop signal holds it; every signal but
// KILL waits until it continues) or traced (its tracer decides). From /proc/PID/status's State
// and TracerPid, and stat's exit_code (field 52: the stop signal, shown to a ptrace-capable
// reader only, else 0).
struct HeldState {
  bool stopped = false;  // State T or t
  int stop_signal = 0;   // 0: not known
  pid_t tracer = 0;      // TracerPid; 0: not traced
};
std::optional<HeldState> parse_held_state(std::string_view status_text, std::string_view stat_text);
std::optional<HeldState> read_held_state(pid_t pid);
// "stopped by SIGSTOP", "traced by PID 42"; empty when neither.
std::string describe_held(const HeldState& h);

// kill(2) is allowed when our real or effective uid is the target's real or saved uid, or we
// hold CAP_KILL (kill_ok_by_cred()). Turns an EPERM into an Error that says which.
Error explain_kill_denied(Error e, const Credentials& self, const Credentials& target);
// Reads /proc/self/status and /proc/PID/status (world-readable) and explains.
Error explain_kill_denied(Error e, pid_t target);

}  // namespace nsdebug
