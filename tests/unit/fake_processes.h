#pragma once
// A ProcessBoundary over a table of pretend processes, for kill decisions without root
// (core/signals/process_boundary.h): nothing reaches the kernel, and what would be sent is
// recorded.
#include <cerrno>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/pod/snapshot.h"
#include "core/signals/process_boundary.h"

namespace nsdebug::testing {

struct FakeProcesses : ProcessBoundary {
  std::map<pid_t, std::uint64_t> alive;  // pid -> start ticks of whoever holds it now
  std::optional<SignalMasks> masks;      // what /proc/1/status would say
  std::set<pid_t> denied;                // send fails with EPERM
  std::vector<std::pair<pid_t, int>> sent;
  std::vector<pid_t> masks_asked;

  Result<ProcessHandle> hold(pid_t pid, std::uint64_t start_ticks) override {
    auto it = alive.find(pid);
    if (it == alive.end() || it->second != start_ticks)
      return fail(ESRCH, fmt::format("pid {}", pid), "it has exited");
    return ProcessHandle::adopt(UniqueFd(), pid, start_ticks);
  }
  std::optional<SignalMasks> signal_masks(pid_t pid) override {
    masks_asked.push_back(pid);
    return masks;
  }
  Result<void> send(const ProcessHandle& process, int sig) override {
    if (denied.contains(process.pid())) return fail(EPERM, "pidfd_send_signal");
    sent.emplace_back(process.pid(), sig);
    return {};
  }
  Error explain_denied(Error e, pid_t pid) override {
    e.why = fmt::format("explained for {}", pid);
    return e;
  }
};

// Every process of `s` alive, as listed.
inline FakeProcesses all_alive(const Snapshot& s) {
  FakeProcesses f;
  for (const auto& p : s.processes) f.alive[p.pid] = p.start_ticks;
  return f;
}

}  // namespace nsdebug::testing
