#include "core/kill_guard.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/capability.h>

#include <algorithm>
#include <charconv>
#include <csignal>

#include "core/proc_parse.h"
#include "core/procfs.h"
#include "core/signals.h"

namespace nsdebug {

std::optional<SignalMasks> parse_signal_masks(std::string_view text) {
  SignalMasks m;
  int found = 0;
  while (!text.empty()) {
    auto nl = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(std::min(nl + 1, text.size()));
    std::uint64_t* into = line.starts_with("SigIgn:")   ? &m.ignored
                          : line.starts_with("SigCgt:") ? &m.caught
                                                        : nullptr;
    if (!into) continue;
    line.remove_prefix(7);
    line.remove_prefix(std::min(line.find_first_not_of(" \t"), line.size()));
    auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), *into, 16);
    if (ec != std::errc()) return std::nullopt;
    ++found;
  }
  if (found != 2) return std::nullopt;
  return m;
}

GuardReason guard_reason(const GuardFacts& f) {
  if (f.pid == f.self) return GuardReason::self;
  if (f.sandbox) return GuardReason::sandbox;
  if (f.pid == 1) return GuardReason::init;
  if (std::ranges::find(f.ancestors, f.pid) != f.ancestors.end()) return GuardReason::ancestor;
  return GuardReason::none;
}

bool init_receives(int sig, const SignalMasks& m, bool from_ancestor_namespace) {
  if (sig <= 0 || sig > 64) return sig == 0;
  std::uint64_t bit = std::uint64_t{1} << (sig - 1);
  if (m.ignored & bit) return false;
  if (m.caught & bit) return true;
  return from_ancestor_namespace && (sig == SIGKILL || sig == SIGSTOP);
}

namespace {

// What the signal would do to a namespace's init, given what it would do if it arrived.
std::string init_effect(const GuardCase& c, std::string_view effect) {
  std::string sig = signal_name(c.sig);
  if (!c.delivered)
    return fmt::format(
        "{} if it handles {}; as the namespace's init it only receives the "
        "signals it handles (KILL and STOP sent from inside are dropped)",
        effect, sig);
  if (!*c.delivered)
    return fmt::format(
        "it has no handler for {}, and the namespace's init only receives the "
        "signals it handles: the kernel would drop it",
        sig);
  return fmt::format("it handles {}: {}", sig, effect);
}

}  // namespace

Error guard_refusal(const GuardCase& c) {
  std::string what = fmt::format("kill -{} {}", signal_name(c.sig), c.pid);
  constexpr const char* kForce = "--force sends it anyway";
  switch (c.reason) {
    case GuardReason::self:
      return {EPERM, what, "that is this nsdebug process", kForce};
    case GuardReason::ancestor:
      return {EPERM, what,
              "that process started this nsdebug (your shell, or one of its parents): "
              "signalling it can end your session",
              kForce};
    case GuardReason::sandbox:
      return {EPERM, what,
              fmt::format("PID {} is the pod sandbox (pause), which holds the pod's namespaces; "
                          "{}",
                          c.pid,
                          init_effect(c,
                                      "it would exit, ending the pod sandbox and every "
                                      "container with it")),
              fmt::format("to restart a container, signal its main process ('nsdebug "
                          "containers' shows it); {}",
                          kForce)};
    case GuardReason::init:
      return {EPERM, what,
              fmt::format("PID 1 is not a pod sandbox here but the main process of container "
                          "'{}' (as an ephemeral container sees it); {}",
                          c.container, init_effect(c, "signalling it stops that container")),
              kForce};
    case GuardReason::none:
      break;
  }
  return {0, what, "not guarded", {}};
}

Error explain_kill_denied(Error e, const Credentials& self, const Credentials& t) {
  constexpr std::uint64_t kCapKill = std::uint64_t{1} << CAP_KILL;
  bool uid_match =
      self.ruid == t.ruid || self.ruid == t.suid || self.euid == t.ruid || self.euid == t.suid;
  if (self.cap_eff & kCapKill) {
    e.why =
        "denied although nsdebug holds CAP_KILL: the process is in another user namespace, "
        "or a security module (AppArmor, SELinux) forbids it";
    e.hint = "run nsdebug in the target's user namespace, or check the security profile";
  } else if (!uid_match) {
    e.why = fmt::format(
        "it runs as uid {} (real {}, saved {}) and nsdebug as uid {} (real {}), "
        "without CAP_KILL; kill needs CAP_KILL or a matching uid",
        t.euid, t.ruid, t.suid, self.euid, self.ruid);
    e.hint = fmt::format(
        "add KILL to the debug container (securityContext.capabilities.add: "
        "[KILL]) or run it as uid {} (securityContext.runAsUser: {}); "
        "CAP_SYS_PTRACE does not help: that is what reading another "
        "container's files needs, not kill, so a sidecar can often kill what "
        "it cannot read",
        t.ruid, t.ruid);
  } else {
    e.why =
        "its uid matches nsdebug's, yet the kernel refused: a security module (AppArmor, "
        "SELinux) forbids it";
    e.hint = "check the debug container's security profile";
  }
  return e;
}

Error explain_kill_denied(Error e, pid_t target) {
  auto self = credentials_of("self");
  auto t = credentials_of(std::to_string(target).c_str());
  if (!self || !t) return e;
  return explain_kill_denied(std::move(e), *self, *t);
}

}  // namespace nsdebug
