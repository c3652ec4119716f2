#pragma once
// `nsdebug kill`'s words for what the kill plan reports as facts (core/signals/kill_plan.h):
// a guard's refusal and a selection that matched nothing, each with the CLI's fix.
#include "core/base/error.h"
#include "core/pod/snapshot.h"
#include "core/signals/kill_guard.h"
#include "core/signals/kill_plan.h"

namespace nsdebug::cli {

// Why kill refuses without --force: what, why, and the fix.
Error guard_refusal(const GuardCase& c);
// -n/-c matched nothing (plan.nothing_matched): the fix says whether guarded ones were left out.
Error nothing_matched(const KillPlan& plan, const Snapshot& snapshot);

}  // namespace nsdebug::cli
