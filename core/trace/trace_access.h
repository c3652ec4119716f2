#pragma once
// Why the kernel refused to let us trace a process, and the fix: already traced (one tracer
// at a time), no CAP_SYS_PTRACE over a process of another user, Yama's ptrace_scope, a seccomp
// filter that refuses ptrace.
#include <sys/types.h>

#include <optional>
#include <string_view>

#include "core/base/error.h"

namespace nsdebug {

struct TraceFacts {
  pid_t tracer = 0;                   // TracerPid of the target
  std::optional<int> yama_scope;      // /proc/sys/kernel/yama/ptrace_scope; none without Yama
  bool have_sys_ptrace = false;       // CAP_SYS_PTRACE in our effective set
  bool same_user = false;             // our uid is the target's (real, effective and saved)
  bool seccomp_filtered = false;      // Seccomp: 2 in our status
  std::string_view why_no_access;     // core/proc/access.h's reason, when it has one
};

// Pure. The error for an EPERM (or EBUSY) from PTRACE_SEIZE of `pid`, from the facts.
Error explain_trace_denied(pid_t pid, const TraceFacts& facts);

// Reads the facts from /proc and explains; ESRCH and others pass through with their own words.
Error explain_trace_failure(int err, pid_t pid);

}  // namespace nsdebug
