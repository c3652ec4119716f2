#pragma once
// Pure parsers for /proc/PID/net/{tcp,tcp6,udp,udp6,unix}: socket inode -> what it is, so an
// fd's "socket:[12345]" can be shown as "tcp 0.0.0.0:80 LISTEN".
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace nsdebug {

using SocketNames = std::unordered_map<std::uint64_t, std::string>;

// One /proc/net/tcp-format table (tcp, tcp6, udp, udp6); `proto` prefixes each description
// ("tcp 127.0.0.1:8080 -> 10.0.0.2:51234 ESTABLISHED"). Adds to `out`.
void parse_inet_sockets(std::string_view text, std::string_view proto, SocketNames& out);

// /proc/net/unix: "unix /run/app.sock" (or "unix @abstract", "unix" for unnamed). Adds to `out`.
void parse_unix_sockets(std::string_view text, SocketNames& out);

// "0100007F:1F90" -> "127.0.0.1:8080"; 32 hex digits -> "[::1]:8080". Empty when malformed.
std::string decode_inet_address(std::string_view hex);

}  // namespace nsdebug
