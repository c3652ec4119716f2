#pragma once
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/containers/cgroup_stats.h"
#include "core/proc/process.h"

namespace nsdebug {

// A group of processes sharing one mount namespace.
struct Container {
  // Stable across refreshes, unlike its index in a snapshot: "mnt:INODE" for its mount
  // namespace, else "id:RUNTIME-ID", else "pid:PID@START" of its main process.
  std::string key;
  std::string name;     // Kubernetes name, else short runtime id, else main command; unique
  std::string id;       // runtime's container id (full), empty when unknown
  std::string runtime;  // containerd, cri-o, docker, podman, kubepods (cgroupfs), or empty
  std::string pod_uid;  // from the cgroup path or the kubelet mount, when known
  std::uint64_t mnt_ns = 0;
  pid_t main_pid = 0;   // the oldest process whose parent is not in this container
  bool sandbox = false; // the pod's pause / infra process
  std::size_t process_count = 0;
  std::optional<CgroupStats> cgroup;  // ProcessTable with cgroup_stats, when readable
};

}  // namespace nsdebug

#include <optional>

namespace nsdebug {

// The per-process facts grouping needs beyond a Process; faked in unit tests.
class ContainerProbe {
 public:
  virtual ~ContainerProbe() = default;
  virtual std::optional<std::string> cgroup(pid_t pid) = 0;
  virtual std::optional<std::string> mountinfo(pid_t pid) = 0;
};

// Reads /proc/PID/cgroup and /proc/PID/mountinfo (both readable without ptrace access).
class ProcProbe final : public ContainerProbe {
 public:
  std::optional<std::string> cgroup(pid_t pid) override;
  std::optional<std::string> mountinfo(pid_t pid) override;
};

// Groups processes by mount namespace, names the groups, marks the sandbox, and sets each
// Process::container. Processes whose mount namespace is unreadable join their parent's
// container, else the container their cgroup names, else one of their own; a zombie never
// one of its own: with neither, it is in no container (Process::container -1).
std::vector<Container> group_into_containers(std::vector<Process>& processes,
                                             ContainerProbe& probe);

// "pause", "/pause", "catatonit", ...: what a pod sandbox runs.
bool is_sandbox_command(const Process& p);

}  // namespace nsdebug
