#include "core/signals/kill_guard.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/capability.h>

#include <algorithm>
#include <charconv>
#include <csignal>
#include <ranges>

#include "core/proc/proc_parse.h"
#include "core/proc/procfs.h"
#include "core/signals/signals.h"

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
  if (f.own_main > 0 && f.pid == f.own_main) return GuardReason::own_main;
  return GuardReason::none;
}

std::string guard_word(GuardReason g) {
  switch (g) {
    case GuardReason::self:
      return "nsdebug itself";
    case GuardReason::ancestor:
      return "it started nsdebug";
    case GuardReason::sandbox:
      return "the pod sandbox";
    case GuardReason::init:
      return "PID 1, the namespace's init";
    case GuardReason::own_main:
      return "the main process of nsdebug's own container";
    case GuardReason::none:
      break;
  }
  return {};
}

bool init_receives(int sig, const SignalMasks& m, bool from_ancestor_namespace) {
  if (sig <= 0 || sig > 64) return sig == 0;
  std::uint64_t bit = std::uint64_t{1} << (sig - 1);
  if (m.ignored & bit) return false;
  if (m.caught & bit) return true;
  return from_ancestor_namespace && (sig == SIGKILL || sig == SIGSTOP);
}

std::optional<HeldState> parse_held_state(std::string_view status, std::string_view stat) {
  HeldState h;
  bool state = false, tracer = false;
  // A plain loop, not std::views::split: clang 14 (the fuzz build) cannot use libstdc++ 12's.
  for (std::size_t at = 0; at < status.size();) {
    std::size_t end = std::min(status.find('\n', at), status.size());
    std::string_view l = status.substr(at, end - at);
    at = end + 1;
    auto value = [&](std::string_view key) {
      auto v = l.substr(key.size());
      return v.substr(std::min(v.find_first_not_of(" \t"), v.size()));
    };
    if (l.starts_with("State:")) {
      auto v = value("State:");
      h.stopped = !v.empty() && (v[0] == 'T' || v[0] == 't');
      state = !v.empty();
    } else if (l.starts_with("TracerPid:")) {
      auto v = value("TracerPid:");
      tracer = std::from_chars(v.data(), v.data() + v.size(), h.tracer).ec == std::errc();
    }
  }
  if (!state || !tracer) return std::nullopt;
  // exit_code is stat's last field; comm (which may hold spaces) ends at the last ')'.
  auto close = stat.rfind(')');
  if (h.stopped && close != std::string_view::npos) {
    auto rest = stat.substr(close + 1);
    while (!rest.empty() && (rest.back() == '\n' || rest.back() == ' ')) rest.remove_suffix(1);
    auto last = rest.substr(rest.rfind(' ') + 1);
    int code = 0;
    if (std::count(rest.begin(), rest.end(), ' ') >= 50 &&
        std::from_chars(last.data(), last.data() + last.size(), code).ec == std::errc() &&
        code > 0 && code < 65)
      h.stop_signal = code;
  }
  return h;
}

std::optional<HeldState> read_held_state(pid_t pid) {
  auto status = read_pid_file(pid, PidFile::status);
  auto stat = read_pid_file(pid, PidFile::stat);
  if (!status) return std::nullopt;
  return parse_held_state(*status, stat ? std::string_view(*stat) : std::string_view());
}

std::string describe_held(const HeldState& h) {
  if (h.tracer > 0)
    return fmt::format("traced by PID {}{}", h.tracer, h.stopped ? ", which holds it stopped" : "");
  if (!h.stopped) return {};
  return h.stop_signal ? fmt::format("stopped by SIG{}", signal_name(h.stop_signal))
                       : "stopped by a stop signal";
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
