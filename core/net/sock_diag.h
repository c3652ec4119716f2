#pragma once
// The kernel's socket diagnostics (NETLINK_SOCK_DIAG), as iproute2's ss reads them: every TCP,
// UDP, raw and unix socket of the network namespace we are in, with queues, tcp_info and unix
// peers. Netlink may be refused (a seccomp profile, an LSM, a kernel without inet_diag):
// core/net/pod_network falls back to /proc/net then.
#include <vector>

#include "core/base/error.h"
#include "core/net/socket.h"

namespace nsdebug {

struct SocketKinds {
  bool tcp = true, udp = true, raw = false, unix_sockets = false;
  bool tcp_info = false;  // INET_DIAG_INFO and INET_DIAG_SKMEMINFO for TCP
};

// Every socket of those kinds in our network namespace, IPv4 and IPv6. A protocol the kernel
// cannot dump (raw_diag not built) is left out; a refused netlink socket is the Error.
Result<std::vector<Socket>> dump_sockets(const SocketKinds& kinds);

}  // namespace nsdebug
