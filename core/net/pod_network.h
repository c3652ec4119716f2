#pragma once
// The pod's sockets joined to the processes that hold them and their containers: what
// `nsdebug net`, the TUI's network screen and the details page show. All containers of a pod
// share one network namespace, so the namespace we are in is the pod's.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/net/socket_owners.h"
#include "core/net/socket_source.h"
#include "core/pod/snapshot.h"

namespace nsdebug {

// Which states a listing shows.
enum class StateFilter {
  usual,      // listening and connected: all but TIME-WAIT and SYN-RECV (no process holds them)
  listening,  // LISTEN, and UDP/raw/unix datagram sockets bound but unconnected (as ss -l)
  all,
};

struct SocketFilter {
  SocketKinds kinds;
  StateFilter states = StateFilter::usual;
  std::optional<std::string> container;  // a holder in this container (by name)
  std::optional<pid_t> pid;              // held by this process
  std::optional<std::uint16_t> port;     // local or peer port
};

struct Holder {
  pid_t pid = 0;
  int fd = -1;
  std::string comm;      // the target's bytes, unescaped
  int container = -1;    // index into the snapshot's containers; -1: none known
};

struct PodSocket {
  Socket socket;
  std::vector<Holder> holders;       // empty: no process we can see holds it
  std::vector<Holder> peer_holders;  // a unix socket's other end, when in this namespace
};

struct PodNetwork {
  std::vector<PodSocket> sockets;    // sorted: netid, listeners first, local, peer
  SocketSource source = SocketSource::sock_diag;
  std::optional<Error> netlink_refused;
  std::vector<HiddenHolder> hidden;  // processes whose descriptors we could not read
};

// The sockets `filter` names, with their holders from `snapshot`.
Result<PodNetwork> look_at_network(const Snapshot& snapshot, const SocketFilter& filter);

// The same join over sockets already read (tests, the TUI's refresh): pure but for nothing.
PodNetwork join_sockets(SocketList list, const SocketOwners& owners, const Snapshot& snapshot,
                        const SocketFilter& filter);

// Does `s` pass the state filter? (A listener: LISTEN, or a bound unconnected datagram socket.)
bool is_listening(const Socket& s);
bool passes_states(const Socket& s, StateFilter f);

}  // namespace nsdebug
