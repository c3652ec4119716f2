#include "tools/kill_words.h"

#include <cerrno>

#include "core/diagnosis/doctor.h"
#include "core/signals/guard_words.h"

namespace nsdebug::cli {

Error guard_refusal(const GuardCase& c) {
  constexpr const char* kForce = "--force sends it anyway";
  std::string hint;
  if (c.reason == GuardReason::sandbox)
    hint = std::string("to restart a container, signal its main process ('nsdebug containers' "
                       "shows it); ") + kForce;
  else if (c.reason != GuardReason::none)
    hint = kForce;
  return {c.reason == GuardReason::none ? 0 : EPERM, guard_what(c), guard_why(c), hint};
}

Error nothing_matched(const KillPlan& plan, const Snapshot& snapshot) {
  return {ESRCH, "kill", "no process matched",
          plan.skipped.empty() ? add_where_hint("'nsdebug ps' lists the pod's processes", snapshot)
                               : "only guarded processes or zombies matched (listed above); "
                                 "--force selects the guarded ones too"};
}

}  // namespace nsdebug::cli
