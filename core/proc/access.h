#pragma once
// Why we may not look inside a process (/proc/PID/root, environ, fd...), and the fix.
// The kernel's rule (ptrace_may_access with PTRACE_MODE_READ_FSCREDS): our fsuid matches the
// target's real, effective and saved uid (gids likewise) and the target's permitted
// capabilities are a subset of our effective ones, and it is dumpable; or we hold
// CAP_SYS_PTRACE in its user namespace.
#include <sys/types.h>

#include <optional>
#include <string>

#include "core/base/error.h"

namespace nsdebug {

struct Credentials {
  uid_t ruid = 0, euid = 0, suid = 0, fsuid = 0;
  gid_t rgid = 0, egid = 0, sgid = 0, fsgid = 0;
  std::uint64_t cap_eff = 0, cap_prm = 0;
};

// From /proc/PID_DIR/status (world-readable); PID_DIR a PID or "self". nullopt when gone.
std::optional<Credentials> credentials_of(const char* pid_dir);

struct AccessExplanation {
  std::string why;   // "it runs as uid 101 and we run as uid 0 without CAP_SYS_PTRACE"
  std::string hint;  // "add SYS_PTRACE to the debug container: ..."
};

// Pure: why `self` may not ptrace-read `target`.
AccessExplanation explain_access_denied(const Credentials& self, const Credentials& target,
                                        uid_t target_uid_for_hint);

// Reads /proc/self/status and /proc/PID/status and explains; empty why when unknown.
AccessExplanation explain_access_denied(pid_t target);

// Turn an EACCES/EPERM from reading inside PID into an Error that says why and how to fix.
Error explain(Error e, pid_t target);

// Why PID is missing from /proc as we see it: "no such process", or, when kill(2) finds it all
// the same, that /proc hides it (hidepid: other users' processes are left out, silently).
std::string why_not_listed(pid_t pid);

// "CAP_SYS_ADMIN,CAP_NET_ADMIN" for the bits of `caps`.
std::string capability_names(std::uint64_t caps);

}  // namespace nsdebug
