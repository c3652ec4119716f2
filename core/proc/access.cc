#include "core/proc/access.h"

#include <fcntl.h>
#include <linux/capability.h>

#include <array>

#include <fmt/format.h>

#include "core/proc/proc_parse.h"
#include "core/proc/procfs.h"
#include "core/base/sys.h"

namespace nsdebug {
namespace {

constexpr std::uint64_t bit(int cap) { return std::uint64_t{1} << cap; }

constexpr std::array<const char*, 41> kCapNames{
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID",
    "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN",
    "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE",
    "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
    "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
    "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ",
    "PERFMON", "BPF", "CHECKPOINT_RESTORE"};

constexpr const char* kPtraceFix =
    "add SYS_PTRACE to the debug container (securityContext.capabilities.add: [SYS_PTRACE], "
    "or kubectl debug --profile=general)";

bool ids_match(const Credentials& self, const Credentials& t) {
  return self.fsuid == t.ruid && self.fsuid == t.euid && self.fsuid == t.suid &&
         self.fsgid == t.rgid && self.fsgid == t.egid && self.fsgid == t.sgid;
}

}  // namespace

std::optional<Credentials> credentials_of(const char* pid_dir) {
  auto text = read_small_file(AT_FDCWD, fmt::format("/proc/{}/status", pid_dir).c_str());
  if (!text) return std::nullopt;
  auto s = parse_status(*text);
  if (!s) return std::nullopt;
  return Credentials{s->ruid, s->euid, s->suid, s->fsuid, s->rgid, s->egid,
                     s->sgid, s->fsgid, s->cap_eff, s->cap_prm};
}

std::string capability_names(std::uint64_t caps) {
  std::string out;
  for (std::size_t i = 0; i < kCapNames.size(); ++i) {
    if (!(caps & bit(static_cast<int>(i)))) continue;
    if (!out.empty()) out += ',';
    out += "CAP_";
    out += kCapNames[i];
  }
  return out;
}

AccessExplanation explain_access_denied(const Credentials& self, const Credentials& target,
                                        uid_t target_uid) {
  if (self.cap_eff & bit(CAP_SYS_PTRACE))
    return {"denied although we hold CAP_SYS_PTRACE: the process is in another user "
            "namespace, or an LSM (AppArmor, SELinux, Yama) forbids it",
            "run nsdebug in the target's user namespace, or check the security profile"};
  if (!ids_match(self, target))
    return {fmt::format("it runs as uid {} and nsdebug as uid {}, without CAP_SYS_PTRACE",
                        target.euid, self.fsuid),
            fmt::format("{}; or run the debug container as the same user "
                        "(securityContext.runAsUser: {})",
                        kPtraceFix, target_uid)};
  if (std::uint64_t extra = target.cap_prm & ~self.cap_eff)
    return {fmt::format("it holds capabilities nsdebug lacks ({}), and nsdebug has no "
                        "CAP_SYS_PTRACE",
                        capability_names(extra)),
            kPtraceFix};
  return {"it is not dumpable (setuid, or prctl(PR_SET_DUMPABLE, 0)) and nsdebug has no "
          "CAP_SYS_PTRACE",
          kPtraceFix};
}

AccessExplanation explain_access_denied(pid_t pid) {
  auto self = credentials_of("self");
  auto target = credentials_of(std::to_string(pid).c_str());
  if (!self || !target) return {};
  return explain_access_denied(*self, *target, target->euid);
}

Error explain(Error e, pid_t target) {
  if (e.code != EACCES && e.code != EPERM) return e;
  auto x = explain_access_denied(target);
  if (x.why.empty()) return e;
  e.why = "permission denied: " + x.why;
  e.hint = x.hint;
  return e;
}

// EPERM from the probe means it exists.
std::string why_not_listed(pid_t pid) {
  auto probe = sys::probe_signal(pid);
  if (probe || probe.error().code == EPERM)
    return "not in /proc: the process exists, but /proc hides it from nsdebug";
  return "no such process";
}

}  // namespace nsdebug
