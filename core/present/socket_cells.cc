#include "core/present/socket_cells.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace nsdebug {
namespace {

std::string bytes_cell(std::uint64_t n) {
  if (n < 1024) return std::to_string(n);
  constexpr const char* kUnits[] = {"K", "M", "G", "T"};
  double v = static_cast<double>(n);
  std::size_t unit = 0;
  for (v /= 1024; v >= 1024 && unit + 1 < std::size(kUnits); v /= 1024) ++unit;
  return fmt::format("{:.1f}{}", v, kUnits[unit]);
}

std::string age_cell(std::uint32_t ms) {
  return ms < 10'000 ? fmt::format("{:.1f}s", ms / 1000.0) : fmt::format("{}s", ms / 1000);
}

}  // namespace

std::string holders_cell(const std::vector<Holder>& holders, bool some_hidden) {
  if (holders.empty()) return some_hidden ? "?" : "-";
  // One group per command, in the order first seen: "nginx(1,29)". A process holding the
  // socket in two descriptors (dup) is named once.
  std::vector<std::pair<std::string, std::vector<pid_t>>> groups;
  for (const Holder& h : holders) {
    auto it = std::ranges::find_if(groups, [&](const auto& g) { return g.first == h.comm; });
    if (it == groups.end()) it = groups.insert(groups.end(), {h.comm, {}});
    if (std::ranges::find(it->second, h.pid) == it->second.end()) it->second.push_back(h.pid);
  }
  std::string out;
  for (const auto& [comm, pids] : groups)
    out += fmt::format("{}{}({})", out.empty() ? "" : " ", comm, fmt::join(pids, ","));
  return out;
}

std::string containers_cell(const std::vector<Holder>& holders, const Snapshot& snapshot) {
  std::vector<int> seen;
  std::string out;
  for (const Holder& h : holders) {
    if (h.container < 0 || std::ranges::find(seen, h.container) != seen.end()) continue;
    seen.push_back(h.container);
    out += (out.empty() ? "" : ",") + snapshot.containers[static_cast<std::size_t>(h.container)].name;
  }
  return out.empty() ? "-" : out;
}

SocketRow socket_row(const PodSocket& p, const Snapshot& snapshot, bool some_hidden) {
  const Socket& s = p.socket;
  SocketRow row{std::string(netid_name(s)),   std::string(state_name(s.state)),
                std::to_string(s.recv_q),     std::to_string(s.send_q),
                format_endpoint(s.local),     format_endpoint(s.peer),
                containers_cell(p.holders, snapshot), holders_cell(p.holders, some_hidden)};
  if (is_unix(s.protocol) && !p.peer_holders.empty())
    row.peer += fmt::format(" <- {} [{}]", holders_cell(p.peer_holders, false),
                            containers_cell(p.peer_holders, snapshot));
  return row;
}

std::vector<std::string> tcp_info_cells(const Socket& s) {
  // A listener has no peer: its tcp_info is all zeros.
  if (!s.tcp_info || s.state == SocketState::listen)
    return std::vector<std::string>(std::size(kTcpInfoHeaders), "-");
  const TcpInfo& t = *s.tcp_info;
  return {fmt::format("{:.2f}/{:.2f}", t.rtt_us / 1000.0, t.rttvar_us / 1000.0),
          std::to_string(t.snd_cwnd),
          std::to_string(t.total_retrans),
          bytes_cell(t.bytes_sent),
          bytes_cell(t.bytes_received),
          age_cell(t.last_data_sent_ms),
          age_cell(t.last_data_recv_ms)};
}

}  // namespace nsdebug
