// The network screen's rows: the sockets read, filtered by the screen's keys and grouped by the
// container of their first holder; the container view's listening ports.
#include "tui/network.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/net/net_summary.h"
#include "tui/text.h"

namespace nsdebug::tui {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The same socket across reads: its inode; a socket no process holds (TIME-WAIT) has none.
std::string socket_key(const Socket& s) {
  if (s.inode) return fmt::format("i{}", s.inode);
  return fmt::format("{} {} {} {}", netid_name(s), format_endpoint(s.local), format_endpoint(s.peer),
                     state_name(s.state));
}

SocketRow escaped(SocketRow r) {
  for (std::string* c : {&r.netid, &r.state, &r.recv_q, &r.send_q, &r.local, &r.peer,
                         &r.container, &r.process})
    *c = escape_bytes(*c);
  return r;
}

bool kind_shown(const NetworkState& n, Protocol p) {
  switch (p) {
    case Protocol::tcp: return n.tcp;
    case Protocol::udp: return n.udp;
    case Protocol::raw: return n.raw;
    case Protocol::unix_stream:
    case Protocol::unix_dgram:
    case Protocol::unix_seqpacket: return n.unix_sockets;
  }
  return false;
}

bool state_shown(const NetSocket& s, StateFilter f) {
  switch (f) {
    case StateFilter::all: return true;
    case StateFilter::listening: return s.listening;
    case StateFilter::usual:
      return s.state != SocketState::time_wait && s.state != SocketState::syn_recv &&
             s.state != SocketState::new_syn_recv;
  }
  return true;
}

// `needle` is lower case.
bool matches(const NetSocket& s, const std::string& needle) {
  if (needle.empty()) return true;
  const SocketRow& r = s.cells;
  for (const std::string* c : {&r.netid, &r.state, &r.local, &r.peer, &r.container, &r.process})
    if (lower(*c).find(needle) != std::string::npos) return true;
  return false;
}

int group_of(const NetSocket& s) {
  if (!s.held) return kNoProcess;
  return s.container >= 0 ? s.container : kNoContainer;
}

// Containers in the snapshot's order, then no container, then no process.
std::vector<int> group_order(const NetworkState& n) {
  std::vector<int> out;
  for (int c = 0; c < static_cast<int>(n.containers.size()); ++c) out.push_back(c);
  out.push_back(kNoContainer);
  out.push_back(kNoProcess);
  return out;
}

Selectable socket_rows(const NetworkState& n) {
  return [&n](std::size_t i) { return n.rows[i].socket >= 0; };
}

void select_cursor(NetworkState& n) {
  const NetSocket* s = selected_socket(n);
  if (s) n.selected = s->key;
  else n.selected.reset();
}

}  // namespace

SocketFilter network_filter(const NetworkState& n) {
  SocketFilter f;
  f.kinds = {.tcp = n.tcp, .udp = n.udp, .raw = n.raw, .unix_sockets = n.unix_sockets,
             .tcp_info = false};
  f.states = StateFilter::all;
  return f;
}

SocketFilter listeners_filter() {
  SocketFilter f;
  f.kinds = {.tcp = true, .udp = true, .raw = false, .unix_sockets = false, .tcp_info = false};
  f.states = StateFilter::listening;
  return f;
}

void take_sockets(NetworkState& n, const PodNetwork& net, const Snapshot& snapshot) {
  n.read = true;
  n.error.reset();
  n.containers.clear();
  for (const auto& c : snapshot.containers) n.containers.push_back(escape_bytes(c.name));
  n.sockets.clear();
  n.sockets.reserve(net.sockets.size());
  bool hidden = !net.hidden.empty();
  for (const PodSocket& p : net.sockets) {
    NetSocket s;
    s.protocol = p.socket.protocol;
    s.listening = is_listening(p.socket);
    s.state = p.socket.state;
    s.cells = escaped(socket_row(p, snapshot, hidden));
    s.key = socket_key(p.socket);
    s.held = !p.holders.empty();
    if (s.held) {
      const Holder& h = p.holders.front();
      s.holder = h.pid;
      const Process* proc = snapshot.find(h.pid);
      s.holder_start = proc ? proc->start_ticks : 0;
      s.container = h.container;
    }
    n.sockets.push_back(std::move(s));
  }
  n.note.clear();
  if (net.netlink_refused)
    n.note = "sock_diag refused, read /proc/net: no listener backlog, no unix peers";
  if (hidden)
    n.note += fmt::format("{}the descriptors of {} process{} are unreadable: '?' may be theirs",
                          n.note.empty() ? "" : "; ", net.hidden.size(),
                          net.hidden.size() == 1 ? "" : "es");
  rebuild_net_rows(n);
}

void rebuild_net_rows(NetworkState& n) {
  std::optional<std::string> keep = n.selected;
  std::size_t old_cursor = n.list.cursor;
  std::string needle = lower(n.filter);
  std::vector<int> shown;
  for (int i = 0; i < static_cast<int>(n.sockets.size()); ++i) {
    const NetSocket& s = n.sockets[static_cast<std::size_t>(i)];
    if (kind_shown(n, s.protocol) && state_shown(s, n.states) && matches(s, needle))
      shown.push_back(i);
  }
  n.rows.clear();
  for (int g : group_order(n)) {
    auto first = n.rows.size();
    // Listeners first; otherwise core's order (netid, addresses).
    for (bool listeners : {true, false})
      for (int i : shown) {
        const NetSocket& s = n.sockets[static_cast<std::size_t>(i)];
        if (group_of(s) != g || s.listening != listeners) continue;
        if (n.rows.size() == first) n.rows.push_back({-1, g});
        n.rows.push_back({i, g});
      }
  }
  set_count(n.list, n.rows.size());
  std::optional<std::size_t> found;
  for (std::size_t i = 0; keep && i < n.rows.size(); ++i)
    if (n.rows[i].socket >= 0 && n.sockets[static_cast<std::size_t>(n.rows[i].socket)].key == *keep)
      found = i;
  if (found)
    move_to(n.list, *found);
  else
    move_to(n.list, std::min(old_cursor, n.rows.empty() ? 0 : n.rows.size() - 1), 1, socket_rows(n));
  select_cursor(n);
}

const NetSocket* selected_socket(const NetworkState& n) {
  if (n.list.cursor >= n.rows.size()) return nullptr;
  int i = n.rows[n.list.cursor].socket;
  return i < 0 ? nullptr : &n.sockets[static_cast<std::size_t>(i)];
}

void move_net_cursor(NetworkState& n, ListMove move) {
  if (n.rows.empty()) return;
  move_list(n.list, move, socket_rows(n));
  select_cursor(n);
}

std::string net_group_title(const NetworkState& n, int group) {
  std::size_t count = 0, listening = 0;
  for (const NetRow& r : n.rows) {
    if (r.group != group || r.socket < 0) continue;
    ++count;
    listening += n.sockets[static_cast<std::size_t>(r.socket)].listening;
  }
  std::string name = group == kNoProcess ? "held by no process we can see"
                     : group == kNoContainer ? "in no container"
                     : n.containers[static_cast<std::size_t>(group)];
  return fmt::format("== {}: {} socket{}, {} listening", name, count, count == 1 ? "" : "s",
                     listening);
}

std::map<std::string, std::string> listening_by_container(const PodNetwork& net,
                                                          const Snapshot& snapshot) {
  std::map<std::string, std::string> out;
  NetSummary sum = summarize_network(net, snapshot, std::nullopt);
  for (const ContainerSockets& g : sum.containers) {
    if (g.container < 0 || g.listening.empty()) continue;
    std::string ports;
    for (const PodSocket* p : g.listening)
      ports += fmt::format("{}{} {}", ports.empty() ? "" : ", ", netid_name(p->socket),
                           format_endpoint(p->socket.local));
    out[snapshot.containers[static_cast<std::size_t>(g.container)].name] = escape_bytes(ports);
  }
  return out;
}

}  // namespace nsdebug::tui
