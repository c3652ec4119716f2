#pragma once
// Node mode's node side: starts the pod side (core/node/pod_entry.h) and, while it runs, is its only
// link to the node: relays its output to our stdout and stderr (or its private pty to the
// operator's terminal, keys and size changes included), forwards signals sent to us, and serves
// what it asks of the node (host PIDs; cp's writes, through a handler the caller gives).
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "core/base/error.h"
#include "core/base/unique_fd.h"

namespace nsdebug {

// cp in node mode: the pod side reaches the target and opens its root; the writing of DEST
// happens here, on the node, from those descriptors.
struct CopyRequest {
  pid_t pid = 0;       // the target, as the pod numbers it
  UniqueFd root;       // O_PATH dirfd of its root
  UniqueFd pidfd;      // the process, to check it is still there
  std::string path;    // inside its root
  std::string dest;    // here
  bool force = false;
  bool verbose = false;
};

struct NodeServices {
  std::function<int(CopyRequest&)> copy;  // returns the exit code cp ends with
};

// Runs `argv` (our own command line: the pod side parses it again) inside the PID namespace of
// node PID `target`, and returns its waitpid status. Needs root.
Result<int> run_in_pod(pid_t target, std::span<char* const> argv, const NodeServices& services);

}  // namespace nsdebug
