#include "core/net/socket.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace nsdebug {

bool is_unix(Protocol p) {
  return p == Protocol::unix_stream || p == Protocol::unix_dgram || p == Protocol::unix_seqpacket;
}

bool Endpoint::any_address() const {
  std::size_t n = family == AF_INET ? 4 : 16;
  return std::all_of(address.begin(), address.begin() + n, [](auto b) { return b == 0; });
}

std::string_view netid_name(const Socket& s) {
  bool v6 = s.family == AF_INET6;
  switch (s.protocol) {
    case Protocol::tcp: return v6 ? "tcp6" : "tcp";
    case Protocol::udp: return v6 ? "udp6" : "udp";
    case Protocol::raw: return v6 ? "raw6" : "raw";
    default: return "unix";
  }
}

std::string_view unix_type_name(Protocol p) {
  switch (p) {
    case Protocol::unix_stream: return "stream";
    case Protocol::unix_dgram: return "dgram";
    case Protocol::unix_seqpacket: return "seqpacket";
    default: return "";
  }
}

std::string_view state_name(SocketState s) {
  // ss's names (misc/ss.c sstate_name), index = the kernel's number.
  static constexpr std::array<std::string_view, 14> kNames{
      "UNKNOWN",   "ESTAB",  "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT",
      "UNCONN",    "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",   "SYN-RECV",   "UNKNOWN"};
  auto i = static_cast<std::size_t>(s);
  return i < kNames.size() ? kNames[i] : "UNKNOWN";
}

std::string format_endpoint(const Endpoint& e) {
  if (e.family == AF_UNIX) {
    if (e.unix_name.empty() && !e.abstract) return "*";
    return e.abstract ? "@" + e.unix_name : e.unix_name;
  }
  char text[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(e.family == AF_INET6 ? AF_INET6 : AF_INET, e.address.data(), text, sizeof text);
  std::string port = e.port ? std::to_string(e.port) : "*";
  return e.family == AF_INET6 ? fmt::format("[{}]:{}", text, port) : fmt::format("{}:{}", text, port);
}

std::string describe_socket(const Socket& s) {
  auto netid = netid_name(s);
  if (s.family == AF_UNIX) {
    auto name = format_endpoint(s.local);
    return name == "*" ? std::string(netid) : fmt::format("{} {}", netid, name);
  }
  if (s.state == SocketState::listen)
    return fmt::format("{} {} LISTEN", netid, format_endpoint(s.local));
  return fmt::format("{} {} -> {} {}", netid, format_endpoint(s.local), format_endpoint(s.peer),
                     state_name(s.state));
}

}  // namespace nsdebug
