#include "core/signals/guard_words.h"

#include <fmt/format.h>

#include <string_view>

#include "core/signals/signals.h"

namespace nsdebug {
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

std::string guard_what(const GuardCase& c) {
  return fmt::format("kill -{} {}", signal_name(c.sig), c.pid);
}

std::string guard_why(const GuardCase& c) {
  switch (c.reason) {
    case GuardReason::self:
      return "that is this nsdebug process";
    case GuardReason::ancestor:
      return "that process started this nsdebug (your shell, or one of its parents): "
             "signalling it can end your session";
    case GuardReason::sandbox:
      return fmt::format(
          "PID {} is the pod sandbox (pause), which holds the pod's namespaces; {}", c.pid,
          init_effect(c, "it would exit, ending the pod sandbox and every container with it"));
    case GuardReason::init:
      return fmt::format("PID 1 is not a pod sandbox here but the main process of container "
                         "'{}' (as an ephemeral container sees it); {}",
                         c.container, init_effect(c, "signalling it stops that container"));
    case GuardReason::own_main:
      return fmt::format("PID {} is the main process of container '{}', the one this nsdebug "
                         "runs in: when it exits the runtime stops that container, and this "
                         "nsdebug and your session with it",
                         c.pid, c.container);
    case GuardReason::none:
      break;
  }
  return "not guarded";
}

}  // namespace nsdebug
