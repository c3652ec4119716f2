#pragma once
// Node mode's pod side: the process that becomes visible in the pod holds nothing of the node.
//
// The node-side nsdebug (core/node/node_relay) executes a sealed copy of itself with a clean
// environment, descriptor 3 the channel to it (core/node/pod_channel), 4 the pod's PID namespace
// and 5 its network namespace.
// That fresh process, still on the node and invisible to the pod, leaves the node behind:
// a private mount namespace whose root is an empty read-only tmpfs (pivot_root, the old root
// detached), a devpts instance of its own when a terminal is needed (the master goes to the node
// side, as runc's console socket does), no_new_privs, not dumpable, the bounding set cut to what
// the subcommand needs. It joins the pod's network namespace (nothing of the node's network stays
// reachable, and `nsdebug net` sees the pod's sockets). Only then does it fork into the pod's PID namespace; the child mounts
// the pod's /proc, drops CAP_SYS_ADMIN and runs the subcommand. A pod that ptraces that child
// or opens its /proc entries finds an empty root, pipes or a private pty to the node-side
// parent, and capabilities no larger than a debug container's.
#include <cstdint>

#include "core/base/error.h"
#include "core/base/unique_fd.h"

namespace nsdebug {

// The descriptors and environment the node side hands to the process it executes.
inline constexpr int kPodChannelFd = 3;
inline constexpr int kPodPidNsFd = 4;
inline constexpr int kPodNetNsFd = 5;
inline constexpr int kSealedBinaryFd = 6;  // what the node side executes; closed on exec
inline constexpr const char* kPodSideEnv = "NSDEBUG_POD_SIDE";  // set: we are that process
inline constexpr const char* kPodTtyEnv = "NSDEBUG_POD_TTY";    // std fds to get the pty: "012"

// True in the process the node side executed (kPodSideEnv is set).
bool is_pod_side();

struct PodSide {
  bool in_pod = false;  // false: the process left on the node, whose work is done (exit 0)
  UniqueFd channel;     // in the pod: the channel to the node side
};

// Runs in the executed process: prepares, forks into the pod and returns twice (see PodSide).
// `capabilities`: one bit per CAP_* the subcommand needs; never more than a debug container's.
Result<PodSide> enter_pod(std::uint64_t capabilities);

}  // namespace nsdebug
