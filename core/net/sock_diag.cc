#include "core/net/sock_diag.h"

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>

#include <fmt/format.h>

#include "core/base/unique_fd.h"
#include "core/net/sock_diag_parse.h"

namespace nsdebug {
namespace {

// Every state, as ss -a asks: TIME-WAIT and request sockets (NEW_SYN_RECV) included.
constexpr std::uint32_t kAllStates = 0xffffffffu;
// A dump answers in chunks of about a page per recv; a larger buffer takes several at once.
constexpr std::size_t kReceiveBuffer = 64 * 1024;

Result<UniqueFd> open_diag_socket() {
  UniqueFd fd(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
  if (!fd) return fail_errno("open a NETLINK_SOCK_DIAG socket");
  return fd;
}

template <class Request>
Result<void> send_request(int fd, const Request& body) {
  struct {
    nlmsghdr header;
    Request body;
  } message{};
  message.header.nlmsg_len = sizeof message;
  message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  message.body = body;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (::sendto(fd, &message, sizeof message, 0, reinterpret_cast<sockaddr*>(&kernel),
               sizeof kernel) < 0)
    return fail_errno("send a sock_diag request");
  return {};
}

// Reads the dump to its end. EINVAL/ENOENT/EOPNOTSUPP from the kernel: it cannot dump this
// protocol (raw_diag missing); that is an empty answer, not a failure.
Result<void> receive_dump(int fd, Protocol request, std::vector<Socket>& out) {
  std::vector<std::uint8_t> buffer(kReceiveBuffer);
  DiagChunk chunk;
  chunk.sockets = std::move(out);
  while (!chunk.done) {
    ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_errno("read a sock_diag answer");
    if (n == 0) break;
    parse_diag_messages(std::span(buffer.data(), static_cast<std::size_t>(n)), request, chunk);
  }
  out = std::move(chunk.sockets);
  if (chunk.error == 0 || chunk.error == EINVAL || chunk.error == ENOENT ||
      chunk.error == EOPNOTSUPP)
    return {};
  return fail(chunk.error, "dump sockets over sock_diag");
}

Result<void> dump_inet(int fd, int family, Protocol protocol, bool info, std::vector<Socket>& out) {
  inet_diag_req_v2 r{};
  r.sdiag_family = static_cast<std::uint8_t>(family);
  r.idiag_states = kAllStates;
  switch (protocol) {
    case Protocol::tcp: r.sdiag_protocol = IPPROTO_TCP; break;
    case Protocol::udp: r.sdiag_protocol = IPPROTO_UDP; break;
    default:
      // raw_diag reads the pad byte as the raw protocol; IPPROTO_RAW matches every one.
      r.sdiag_protocol = IPPROTO_RAW;
      r.pad = IPPROTO_RAW;
  }
  if (info && protocol == Protocol::tcp)
    r.idiag_ext = (1 << (INET_DIAG_INFO - 1)) | (1 << (INET_DIAG_SKMEMINFO - 1));
  if (auto sent = send_request(fd, r); !sent) return sent;
  return receive_dump(fd, protocol, out);
}

Result<void> dump_unix(int fd, std::vector<Socket>& out) {
  unix_diag_req r{};
  r.sdiag_family = AF_UNIX;
  r.udiag_states = kAllStates;
  r.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN | UDIAG_SHOW_UID;
  if (auto sent = send_request(fd, r); !sent) return sent;
  return receive_dump(fd, Protocol::unix_stream, out);
}

}  // namespace

Result<std::vector<Socket>> dump_sockets(const SocketKinds& kinds) {
  auto fd = open_diag_socket();
  if (!fd) return std::unexpected(fd.error());
  std::vector<Socket> out;
  std::vector<Protocol> inet;
  if (kinds.tcp) inet.push_back(Protocol::tcp);
  if (kinds.udp) inet.push_back(Protocol::udp);
  if (kinds.raw) inet.push_back(Protocol::raw);
  for (Protocol p : inet)
    for (int family : {AF_INET, AF_INET6})
      if (auto r = dump_inet(fd->get(), family, p, kinds.tcp_info, out); !r)
        return std::unexpected(r.error());
  if (kinds.unix_sockets)
    if (auto r = dump_unix(fd->get(), out); !r) return std::unexpected(r.error());
  return out;
}

}  // namespace nsdebug
