#include "core/pod/snapshot.h"

#include <algorithm>
#include <fcntl.h>

#include <chrono>

#include "core/proc/proc_mount.h"
#include "core/proc/proc_parse.h"

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

// From btime, as procps does: the same value in every run, where now - elapsed moved by a
// fraction of a second each time and the printed second with it.
double Snapshot::start_epoch(const Process& p) const {
  return boot_epoch +
         static_cast<double>(p.start_ticks) / static_cast<double>(clock_ticks_per_second());
}

double read_boot_epoch(double uptime_s) {
  auto text = read_small_file(AT_FDCWD, "/proc/stat", 4 << 20);
  if (auto btime = text ? parse_boot_time(*text) : std::nullopt)
    return static_cast<double>(*btime);
  double now = std::chrono::duration<double>(
                   std::chrono::system_clock::now().time_since_epoch()).count();
  return now - uptime_s;  // no btime (a masked /proc/stat): the same instant, less exact
}

Result<Snapshot> take_snapshot(const ReadOptions& options) {
  Snapshot s;
  s.uptime_s = uptime_seconds();
  s.boot_epoch = read_boot_epoch(s.uptime_s);
  auto processes = read_processes(options);
  // A tmpfs or a bare directory on /proc reads as no processes at all (EIO): name the cause.
  if (!processes) return std::unexpected(unless_proc_unavailable(std::move(processes.error())));
  s.processes = std::move(*processes);
  ProcProbe probe;
  s.containers = group_into_containers(s.processes, probe);
  return s;
}

}  // namespace nsdebug
