#pragma once
// A socket as the cells of one row, the same in `nsdebug net`'s table and the TUI's network
// screen. Cells hold a target's raw bytes (comm, unix paths): the face escapes them.
#include <string>
#include <vector>

#include "core/net/pod_network.h"

namespace nsdebug {

struct SocketRow {
  std::string netid, state, recv_q, send_q, local, peer, container, process;
};

// "nginx(1,29) sh(7)": each command with the PIDs that hold the socket; "-" when no process
// holds it (TIME-WAIT, a connection not accepted yet, a holder outside our PID namespace), "?"
// when `some_hidden` (a process whose descriptors we could not read may hold it).
std::string holders_cell(const std::vector<Holder>& holders, bool some_hidden);
// The containers of the holders, comma-separated; "-" when none is known.
std::string containers_cell(const std::vector<Holder>& holders, const Snapshot& snapshot);

// The peer cell of a unix socket names the other end's holder: "* <- envoy(12) [envoy]".
SocketRow socket_row(const PodSocket& s, const Snapshot& snapshot, bool some_hidden);

// -i: tcp_info as cells: rtt/rttvar in ms, cwnd, retransmits (total), bytes sent and received,
// seconds since the last send and receive. "-" for sockets without tcp_info.
std::vector<std::string> tcp_info_cells(const Socket& s);
inline constexpr const char* kTcpInfoHeaders[] = {"RTT-MS", "CWND", "RETRANS", "SENT",
                                                  "RECEIVED", "LAST-SEND", "LAST-RECV"};

}  // namespace nsdebug
