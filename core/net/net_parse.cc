#include "core/net/net_parse.h"

#include <array>
#include <charconv>
#include <cstring>

namespace nsdebug {
namespace {

std::vector<std::string_view> words(std::string_view line, std::size_t max) {
  std::vector<std::string_view> w;
  std::size_t i = 0;
  while (i < line.size() && w.size() < max) {
    while (i < line.size() && line[i] == ' ') ++i;
    std::size_t start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    if (i > start) w.push_back(line.substr(start, i - start));
  }
  return w;
}

template <class T>
bool parse_num(std::string_view s, T& v, int base) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  return ec == std::errc() && end == s.data() + s.size();
}

template <class F>
void for_each_line_after_header(std::string_view text, F f) {
  bool header = true;
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!header) f(line);
    header = false;
  }
}

// "00000000:00000001" -> the two queue lengths.
bool parse_queues(std::string_view field, Socket& s) {
  auto colon = field.find(':');
  return colon != std::string_view::npos && parse_num(field.substr(0, colon), s.send_q, 16) &&
         parse_num(field.substr(colon + 1), s.recv_q, 16);
}

// /proc/net/unix's St (socket_state) and the __SO_ACCEPTCON flag as a SocketState.
SocketState unix_state(unsigned st, unsigned flags) {
  constexpr unsigned kAcceptCon = 1u << 16;
  if (flags & kAcceptCon) return SocketState::listen;
  switch (st) {
    case 2: return SocketState::syn_sent;     // SS_CONNECTING
    case 3: return SocketState::established;  // SS_CONNECTED
    case 4: return SocketState::close;        // SS_DISCONNECTING
    default: return SocketState::close;       // SS_UNCONNECTED, SS_FREE
  }
}

std::optional<Protocol> unix_type(unsigned type) {
  switch (type) {
    case 1: return Protocol::unix_stream;
    case 2: return Protocol::unix_dgram;
    case 5: return Protocol::unix_seqpacket;
    default: return std::nullopt;
  }
}

}  // namespace

std::optional<Endpoint> decode_inet_address(std::string_view hex) {
  auto colon = hex.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  Endpoint e;
  if (!parse_num(hex.substr(colon + 1), e.port, 16)) return std::nullopt;
  auto addr = hex.substr(0, colon);
  std::array<std::uint32_t, 4> w{};
  std::size_t n = addr.size() / 8;
  if ((n != 1 && n != 4) || addr.size() % 8) return std::nullopt;
  for (std::size_t i = 0; i < n; ++i)
    if (!parse_num(addr.substr(i * 8, 8), w[i], 16)) return std::nullopt;
  // Each word was printed from memory as a host-order number: copying it back gives the bytes.
  std::memcpy(e.address.data(), w.data(), n * 4);
  e.family = n == 1 ? AF_INET : AF_INET6;
  return e;
}

void parse_inet_sockets(std::string_view text, Protocol protocol, int family,
                        std::vector<Socket>& out) {
  for_each_line_after_header(text, [&](std::string_view line) {
    auto w = words(line, 10);
    Socket s;
    s.protocol = protocol;
    s.family = family;
    unsigned state = 0;
    auto local = w.size() == 10 ? decode_inet_address(w[1]) : std::nullopt;
    auto peer = w.size() == 10 ? decode_inet_address(w[2]) : std::nullopt;
    if (!local || !peer || local->family != family || peer->family != family ||
        !parse_num(w[3], state, 16) || !parse_queues(w[4], s) || !parse_num(w[7], s.uid, 10) ||
        !parse_num(w[9], s.inode, 10))
      return;
    s.state = static_cast<SocketState>(state);
    s.local = *local;
    s.peer = *peer;
    out.push_back(std::move(s));
  });
}

void parse_unix_sockets(std::string_view text, std::vector<Socket>& out) {
  // "Num RefCount Protocol Flags Type St Inode Path"
  for_each_line_after_header(text, [&](std::string_view line) {
    auto w = words(line, 7);
    unsigned flags = 0, type = 0, st = 0;
    Socket s;
    if (w.size() < 7 || !parse_num(w[3], flags, 16) || !parse_num(w[4], type, 16) ||
        !parse_num(w[5], st, 16) || !parse_num(w[6], s.inode, 10))
      return;
    auto protocol = unix_type(type);
    if (!protocol) return;
    s.protocol = *protocol;
    s.family = s.local.family = s.peer.family = AF_UNIX;
    s.state = unix_state(st, flags);
    auto after_inode = static_cast<std::size_t>(w[6].data() + w[6].size() - line.data());
    if (after_inode + 1 < line.size()) {
      auto name = line.substr(after_inode + 1);
      s.local.abstract = name.front() == '@';
      s.local.unix_name = std::string(s.local.abstract ? name.substr(1) : name);
    }
    out.push_back(std::move(s));
  });
}

}  // namespace nsdebug
