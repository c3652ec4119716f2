#include "core/net/net_summary.h"

#include <fcntl.h>

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "core/base/unique_fd.h"
#include "core/proc/procfs.h"

namespace nsdebug {
namespace {

bool is_connection(const Socket& s) {
  return s.protocol == Protocol::tcp && s.state != SocketState::listen;
}

std::uint32_t idle_seconds(const Socket& s) {
  return s.tcp_info ? s.tcp_info->last_data_recv_ms / 1000 : 0;
}

// Connections the kernel accepted for `listener` that no process holds yet: its accept queue.
std::vector<const PodSocket*> waiting_children(const PodNetwork& net, const Socket& listener) {
  std::vector<const PodSocket*> out;
  for (const PodSocket& p : net.sockets) {
    const Socket& s = p.socket;
    if (s.protocol != Protocol::tcp || s.state != SocketState::established || s.inode != 0 ||
        s.family != listener.family || s.local.port != listener.local.port)
      continue;
    if (!listener.local.any_address() && s.local.address != listener.local.address) continue;
    out.push_back(&p);
  }
  return out;
}

void judge_listener(const PodNetwork& net, const PodSocket& p, std::vector<Verdict>& out) {
  const Socket& s = p.socket;
  if (s.recv_q == 0) return;
  if (s.recv_q >= s.send_q) {
    out.push_back({VerdictKind::accept_queue_full, &p, 1, s.recv_q, 0});
    return;
  }
  auto children = waiting_children(net, s);
  auto oldest = std::ranges::max_element(children, {}, [](auto* c) { return idle_seconds(c->socket); });
  if (oldest == children.end() || idle_seconds((*oldest)->socket) < kStuckSeconds) return;
  out.push_back({VerdictKind::accept_waiting, &p, children.size(), s.recv_q, idle_seconds((*oldest)->socket)});
}

// CLOSE-WAIT sockets idle for kStuckSeconds, grouped by their first holder.
void judge_close_wait(const PodNetwork& net, std::vector<Verdict>& out) {
  std::map<pid_t, Verdict> by_holder;
  for (const PodSocket& p : net.sockets) {
    if (p.socket.state != SocketState::close_wait || idle_seconds(p.socket) < kStuckSeconds) continue;
    pid_t pid = p.holders.empty() ? 0 : p.holders.front().pid;
    auto [it, added] = by_holder.try_emplace(pid, Verdict{VerdictKind::close_wait, &p, 0, 0, 0});
    it->second.count++;
    if (idle_seconds(p.socket) > it->second.seconds) {
      it->second.seconds = idle_seconds(p.socket);
      it->second.socket = &p;
    }
  }
  for (auto& [pid, v] : by_holder) out.push_back(v);
}

void judge_connection(const PodSocket& p, std::vector<Verdict>& out) {
  const Socket& s = p.socket;
  if (s.state == SocketState::syn_sent && s.tcp_info && s.tcp_info->retransmits > 0)
    out.push_back({VerdictKind::syn_sent_unanswered, &p, 1, s.tcp_info->retransmits, 0});
  if (s.state == SocketState::established && s.inode != 0 && s.recv_q > 0 &&
      idle_seconds(s) >= kStuckSeconds)
    out.push_back({VerdictKind::receive_queue_stuck, &p, 1, s.recv_q, idle_seconds(s)});
}

ContainerSockets& group_of(std::vector<ContainerSockets>& groups, const PodSocket& p) {
  int c = p.holders.empty() ? -1 : p.holders.front().container;
  auto it = std::ranges::find(groups, c, &ContainerSockets::container);
  return it != groups.end() ? *it : groups.back();
}

std::string holder_words(const PodSocket* p, const Snapshot& snapshot) {
  if (!p || p->holders.empty()) return "no process we can see";
  const Holder& h = p->holders.front();
  std::string who = fmt::format("{} (pid {}", h.comm, h.pid);
  if (h.container >= 0) who += ", container " + snapshot.containers[h.container].name;
  return who + ")";
}

std::string socket_words(const PodSocket* p) {
  if (!p) return "";
  const Socket& s = p->socket;
  if (s.state == SocketState::listen) return fmt::format("{} {}", netid_name(s), format_endpoint(s.local));
  return fmt::format("{} {} -> {}", netid_name(s), format_endpoint(s.local), format_endpoint(s.peer));
}

}  // namespace

NetSummary summarize_network(const PodNetwork& net, const Snapshot& snapshot,
                             std::optional<std::uint64_t> listen_overflows) {
  NetSummary sum;
  for (std::size_t i = 0; i < snapshot.containers.size(); ++i)
    sum.containers.push_back({static_cast<int>(i), {}, {}, 0, 0});
  sum.containers.push_back({-1, {}, {}, 0, 0});
  for (const PodSocket& p : net.sockets) {
    const Socket& s = p.socket;
    if (s.protocol == Protocol::tcp && s.inode == 0) {  // TIME-WAIT, or waiting to be accepted
      if (s.state == SocketState::time_wait) sum.containers.back().tcp_states[s.state]++;
    } else {
      ContainerSockets& g = group_of(sum.containers, p);
      if (is_listening(s) && !is_unix(s.protocol)) g.listening.push_back(&p);
      else if (is_connection(s)) g.tcp_states[s.state]++;
      else if (is_unix(s.protocol)) g.unix_sockets++;
      else g.udp++;
    }
    if (s.state == SocketState::listen) judge_listener(net, p, sum.verdicts);
    else judge_connection(p, sum.verdicts);
  }
  judge_close_wait(net, sum.verdicts);
  if (listen_overflows && *listen_overflows > 0)
    sum.verdicts.push_back({VerdictKind::listen_overflows, nullptr, 1, *listen_overflows, 0});
  std::erase_if(sum.containers, [](const ContainerSockets& g) {
    return g.listening.empty() && g.tcp_states.empty() && g.udp == 0 && g.unix_sockets == 0;
  });
  return sum;
}

std::optional<std::uint64_t> parse_listen_overflows(std::string_view netstat) {
  // Two lines per group: "TcpExt: Name1 Name2 ..." then "TcpExt: value1 value2 ...".
  auto header = netstat.find("TcpExt:");
  if (header == std::string_view::npos) return std::nullopt;
  auto header_end = netstat.find('\n', header);
  if (header_end == std::string_view::npos) return std::nullopt;
  auto names = netstat.substr(header, header_end - header);
  auto values = netstat.substr(header_end + 1);
  if (!values.starts_with("TcpExt:")) return std::nullopt;
  values = values.substr(0, values.find('\n'));
  auto next_word = [](std::string_view& line) {
    auto b = line.find_first_not_of(' ');
    if (b == std::string_view::npos) return line = {}, std::string_view{};
    auto e = line.find(' ', b);
    auto word = line.substr(b, e == std::string_view::npos ? line.size() - b : e - b);
    line = e == std::string_view::npos ? std::string_view{} : line.substr(e);
    return word;
  };
  next_word(names);
  next_word(values);
  for (auto name = next_word(names), value = next_word(values); !name.empty() && !value.empty();
       name = next_word(names), value = next_word(values)) {
    if (name != "ListenOverflows") continue;
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return n;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> read_listen_overflows() {
  UniqueFd net(::open("/proc/self/net", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!net) return std::nullopt;
  auto text = read_small_file(net.get(), "netstat", 64 * 1024);
  return text ? parse_listen_overflows(*text) : std::nullopt;
}

std::string verdict_sentence(const Verdict& v, const Snapshot& snapshot) {
  auto who = holder_words(v.socket, snapshot);
  auto what = socket_words(v.socket);
  switch (v.kind) {
    case VerdictKind::accept_queue_full:
      return fmt::format("accept queue of {} is full ({} of {}): {} does not accept fast enough; "
                         "new connections are dropped", what, v.value, v.socket->socket.send_q, who);
    case VerdictKind::accept_waiting:
      return fmt::format("{} connection{} to {} waited {} s to be accepted: {} does not call accept()",
                         v.count, v.count == 1 ? "" : "s", what, v.seconds, who);
    case VerdictKind::listen_overflows:
      return fmt::format("the pod's network dropped {} connection{} at full accept queues "
                         "(TcpExt ListenOverflows, since it was made)", v.value, v.value == 1 ? "" : "s");
    case VerdictKind::close_wait:
      return fmt::format("{} connection{} in CLOSE-WAIT for up to {} s: the peer closed, {} did "
                         "not close {} (oldest {})", v.count, v.count == 1 ? "" : "s", v.seconds,
                         who, v.count == 1 ? "it" : "them", what);
    case VerdictKind::syn_sent_unanswered:
      return fmt::format("{}: connect() sent its SYN {} more time{}, unanswered: the peer does "
                         "not answer ({})", what, v.value, v.value == 1 ? "" : "s", who);
    case VerdictKind::receive_queue_stuck:
      return fmt::format("{}: {} bytes unread for {} s: {} stopped reading", what, v.value,
                         v.seconds, who);
  }
  return {};
}

}  // namespace nsdebug
