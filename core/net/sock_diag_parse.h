#pragma once
// The pure half of sock_diag: the bytes of a netlink dump (NETLINK_SOCK_DIAG answers to
// inet_diag and unix_diag requests) as Sockets. Every length is checked: the fuzzer feeds it
// anything (tests/fuzz/fuzz_sock_diag.cc).
#include <cstdint>
#include <span>
#include <vector>

#include "core/net/socket.h"

namespace nsdebug {

struct DiagChunk {
  std::vector<Socket> sockets;
  bool done = false;  // NLMSG_DONE, or an error: the dump is over
  int error = 0;      // errno from an NLMSG_ERROR (EINVAL: the kernel lacks this protocol)
};

// One recv() of a dump, added to `out`. inet_diag messages do not say their protocol: `request`
// is the one the request asked for (tcp, udp or raw; any unix one for a unix_diag dump, whose
// messages carry their type).
void parse_diag_messages(std::span<const std::uint8_t> bytes, Protocol request, DiagChunk& out);

}  // namespace nsdebug
