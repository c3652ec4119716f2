#pragma once
// The network screen's state (n): the pod's sockets as `nsdebug net` shows them, grouped by the
// container of their first holder, and the container view's listening ports. Values only: the
// cells are made (and escaped) when a read is applied, against the snapshot the sockets were
// joined to, so a later refresh of the process list never meets a stale container index.
#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/net/pod_network.h"
#include "core/present/socket_cells.h"
#include "tui/list.h"

namespace nsdebug::tui {

// One socket as the screen shows it, fixed when it was read.
struct NetSocket {
  Protocol protocol = Protocol::tcp;
  bool listening = false;          // is_listening(): LISTEN, or a bound unconnected datagram
  SocketState state = SocketState::unknown;
  SocketRow cells;                 // socket_row(), escaped
  std::string key;                 // the same socket across reads (its inode, else its addresses)
  std::optional<pid_t> holder;     // the first process holding it
  std::uint64_t holder_start = 0;  // its start time, as listed then
  int container = -1;              // the first holder's container; -1: none known
  bool held = false;               // some process we can see holds it
};

// A line of the screen: a group's header or a socket.
struct NetRow {
  int socket = -1;  // index into NetworkState::sockets; -1: the header of `group`
  int group = 0;    // a container's index, kNoContainer or kNoProcess
};
inline constexpr int kNoContainer = -1;  // held by processes in no container we know
inline constexpr int kNoProcess = -2;    // held by no process we can see: last

struct NetworkState {
  // What the last read found.
  std::vector<NetSocket> sockets;      // in core's order: netid, listeners first, addresses
  std::vector<std::string> containers;  // the snapshot's container names then, escaped
  bool read = false;                   // a read has been applied since the screen opened
  std::string note;                    // the fallback source, owners we could not read
  std::optional<std::string> error;    // the read failed: why (escaped)

  // What the screen shows (n's keys).
  bool tcp = true, udp = true, unix_sockets = false, raw = false;  // as nsdebug net's default
  StateFilter states = StateFilter::usual;
  std::string filter;  // a substring of any cell, ignoring case
  bool filter_prompt = false;

  std::vector<NetRow> rows;  // rebuilt by rebuild_net_rows
  ListState list;
  std::optional<std::string> selected;  // NetSocket::key
};

// What must be read for the kinds the screen shows (every state: l and a filter what was read).
SocketFilter network_filter(const NetworkState& n);

// The sockets of `net` (joined against `snapshot`) into n's cells; rows rebuilt.
void take_sockets(NetworkState& n, const PodNetwork& net, const Snapshot& snapshot);

// Rows from the sockets: shown kinds, states and filter; a group per container in the
// snapshot's order, then no container, then no process; listeners first within a group. The
// selection stays on its socket when it is still listed.
void rebuild_net_rows(NetworkState& n);

// The selected socket, if any.
const NetSocket* selected_socket(const NetworkState& n);
void move_net_cursor(NetworkState& n, ListMove move);

// A group's header: "== web: 3 sockets, 1 listening".
std::string net_group_title(const NetworkState& n, int group);

// The container view's listening ports per container name (escaped): "tcp 0.0.0.0:80, udp
// [::]:53", from summarize_network's groups. Containers with none are left out.
std::map<std::string, std::string> listening_by_container(const PodNetwork& net,
                                                          const Snapshot& snapshot);
// What that read needs: TCP and UDP listeners, no tcp_info.
SocketFilter listeners_filter();

}  // namespace nsdebug::tui
