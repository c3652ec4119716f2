#pragma once
// What a kill will do, as data, and doing it: `nsdebug kill` and the TUI's kill menu both plan
// with plan_kill and send with deliver. Handles are taken when the plan is made (the CLI: right
// after its listing; the TUI: when the menu opens), so a row that moved or a PID recycled
// since is never hit. Reasons come back as facts (a GuardCase, a flag): each face words them
// (tools/kill_words.h, the TUI's kill menu; core/signals/guard_words.h holds what both say).
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/signals/kill_guard.h"
#include "core/present/select.h"
#include "core/pod/snapshot.h"
#include "core/proc/process_handle.h"
#include "core/signals/process_boundary.h"

namespace nsdebug {

struct KillSelection {
  std::vector<pid_t> pids{};  // named one by one: guarded ones are kept, with their reason
  Filter filter{};            // -n / -c: guarded ones and zombies are skipped (listed, with why)
  // -n / -c with --force, or signal 0 (a probe): guarded ones are selected too, but for
  // nsdebug itself, as pkill never selects itself. Zombies stay out.
  bool include_guarded = false;
  pid_t self = 0;  // nsdebug's PID in the snapshot; 0: getpid() (tests name another)
};

struct KillTarget {
  pid_t pid = 0;
  std::uint64_t start_ticks = 0;
  std::string container;  // its container's name, may be empty
  std::string command;    // its command line (raw bytes: escape before printing)
  GuardReason guard = GuardReason::none;
  // PID 1 only: which signals it handles, read when planned. From inside its namespace the
  // kernel drops the others (receives()).
  std::optional<SignalMasks> init_masks;
  // PID 1: would the kernel deliver `sig` (nullopt: not PID 1, or unknown); others: nullopt.
  std::optional<bool> receives(int sig) const;
  Result<ProcessHandle> handle = std::unexpected(Error{});  // opened by plan_kill
};

struct KillPlan {
  int sig = 0;
  std::vector<KillTarget> targets;
  std::vector<std::pair<KillTarget, std::string>> skipped;  // selected but left out, and why
  std::vector<Error> not_found;                              // named PIDs not in the listing
  // -n/-c selected nothing and no PID was named (skipped says what they left out, if anything).
  bool nothing_matched = false;
};

// "7 [nginx] nginx: master process"; with `in_error`, where a colon follows in a message, the
// command goes in parentheses: "7 [nginx] (nginx: master process)".
std::string describe(const KillTarget& t, bool in_error = false);

// Fails (EINVAL) on a bad filter (regex, unknown container). Guarded targets come last: the
// main process of our own container, once signalled, may take nsdebug with it.
Result<KillPlan> plan_kill(const Snapshot& snapshot, const KillSelection& selection, int sig,
                           ProcessBoundary& processes = real_processes());

enum class DeliveryOutcome {
  sent,        // the kernel took it (for signal 0: we may signal it)
  would_send,  // dry run
  refused,     // guarded and not forced
  failed,      // gone, EPERM (explained), ...
  dropped,     // sent to PID 1, which has no handler: the kernel dropped it
};
struct Delivery {
  DeliveryOutcome outcome = DeliveryOutcome::failed;
  std::optional<GuardCase> refusal;  // refused: the guard and what the signal would do
  std::optional<Error> error;        // failed, dropped: what, why and the fix
};

// One Delivery per plan.targets entry, in order.
std::vector<Delivery> deliver(const KillPlan& plan, bool force, bool dry_run,
                              ProcessBoundary& processes = real_processes());

}  // namespace nsdebug
