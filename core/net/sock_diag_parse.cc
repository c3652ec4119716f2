#include "core/net/sock_diag_parse.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <linux/unix_diag.h>

#include <algorithm>
#include <cstring>

namespace nsdebug {
namespace {

// A struct copied out of the buffer: netlink only aligns to 4 bytes, and a short attribute
// (tcp_info from an older kernel) leaves the rest zero.
template <class T>
T copy_prefix(std::span<const std::uint8_t> bytes) {
  T value{};
  std::memcpy(&value, bytes.data(), std::min(bytes.size(), sizeof value));
  return value;
}

// Calls f(type, payload) for each rtattr in `bytes`; stops at the first malformed one.
template <class F>
void for_each_attribute(std::span<const std::uint8_t> bytes, F f) {
  while (bytes.size() >= sizeof(rtattr)) {
    auto a = copy_prefix<rtattr>(bytes);
    if (a.rta_len < sizeof(rtattr) || a.rta_len > bytes.size()) return;
    f(a.rta_type, bytes.subspan(RTA_LENGTH(0), a.rta_len - RTA_LENGTH(0)));
    bytes = bytes.subspan(std::min<std::size_t>(RTA_ALIGN(a.rta_len), bytes.size()));
  }
}

void copy_address(Endpoint& e, int family, const __be32 (&words)[4], __be16 port) {
  e.family = family;
  std::memcpy(e.address.data(), words, family == AF_INET ? 4 : 16);
  e.port = ntohs(port);
}

TcpInfo tcp_info_of(std::span<const std::uint8_t> bytes) {
  auto t = copy_prefix<tcp_info>(bytes);
  TcpInfo i;
  i.rtt_us = t.tcpi_rtt;
  i.rttvar_us = t.tcpi_rttvar;
  i.retransmits = t.tcpi_retransmits;
  i.total_retrans = t.tcpi_total_retrans;
  i.backoff = t.tcpi_backoff;
  i.snd_cwnd = t.tcpi_snd_cwnd;
  i.unacked = t.tcpi_unacked;
  i.last_data_sent_ms = t.tcpi_last_data_sent;
  i.last_data_recv_ms = t.tcpi_last_data_recv;
  i.bytes_sent = t.tcpi_bytes_acked;
  i.bytes_received = t.tcpi_bytes_received;
  i.rcv_space = t.tcpi_rcv_space;
  return i;
}

SocketMemory memory_of(std::span<const std::uint8_t> bytes) {
  std::uint32_t m[SK_MEMINFO_VARS] = {};
  std::memcpy(m, bytes.data(), std::min(bytes.size(), sizeof m));
  return {m[SK_MEMINFO_RMEM_ALLOC], m[SK_MEMINFO_RCVBUF], m[SK_MEMINFO_WMEM_ALLOC],
          m[SK_MEMINFO_SNDBUF]};
}

std::optional<Socket> inet_socket(std::span<const std::uint8_t> payload, Protocol protocol) {
  if (payload.size() < sizeof(inet_diag_msg)) return std::nullopt;
  auto m = copy_prefix<inet_diag_msg>(payload);
  if (m.idiag_family != AF_INET && m.idiag_family != AF_INET6) return std::nullopt;
  Socket s;
  s.protocol = protocol;
  s.family = m.idiag_family;
  s.state = static_cast<SocketState>(m.idiag_state);
  s.recv_q = m.idiag_rqueue;
  s.send_q = m.idiag_wqueue;
  copy_address(s.local, s.family, m.id.idiag_src, m.id.idiag_sport);
  copy_address(s.peer, s.family, m.id.idiag_dst, m.id.idiag_dport);
  s.inode = m.idiag_inode;
  s.uid = m.idiag_uid;
  for_each_attribute(payload.subspan(NLMSG_ALIGN(sizeof m)), [&](int type, auto value) {
    if (type == INET_DIAG_INFO && protocol == Protocol::tcp) s.tcp_info = tcp_info_of(value);
    if (type == INET_DIAG_SKMEMINFO) s.memory = memory_of(value);
  });
  return s;
}

std::optional<Protocol> unix_protocol(int type) {
  switch (type) {
    case SOCK_STREAM: return Protocol::unix_stream;
    case SOCK_DGRAM: return Protocol::unix_dgram;
    case SOCK_SEQPACKET: return Protocol::unix_seqpacket;
    default: return std::nullopt;
  }
}

void set_unix_name(Endpoint& e, std::span<const std::uint8_t> name) {
  if (name.empty()) return;
  if (name[0] == 0) {  // abstract: every byte after the NUL is the name, NULs included
    e.abstract = true;
    e.unix_name.assign(name.begin() + 1, name.end());
    return;
  }
  // A path: the kernel counts its terminating NUL; nothing after the first NUL is the path.
  auto end = std::find(name.begin(), name.end(), std::uint8_t{0});
  e.unix_name.assign(name.begin(), end);
}

std::optional<Socket> unix_socket(std::span<const std::uint8_t> payload) {
  if (payload.size() < sizeof(unix_diag_msg)) return std::nullopt;
  auto m = copy_prefix<unix_diag_msg>(payload);
  auto protocol = unix_protocol(m.udiag_type);
  if (m.udiag_family != AF_UNIX || !protocol) return std::nullopt;
  Socket s;
  s.protocol = *protocol;
  s.family = AF_UNIX;
  s.state = static_cast<SocketState>(m.udiag_state);
  s.local.family = s.peer.family = AF_UNIX;
  s.inode = m.udiag_ino;
  for_each_attribute(payload.subspan(NLMSG_ALIGN(sizeof m)), [&](int type, auto value) {
    if (type == UNIX_DIAG_NAME) set_unix_name(s.local, value);
    if (type == UNIX_DIAG_PEER && value.size() >= 4) s.peer_inode = copy_prefix<std::uint32_t>(value);
    if (type == UNIX_DIAG_RQLEN && value.size() >= sizeof(unix_diag_rqlen)) {
      auto q = copy_prefix<unix_diag_rqlen>(value);
      s.recv_q = q.udiag_rqueue;
      s.send_q = q.udiag_wqueue;
    }
    if (type == UNIX_DIAG_UID && value.size() >= 4) s.uid = copy_prefix<std::uint32_t>(value);
  });
  return s;
}

}  // namespace

void parse_diag_messages(std::span<const std::uint8_t> bytes, Protocol request, DiagChunk& out) {
  while (bytes.size() >= sizeof(nlmsghdr) && !out.done) {
    auto h = copy_prefix<nlmsghdr>(bytes);
    if (h.nlmsg_len < sizeof h || h.nlmsg_len > bytes.size()) return;
    auto payload = bytes.subspan(NLMSG_HDRLEN, h.nlmsg_len - NLMSG_HDRLEN);
    if (h.nlmsg_type == NLMSG_DONE) {
      out.done = true;
    } else if (h.nlmsg_type == NLMSG_ERROR) {
      out.done = true;
      // An error of 0 is an acknowledgement. One too short to read, positive, or beyond the
      // errno range (INT_MIN cannot even be negated) is nonsense: EPROTO.
      constexpr int kMaxErrno = 4095;
      int e = payload.size() < sizeof(int) ? 1 : copy_prefix<nlmsgerr>(payload).error;
      out.error = e == 0 ? 0 : (e < 0 && e >= -kMaxErrno ? -e : EPROTO);
    } else if (h.nlmsg_type == SOCK_DIAG_BY_FAMILY) {
      auto s = is_unix(request) ? unix_socket(payload) : inet_socket(payload, request);
      if (s) out.sockets.push_back(std::move(*s));
    }
    bytes = bytes.subspan(std::min<std::size_t>(NLMSG_ALIGN(h.nlmsg_len), bytes.size()));
  }
}

}  // namespace nsdebug
