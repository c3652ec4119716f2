#pragma once
// Node mode: the pods' PID namespaces as the node sees them (entering one: core/node/node_relay.h).
#include <sys/types.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/error.h"
#include "core/proc/process.h"

namespace nsdebug {

// One process as the node's /proc shows it: only what grouping by PID namespace needs.
struct HostProcess {
  pid_t host_pid = 0;
  std::uint64_t pid_ns = 0;   // inode of /proc/PID/ns/pid
  std::uint64_t mnt_ns = 0;   // inode of /proc/PID/ns/mnt
  std::vector<pid_t> nspid;   // NSpid: outermost (the node's) first, the pod's PID last
};

// A PID namespace other than ours: a pod's (shared) or one container's.
struct PodNamespace {
  std::uint64_t pid_ns = 0;
  pid_t init_host_pid = 0;     // its PID 1, numbered as the node numbers it
  std::size_t containers = 0;  // distinct mount namespaces: every container has its own
  std::size_t processes = 0;
  // Filled by list_pod_namespaces from PID 1's /proc files:
  std::string name;            // hostname of PID 1's UTS namespace; the kubelet sets the pod name
  std::string init_command;    // argv[0] of PID 1, else its comm
  bool sandbox = false;        // PID 1 is a pause / infra process
  std::string pod_uid, runtime, container_id;  // from PID 1's cgroup path, when it names them

  // Several containers (the pause counts) see each other's processes: shareProcessNamespace.
  bool shared() const { return containers > 1; }
};

// Pure: groups host processes by PID namespace, leaving out `own_pid_ns` (the node's). A
// namespace whose PID 1 was not seen (it exited while we read) is left out too.
std::vector<PodNamespace> group_pid_namespaces(std::span<const HostProcess> processes,
                                               std::uint64_t own_pid_ns);

// Every PID namespace on this node that looks like a pod's or a container's: its PID 1 is a
// sandbox, or its cgroup names a container runtime. Needs root (ns links, other UTS namespaces).
Result<std::vector<PodNamespace>> list_pod_namespaces();

// Pure: the namespace `--pod QUERY` means: a pod name (exact), else a pod UID prefix. When a pod
// has several PID namespaces (shareProcessNamespace: false) the sandbox's wins; still several
// is an error that lists them.
Result<PodNamespace> find_pod(std::span<const PodNamespace> pods, std::string_view query);

// Pod PID -> node PID for the processes of `pid_ns`, read from the node's /proc (`proc_fd`).
std::unordered_map<pid_t, pid_t> host_pids(int proc_fd, std::uint64_t pid_ns);

// What a command run inside the pod keeps of the node: only the channel to node mode's node
// side (core/node/node_relay.h), which reads the node's /proc for it.
struct HostView {
  int channel = -1;
};

// Sets Process::host_pid, asking the node side; processes it cannot map keep 0.
void fill_host_pids(const HostView& host, std::span<Process> processes);

}  // namespace nsdebug
