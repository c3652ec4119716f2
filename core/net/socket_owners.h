#pragma once
// Which processes hold which sockets: /proc/PID/fd, as ss -p and netstat -p read it. A socket
// can be held by several processes (after fork) and by none (TIME-WAIT, or a holder we may not
// look inside: its fds need ptrace access).
#include <sys/types.h>

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/base/error.h"
#include "core/proc/process.h"

namespace nsdebug {

struct SocketHolder {
  pid_t pid = 0;
  int fd = -1;
};

// A process whose descriptors we could not read: its sockets are listed without it.
struct HiddenHolder {
  pid_t pid = 0;
  Error why;  // explained: "it runs as uid 101 and we ... without CAP_SYS_PTRACE" + the fix
};

struct SocketOwners {
  std::unordered_map<std::uint64_t, std::vector<SocketHolder>> by_inode;
  std::vector<HiddenHolder> hidden;
};

// The socket descriptors of `processes` (a listing with start times). A process that exited
// since is skipped, and so is a PID recycled since: its fd directory is opened first, then its
// start time checked against the listing's.
SocketOwners find_socket_owners(std::span<const Process> processes);

}  // namespace nsdebug
