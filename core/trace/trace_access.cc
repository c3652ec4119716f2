#include "core/trace/trace_access.h"

#include <fmt/format.h>
#include <fcntl.h>
#include <unistd.h>

#include "core/proc/access.h"
#include "core/proc/procfs.h"

namespace nsdebug {
namespace {

constexpr int kCapSysPtrace = 19;
constexpr const char* kAddCap =
    "add SYS_PTRACE to the debug container (securityContext.capabilities.add: [SYS_PTRACE]; "
    "kubectl debug --profile=general does)";

std::optional<long> status_number(std::string_view status, std::string_view key) {
  auto at = status.find("\n" + std::string(key) + ":");
  if (at == std::string_view::npos) return std::nullopt;
  at += key.size() + 2;
  while (at < status.size() && (status[at] == ' ' || status[at] == '\t')) ++at;
  long v = 0;
  bool any = false;
  for (; at < status.size() && status[at] >= '0' && status[at] <= '9'; ++at, any = true)
    v = v * 10 + (status[at] - '0');
  return any ? std::optional(v) : std::nullopt;
}

}  // namespace

Error explain_trace_denied(pid_t pid, const TraceFacts& f) {
  std::string what = fmt::format("trace {}", pid);
  if (f.tracer > 0)
    return {EPERM, what, fmt::format("already traced by PID {}", f.tracer),
            fmt::format("a process has one tracer at a time: end or detach PID {} (strace, gdb) "
                        "first",
                        f.tracer)};
  if (f.yama_scope && *f.yama_scope >= 3)
    return {EPERM, what, "Yama's ptrace_scope is 3: no process may be traced",
            "the node's kernel.yama.ptrace_scope can only be lowered by rebooting it"};
  if (!f.have_sys_ptrace && f.yama_scope && *f.yama_scope >= 1)
    return {EPERM, what,
            fmt::format("Yama's ptrace_scope is {}: {} without CAP_SYS_PTRACE", *f.yama_scope,
                        *f.yama_scope == 1 ? "only a process's ancestors may trace it"
                                           : "no process may be traced"),
            fmt::format("{}; or on the node: sysctl kernel.yama.ptrace_scope=0", kAddCap)};
  if (!f.have_sys_ptrace && !f.same_user)
    return {EPERM, what,
            f.why_no_access.empty() ? "it runs as another user and we hold no CAP_SYS_PTRACE"
                                    : std::string(f.why_no_access),
            kAddCap};
  if (f.seccomp_filtered)
    return {EPERM, what, "refused, and a seccomp filter confines nsdebug (it may refuse ptrace)",
            "add SYS_PTRACE to the debug container (the runtime's default profile allows "
            "ptrace then), or run it with seccompProfile: Unconfined"};
  return {EPERM, what, "the kernel refused (it is not dumpable, or a security module said no)",
          kAddCap};
}

Error explain_trace_failure(int err, pid_t pid) {
  if (err == ESRCH)
    return {ESRCH, fmt::format("trace {}", pid), "it exited", "'nsdebug ps' lists the pod's processes"};
  if (err != EPERM && err != EBUSY) return {err, fmt::format("trace {}", pid), {}, {}};
  TraceFacts f;
  auto status = read_proc_file(pid, "status");
  if (status) f.tracer = static_cast<pid_t>(status_number(*status, "TracerPid").value_or(0));
  if (auto yama = read_small_file(AT_FDCWD, "/proc/sys/kernel/yama/ptrace_scope"); yama && !yama->empty())
    f.yama_scope = (*yama)[0] - '0';
  auto self = credentials_of("self");
  auto target = credentials_of(std::to_string(pid).c_str());
  f.have_sys_ptrace = self && (self->cap_eff >> kCapSysPtrace & 1);
  f.same_user = self && target && self->euid == target->ruid && self->euid == target->euid &&
                self->euid == target->suid;
  if (auto own = read_small_file(AT_FDCWD, "/proc/self/status"))
    f.seccomp_filtered = status_number(*own, "Seccomp").value_or(0) == 2;
  auto access = explain_access_denied(pid);
  f.why_no_access = access.why;
  return explain_trace_denied(pid, f);
}

}  // namespace nsdebug
