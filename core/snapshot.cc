#include "core/snapshot.h"

#include <algorithm>
#include <chrono>

namespace nsdebug {

const Process* Snapshot::find(pid_t pid) const {
  auto it = std::ranges::lower_bound(processes, pid, {}, &Process::pid);
  return it != processes.end() && it->pid == pid ? &*it : nullptr;
}

const Container* Snapshot::container_of(const Process& p) const {
  if (p.container < 0 || p.container >= static_cast<int>(containers.size())) return nullptr;
  return &containers[static_cast<std::size_t>(p.container)];
}

double Snapshot::elapsed_s(const Process& p) const {
  double started = static_cast<double>(p.start_ticks) / static_cast<double>(clock_ticks_per_second());
  return std::max(0.0, uptime_s - started);
}

double Snapshot::start_epoch(const Process& p) const { return now_epoch - elapsed_s(p); }

Result<Snapshot> take_snapshot(const ReadOptions& options) {
  Snapshot s;
  s.uptime_s = uptime_seconds();
  s.now_epoch = std::chrono::duration<double>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  auto processes = read_processes(options);
  if (!processes) return std::unexpected(processes.error());
  s.processes = std::move(*processes);
  ProcProbe probe;
  s.containers = group_into_containers(s.processes, probe);
  return s;
}

}  // namespace nsdebug
