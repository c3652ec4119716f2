#pragma once
// The guards around `nsdebug kill`: PID 1, the pod sandbox and nsdebug itself are refused
// without --force, each with what the signal would do; and why the kernel said EPERM.
// `nsdebug kill` and the TUI's kill menu both run this code.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/diagnose.h"
#include "core/error.h"

namespace nsdebug {

// SigIgn and SigCgt of /proc/PID/status: bit n-1 is signal n.
struct SignalMasks {
  std::uint64_t ignored = 0;
  std::uint64_t caught = 0;
};
std::optional<SignalMasks> parse_signal_masks(std::string_view status_text);

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

}  // namespace nsdebug
