#pragma once
// Where the sockets come from: sock_diag over netlink, as ss reads them, or /proc/net when
// netlink is refused (a seccomp profile or an LSM may forbid AF_NETLINK). The output says
// which, and why it fell back.
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/net/sock_diag.h"

namespace nsdebug {

enum class SocketSource { sock_diag, proc_net };

struct SocketList {
  std::vector<Socket> sockets;
  SocketSource source = SocketSource::sock_diag;
  std::optional<Error> netlink_refused;  // why /proc/net was read instead
};

// The sockets of our network namespace. Fails only when neither source can be read.
Result<SocketList> read_sockets(const SocketKinds& kinds);

// /proc/PROC_DIR/net/* (PROC_DIR "self" or a PID): what the fallback reads.
Result<std::vector<Socket>> read_proc_net(const SocketKinds& kinds, const std::string& proc_dir = "self");

// The sockets of PID's network namespace: read_sockets when it is ours, else its /proc/PID/net.
Result<std::vector<Socket>> read_sockets_of(pid_t pid, const SocketKinds& kinds);

// "sock_diag" or "/proc/net".
const char* source_name(SocketSource s);

}  // namespace nsdebug
