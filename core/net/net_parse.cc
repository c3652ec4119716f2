#include "core/net/net_parse.h"

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <sstream>
#include <vector>

#include <fmt/format.h>

namespace nsdebug {
namespace {

constexpr std::array<const char*, 12> kTcpStates{
    "", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
    "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"};

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> w;
  std::size_t i = 0;
  while (i < line.size()) {
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

}  // namespace

std::string decode_inet_address(std::string_view hex) {
  auto colon = hex.find(':');
  if (colon == std::string_view::npos) return {};
  unsigned port = 0;
  if (!parse_num(hex.substr(colon + 1), port, 16)) return {};
  auto addr = hex.substr(0, colon);
  // The kernel prints each 32-bit word of the address in host byte order (little-endian here).
  std::array<std::uint32_t, 4> w{};
  std::size_t n = addr.size() / 8;
  if ((n != 1 && n != 4) || addr.size() % 8) return {};
  for (std::size_t i = 0; i < n; ++i)
    if (!parse_num(addr.substr(i * 8, 8), w[i], 16)) return {};
  char buf[INET6_ADDRSTRLEN] = {};
  if (n == 1) {
    ::inet_ntop(AF_INET, w.data(), buf, sizeof buf);
    return fmt::format("{}:{}", buf, port);
  }
  ::inet_ntop(AF_INET6, w.data(), buf, sizeof buf);
  return fmt::format("[{}]:{}", buf, port);
}

void parse_inet_sockets(std::string_view text, std::string_view proto, SocketNames& out) {
  for_each_line_after_header(text, [&](std::string_view line) {
    auto w = words(line);
    std::uint64_t inode = 0;
    unsigned state = 0;
    if (w.size() < 10 || !parse_num(w[9], inode, 10) || !parse_num(w[3], state, 16)) return;
    std::string local = decode_inet_address(w[1]), remote = decode_inet_address(w[2]);
    bool tcp = proto.starts_with("tcp");
    const char* st = tcp && state < kTcpStates.size() ? kTcpStates[state] : "";
    if (tcp && state == 10)  // LISTEN: the remote end is all zeros, noise
      out[inode] = fmt::format("{} {} LISTEN", proto, local);
    else
      out[inode] = fmt::format("{} {} -> {}{}{}", proto, local, remote, *st ? " " : "", st);
  });
}

void parse_unix_sockets(std::string_view text, SocketNames& out) {
  for_each_line_after_header(text, [&](std::string_view line) {
    auto w = words(line);
    std::uint64_t inode = 0;
    if (w.size() < 7 || !parse_num(w[6], inode, 10)) return;
    out[inode] = w.size() >= 8 ? fmt::format("unix {}", w[7]) : "unix";
  });
}

}  // namespace nsdebug
