#include "core/signals/process_boundary.h"

#include "core/proc/procfs.h"

namespace nsdebug {
namespace {

class RealProcesses final : public ProcessBoundary {
 public:
  Result<ProcessHandle> hold(pid_t pid, std::uint64_t start_ticks) override {
    return ProcessHandle::open(pid, start_ticks);
  }
  std::optional<SignalMasks> signal_masks(pid_t pid) override {
    auto text = read_pid_file(pid, PidFile::status);
    return text ? parse_signal_masks(*text) : std::nullopt;
  }
  Result<void> send(const ProcessHandle& process, int sig) override { return process.send(sig); }
  Error explain_denied(Error e, pid_t pid) override {
    return explain_kill_denied(std::move(e), pid);
  }
};

}  // namespace

ProcessBoundary& real_processes() {
  static RealProcesses processes;
  return processes;
}

}  // namespace nsdebug
