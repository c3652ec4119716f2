// TEMPORARY, deleted when the lead's core/process_table.cc and core/kill_plan.cc land on main:
// just enough of both (over take_snapshot) to run the TUI end to end before then.
#include <unistd.h>

#include <map>

#include "core/kill_plan.h"
#include "core/present_columns.h"
#include "core/process_table.h"

namespace nsdebug {

struct ProcessTable::State {
  ProcessTableOptions options;
  Snapshot snapshot;
  std::unique_ptr<IdentityNames> names;
  std::uint64_t generation = 0;
  std::map<std::pair<pid_t, std::uint64_t>, std::uint64_t> ticks;
  double uptime = 0;
};

ProcessTable::ProcessTable(ProcessTableOptions options) : state_(std::make_unique<State>()) {
  state_->options = options;
  state_->names = std::make_unique<IdentityNames>(state_->snapshot.containers);
}
ProcessTable::~ProcessTable() = default;
ProcessTable::ProcessTable(ProcessTable&&) noexcept = default;
ProcessTable& ProcessTable::operator=(ProcessTable&&) noexcept = default;

Result<void> ProcessTable::refresh() {
  auto s = take_snapshot(state_->options.read);
  if (!s) return std::unexpected(s.error());
  double dt = s->uptime_s - state_->uptime;
  double hz = static_cast<double>(::sysconf(_SC_CLK_TCK));
  std::map<std::pair<pid_t, std::uint64_t>, std::uint64_t> ticks;
  for (auto& p : s->processes) {
    auto key = std::pair(p.pid, p.start_ticks);
    auto it = state_->ticks.find(key);
    if (it != state_->ticks.end() && dt > 0 && p.cpu_ticks >= it->second)
      p.cpu_pct = 100.0 * static_cast<double>(p.cpu_ticks - it->second) / hz / dt;
    ticks[key] = p.cpu_ticks;
  }
  state_->ticks = std::move(ticks);
  state_->uptime = s->uptime_s;
  state_->snapshot = std::move(*s);
  state_->names = std::make_unique<IdentityNames>(state_->snapshot.containers);
  ++state_->generation;
  return {};
}

const Snapshot& ProcessTable::snapshot() const { return state_->snapshot; }
IdentityNames& ProcessTable::names() { return *state_->names; }
std::uint64_t ProcessTable::generation() const { return state_->generation; }

bool KillPlan::needs_force() const {
  for (const auto& t : targets)
    if (t.guard != GuardReason::none) return true;
  return false;
}

Result<KillPlan> plan_kill(const Snapshot& snapshot, const KillSelection& selection, int sig) {
  KillPlan plan;
  plan.sig = sig;
  for (pid_t pid : selection.pids) {
    const Process* p = snapshot.find(pid);
    if (!p) {
      plan.not_found.push_back(Error{ESRCH, "PID " + std::to_string(pid), "not listed", {}});
      continue;
    }
    const Container* c = snapshot.container_of(*p);
    KillTarget t;
    t.pid = pid;
    t.start_ticks = p->start_ticks;
    t.container = c ? c->name : "";
    t.command = command_line(*p);
    t.guard = guard_reason(GuardFacts{pid, c && c->sandbox, ::getpid(), {}});
    t.handle = ProcessHandle::open(pid, p->start_ticks);
    plan.targets.push_back(std::move(t));
  }
  return plan;
}

std::vector<Delivery> deliver(const KillPlan& plan, bool force, bool dry_run) {
  std::vector<Delivery> out;
  for (const auto& t : plan.targets) {
    Delivery d;
    if (t.guard != GuardReason::none && !force) {
      d.outcome = DeliveryOutcome::refused;
      d.error = guard_refusal(GuardCase{t.guard, t.pid, t.container, plan.sig, t.init_receives});
    } else if (!t.handle) {
      d.error = t.handle.error();
    } else if (dry_run) {
      d.outcome = DeliveryOutcome::would_send;
    } else if (auto r = t.handle->send(plan.sig); !r) {
      d.error = r.error().code == EPERM ? explain_kill_denied(r.error(), t.pid) : r.error();
    } else {
      d.outcome = DeliveryOutcome::sent;
    }
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace nsdebug
