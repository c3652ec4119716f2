#pragma once
// Pure parsers of /proc/net/{tcp,tcp6,udp,udp6,raw,raw6,unix}: the fallback when netlink's
// sock_diag is refused (core/net/pod_network says which source it used). They know less than
// sock_diag: no listener backlog (SEND-Q is 0), no unix peers, no tcp_info.
#include <optional>
#include <string_view>
#include <vector>

#include "core/net/socket.h"

namespace nsdebug {

// One /proc/net/tcp-format table; `protocol` and `family` are the file's (tcp6: tcp, AF_INET6).
void parse_inet_sockets(std::string_view text, Protocol protocol, int family,
                        std::vector<Socket>& out);

// /proc/net/unix. A path is everything after the inode field, spaces included; the kernel
// shows an abstract name's NUL as '@' (and every other NUL in it too), so such a name is kept
// as printed, after that '@'.
void parse_unix_sockets(std::string_view text, std::vector<Socket>& out);

// "0100007F:1F90" (the kernel prints each 32-bit word in host order) -> 127.0.0.1 port 8080;
// 32 hex digits for IPv6. nullopt when malformed.
std::optional<Endpoint> decode_inet_address(std::string_view hex);

}  // namespace nsdebug
