#include "core/signals/kill_plan.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

#include "core/proc/access.h"
#include "core/diagnosis/doctor.h"
#include "core/containers/identity.h"
#include "core/present/columns.h"
#include "core/signals/signals.h"

namespace nsdebug {
namespace {

std::vector<pid_t> ancestors_of(pid_t pid, const Snapshot& s) {
  std::vector<pid_t> chain;
  const Process* p = s.find(pid);
  while (p && p->ppid > 0 && chain.size() < 4096) {
    chain.push_back(p->ppid);
    p = s.find(p->ppid);
  }
  return chain;
}

// The main process of the container nsdebug runs in, 0 when nsdebug is not listed.
pid_t own_main_of(pid_t self, const Snapshot& s) {
  const Process* me = s.find(self);
  const Container* c = me ? s.container_of(*me) : nullptr;
  return c ? c->main_pid : 0;
}

struct Planner {
  const Snapshot& s;
  KillPlan& plan;
  pid_t self;
  std::vector<pid_t> ancestors = ancestors_of(self, s);
  pid_t own_main = own_main_of(self, s);

  KillTarget target_of(const Process& p) const {
    const Container* c = s.container_of(p);
    KillTarget t;
    t.pid = p.pid;
    t.start_ticks = p.start_ticks;
    t.container = c ? c->name : "";
    t.command = command_line(p);
    t.guard = guard_reason({p.pid, c && c->sandbox, self, ancestors, own_main});
    return t;
  }
  bool planned(const Process& p) const {
    return std::ranges::find(plan.targets, p.pid, &KillTarget::pid) != plan.targets.end();
  }
  void add_named(pid_t pid) {
    const Process* p = s.find(pid);
    if (!p)
      plan.not_found.push_back({ESRCH, fmt::format("kill {}", pid), why_not_listed(pid),
                                add_where_hint("'nsdebug ps' lists the pod's processes", s)});
    else if (!planned(*p))
      plan.targets.push_back(target_of(*p));
  }
  // Selected by -n/-c: never nsdebug nor a zombie; the other guarded ones only when asked.
  Result<void> add_selected(const Filter& filter, bool include_guarded) {
    auto selector = Selector::make(filter, s);
    if (!selector) return std::unexpected(selector.error());
    IdentityNames names(s.containers);
    RowContext rc{s, names};
    for (const auto& p : s.processes) {
      if (p.is_kernel_thread() || planned(p) || !selector->matches(p, rc)) continue;
      KillTarget t = target_of(p);
      bool left_out = t.guard == GuardReason::self ||
                      (t.guard != GuardReason::none && !include_guarded);
      if (left_out)
        plan.skipped.emplace_back(std::move(t), guard_word(t.guard));
      else if (p.state == 'Z')
        plan.skipped.emplace_back(std::move(t), "a zombie: it has already exited");
      else
        plan.targets.push_back(std::move(t));
    }
    return {};
  }
};

std::string what_of(const KillTarget& t, int sig) {
  return fmt::format("kill -{} {}", signal_name(sig), describe(t, true));
}

Delivery failure(DeliveryOutcome outcome, Error e, const KillTarget& t, int sig) {
  e.what = what_of(t, sig);
  return {outcome, std::nullopt, std::move(e)};
}

}  // namespace

std::string describe(const KillTarget& t, bool in_error) {
  std::string_view container = t.container;
  if (container.empty()) container = "?";
  return in_error ? fmt::format("{} [{}] ({})", t.pid, container, t.command)
                  : fmt::format("{} [{}] {}", t.pid, container, t.command);
}

std::optional<bool> KillTarget::receives(int sig) const {
  if (!init_masks) return std::nullopt;
  return init_receives(sig, *init_masks, false);
}

Result<KillPlan> plan_kill(const Snapshot& snapshot, const KillSelection& selection, int sig,
                           ProcessBoundary& processes) {
  KillPlan plan;
  plan.sig = sig;
  Planner planner{snapshot, plan, selection.self > 0 ? selection.self : ::getpid()};
  for (pid_t pid : selection.pids) planner.add_named(pid);
  bool filtered = !selection.filter.patterns.empty() || !selection.filter.containers.empty();
  std::size_t named = plan.targets.size();
  if (filtered) {
    if (auto added = planner.add_selected(selection.filter, selection.include_guarded); !added)
      return std::unexpected(added.error());
    plan.nothing_matched = plan.targets.size() == named && selection.pids.empty();
  }
  // std::stable_partition, not the ranges one: clang 14 (the fuzz build) cannot compile
  // libstdc++ 12's ranges::subrange.
  std::stable_partition(plan.targets.begin(), plan.targets.end(),
                        [](const KillTarget& t) { return t.guard == GuardReason::none; });
  // Opened right after the listing: the window for a PID to be recycled is as short as it gets.
  for (auto& t : plan.targets) {
    t.handle = processes.hold(t.pid, t.start_ticks);
    // From inside the pod PID 1 only hears the signals it handles: its SigCgt tells which.
    if (t.pid == 1) t.init_masks = processes.signal_masks(1);
  }
  return plan;
}

static Delivery deliver_one(const KillTarget& t, int sig, bool force, bool dry_run,
                            ProcessBoundary& processes) {
  // Signal 0 sends nothing: probing PID 1 or the sandbox is harmless.
  if (t.guard != GuardReason::none && !force && sig != 0)
    return {DeliveryOutcome::refused, GuardCase{t.guard, t.pid, t.container, sig, t.receives(sig)},
            std::nullopt};
  if (!t.handle) return failure(DeliveryOutcome::failed, t.handle.error(), t, sig);
  if (dry_run) return {DeliveryOutcome::would_send, std::nullopt, std::nullopt};
  if (auto r = processes.send(*t.handle, sig); !r) {
    Error e = r.error().code == EPERM ? processes.explain_denied(r.error(), t.pid) : r.error();
    return failure(DeliveryOutcome::failed, std::move(e), t, sig);
  }
  if (t.receives(sig) == false)
    return failure(DeliveryOutcome::dropped,
                   {0, "", "not delivered: PID 1 has no handler for it, so the kernel drops it", ""},
                   t, sig);
  return {DeliveryOutcome::sent, std::nullopt, std::nullopt};
}

std::vector<Delivery> deliver(const KillPlan& plan, bool force, bool dry_run,
                              ProcessBoundary& processes) {
  std::vector<Delivery> out;
  out.reserve(plan.targets.size());
  for (const auto& t : plan.targets)
    out.push_back(deliver_one(t, plan.sig, force, dry_run, processes));
  return out;
}

}  // namespace nsdebug
