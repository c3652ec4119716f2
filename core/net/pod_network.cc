#include "core/net/pod_network.h"

#include <algorithm>
#include <tuple>
#include <unordered_map>

namespace nsdebug {
namespace {

std::vector<Holder> holders_of(std::uint64_t inode, const SocketOwners& owners,
                               const Snapshot& snapshot) {
  std::vector<Holder> out;
  if (inode == 0) return out;
  auto it = owners.by_inode.find(inode);
  if (it == owners.by_inode.end()) return out;
  for (const SocketHolder& h : it->second) {
    const Process* p = snapshot.find(h.pid);
    if (!p) continue;
    out.push_back({h.pid, h.fd, p->comm, p->container});
  }
  return out;
}

bool matches_container(const std::vector<Holder>& holders, const Snapshot& snapshot,
                       const std::string& name) {
  return std::ranges::any_of(holders, [&](const Holder& h) {
    return h.container >= 0 && snapshot.containers[static_cast<std::size_t>(h.container)].name == name;
  });
}

bool passes(const PodSocket& s, const Snapshot& snapshot, const SocketFilter& f) {
  if (!passes_states(s.socket, f.states)) return false;
  if (f.port && s.socket.local.port != *f.port && s.socket.peer.port != *f.port) return false;
  if (f.pid && std::ranges::none_of(s.holders, [&](const Holder& h) { return h.pid == *f.pid; }))
    return false;
  if (f.container && !matches_container(s.holders, snapshot, *f.container)) return false;
  return true;
}

// netid (tcp, tcp6, udp, udp6, raw, raw6, unix), listeners first, then addresses.
bool sorts_before(const PodSocket& x, const PodSocket& y) {
  auto rank = [](const Socket& s) {
    auto protocol = is_unix(s.protocol) ? Protocol::unix_stream : s.protocol;
    return std::tuple(protocol, s.family, !is_listening(s));
  };
  const Socket& a = x.socket;
  const Socket& b = y.socket;
  if (rank(a) != rank(b)) return rank(a) < rank(b);
  return std::tie(a.local.port, a.local.address, a.local.unix_name, a.peer.port, a.peer.address,
                  a.inode) < std::tie(b.local.port, b.local.address, b.local.unix_name,
                                      b.peer.port, b.peer.address, b.inode);
}

}  // namespace

bool is_listening(const Socket& s) {
  if (s.state == SocketState::listen) return true;
  // A bound, unconnected datagram socket receives from anyone: ss -l counts it.
  bool datagram = s.protocol == Protocol::udp || s.protocol == Protocol::raw ||
                  s.protocol == Protocol::unix_dgram;
  return datagram && s.state == SocketState::close;
}

bool passes_states(const Socket& s, StateFilter f) {
  switch (f) {
    case StateFilter::all: return true;
    case StateFilter::listening: return is_listening(s);
    case StateFilter::usual:
      return s.state != SocketState::time_wait && s.state != SocketState::syn_recv &&
             s.state != SocketState::new_syn_recv;
  }
  return true;
}

PodNetwork join_sockets(SocketList list, const SocketOwners& owners, const Snapshot& snapshot,
                        const SocketFilter& filter) {
  PodNetwork net;
  net.source = list.source;
  net.netlink_refused = std::move(list.netlink_refused);
  net.hidden = owners.hidden;
  // A connected unix socket's peer, named before the moves (and before filtering drops it).
  std::unordered_map<std::uint64_t, const Socket*> unix_by_inode;
  for (const Socket& s : list.sockets)
    if (is_unix(s.protocol)) unix_by_inode.emplace(s.inode, &s);
  std::unordered_map<std::size_t, Endpoint> peer_names;
  for (std::size_t i = 0; i < list.sockets.size(); ++i)
    if (auto it = unix_by_inode.find(list.sockets[i].peer_inode);
        list.sockets[i].peer_inode && it != unix_by_inode.end())
      peer_names.emplace(i, it->second->local);
  // Reserved, not grown: at 10,000 sockets a doubling vector was half of our peak memory.
  net.sockets.reserve(list.sockets.size());
  for (std::size_t i = 0; i < list.sockets.size(); ++i) {
    PodSocket ps{std::move(list.sockets[i]), {}, {}};
    ps.holders = holders_of(ps.socket.inode, owners, snapshot);
    if (ps.socket.peer_inode) {
      ps.peer_holders = holders_of(ps.socket.peer_inode, owners, snapshot);
      if (auto it = peer_names.find(i); it != peer_names.end()) ps.socket.peer = std::move(it->second);
    }
    if (passes(ps, snapshot, filter)) net.sockets.push_back(std::move(ps));
  }
  std::ranges::sort(net.sockets, sorts_before);
  return net;
}

namespace {

// The processes whose descriptors a filter needs: with -p or -c only those (a socket passes
// only when one of them holds it), so we neither scan nor report the others.
std::vector<Process> processes_to_scan(const Snapshot& snapshot, const SocketFilter& filter) {
  std::vector<Process> out;
  for (const Process& p : snapshot.processes) {
    if (filter.pid && p.pid != *filter.pid) continue;
    if (filter.container &&
        (p.container < 0 || snapshot.containers[static_cast<std::size_t>(p.container)].name != *filter.container))
      continue;
    out.push_back(p);
  }
  return out;
}

}  // namespace

Result<PodNetwork> look_at_network(const Snapshot& snapshot, const SocketFilter& filter) {
  auto list = read_sockets(filter.kinds);
  if (!list) return std::unexpected(list.error());
  auto owners = filter.pid || filter.container
                    ? find_socket_owners(processes_to_scan(snapshot, filter))
                    : find_socket_owners(snapshot.processes);
  return join_sockets(std::move(*list), owners, snapshot, filter);
}

}  // namespace nsdebug
