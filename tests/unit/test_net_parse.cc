// The pure parts of `nsdebug net`: /proc/net tables, sock_diag's netlink messages, the join of
// sockets to holders, the verdicts and the cells. (Against the kernel and ss: the integration
// test test_net.cc.)
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <linux/unix_diag.h>

#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "core/net/net_parse.h"
#include "core/net/net_summary.h"
#include "core/net/sock_diag_parse.h"
#include "core/present/socket_cells.h"

using namespace nsdebug;

namespace {

std::string text_of(const std::optional<Endpoint>& e) { return e ? format_endpoint(*e) : "(none)"; }

// A netlink message: header, body, then attributes (type, bytes), each 4-byte aligned.
struct MessageBuilder {
  std::vector<std::uint8_t> bytes;
  template <class T>
  void add(std::uint16_t type, const T& body,
           std::vector<std::pair<std::uint16_t, std::vector<std::uint8_t>>> attrs = {}) {
    std::vector<std::uint8_t> m(NLMSG_HDRLEN + NLMSG_ALIGN(sizeof body));
    std::memcpy(m.data() + NLMSG_HDRLEN, &body, sizeof body);
    for (auto& [t, value] : attrs) {
      rtattr a{static_cast<unsigned short>(RTA_LENGTH(value.size())), t};
      std::size_t at = m.size();
      m.resize(at + RTA_SPACE(value.size()));
      std::memcpy(m.data() + at, &a, sizeof a);
      std::memcpy(m.data() + at + RTA_LENGTH(0), value.data(), value.size());
    }
    nlmsghdr h{static_cast<std::uint32_t>(m.size()), type, 0, 0, 0};
    std::memcpy(m.data(), &h, sizeof h);
    bytes.insert(bytes.end(), m.begin(), m.end());
  }
  void done() { add(NLMSG_DONE, 0); }
};

template <class T>
std::vector<std::uint8_t> raw(const T& v) {
  std::vector<std::uint8_t> out(sizeof v);
  std::memcpy(out.data(), &v, sizeof v);
  return out;
}

Socket tcp(SocketState state, std::uint16_t local_port, std::uint16_t peer_port, std::uint64_t inode) {
  Socket s;
  s.state = state;
  s.local.family = s.peer.family = AF_INET;
  s.local.address = {127, 0, 0, 1};
  s.peer.address = {127, 0, 0, 1};
  s.local.port = local_port;
  s.peer.port = peer_port;
  s.inode = inode;
  s.tcp_info = TcpInfo{};
  return s;
}

}  // namespace

TEST_CASE("net: IPv4 and IPv6 addresses decode from the kernel's host-order hex") {
  CHECK(text_of(decode_inet_address("0100007F:1F90")) == "127.0.0.1:8080");
  CHECK(text_of(decode_inet_address("00000000:0050")) == "0.0.0.0:80");
  CHECK(text_of(decode_inet_address("00000000:0000")) == "0.0.0.0:*");
  CHECK(text_of(decode_inet_address("00000000000000000000000001000000:0050")) == "[::1]:80");
  CHECK(!decode_inet_address("zz:1"));
  CHECK(!decode_inet_address("0100007F:1F90A"));  // a port over 16 bits
  CHECK(!decode_inet_address("0100007F"));
}

TEST_CASE("net: /proc/net/tcp lines become sockets with queues, uid and inode") {
  std::string text =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
      "   0: 00000000:0050 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 31337 1 0 100 0 0 10 0\n"
      "   1: 0100007F:1F90 0200000A:C822 01 00000010:00000020 00:00000000 00000000   101        0 4242 1 0 20 4 30 10 -1\n"
      "   2: garbage\n";
  std::vector<Socket> out;
  parse_inet_sockets(text, Protocol::tcp, AF_INET, out);
  REQUIRE(out.size() == 2);
  CHECK(describe_socket(out[0]) == "tcp 0.0.0.0:80 LISTEN");
  CHECK(out[0].recv_q == 3);
  CHECK(out[0].inode == 31337);
  CHECK(describe_socket(out[1]) == "tcp 127.0.0.1:8080 -> 10.0.0.2:51234 ESTAB");
  CHECK(out[1].send_q == 0x10);
  CHECK(out[1].recv_q == 0x20);
  CHECK(out[1].uid == 101);
  SECTION("an IPv4 address in the IPv6 table is refused, not misread") {
    std::vector<Socket> v6;
    parse_inet_sockets(text, Protocol::tcp, AF_INET6, v6);
    CHECK(v6.empty());
  }
}

TEST_CASE("net: /proc/net/unix keeps a path with spaces whole, abstract names after '@'") {
  std::string text =
      "Num       RefCount Protocol Flags    Type St Inode Path\n"
      "0000000000000000: 00000002 00000000 00010000 0001 01 21000 /run/my app.sock\n"
      "0000000000000000: 00000003 00000000 00000000 0001 03 21001\n"
      "0000000000000000: 00000002 00000000 00000000 0002 01 21002 @abstract name\n"
      "0000000000000000: 00000002 00000000 00000000 0007 01 21003 /bad/type\n";
  std::vector<Socket> out;
  parse_unix_sockets(text, out);
  REQUIRE(out.size() == 3);
  CHECK(out[0].state == SocketState::listen);
  CHECK(out[0].local.unix_name == "/run/my app.sock");
  CHECK(describe_socket(out[0]) == "unix /run/my app.sock");
  CHECK(out[1].state == SocketState::established);
  CHECK(describe_socket(out[1]) == "unix");
  CHECK(out[2].protocol == Protocol::unix_dgram);
  CHECK(out[2].local.abstract);
  CHECK(format_endpoint(out[2].local) == "@abstract name");
}

TEST_CASE("sock_diag: inet messages with tcp_info and memory, then DONE") {
  inet_diag_msg m{};
  m.idiag_family = AF_INET6;
  m.idiag_state = 8;  // CLOSE_WAIT
  m.idiag_rqueue = 7;
  m.idiag_wqueue = 9;
  m.id.idiag_sport = htons(443);
  m.id.idiag_dport = htons(50000);
  m.id.idiag_src[3] = htonl(1);  // ::1
  m.idiag_inode = 777;
  m.idiag_uid = 1000;
  tcp_info info{};
  info.tcpi_rtt = 250;
  info.tcpi_last_data_recv = 12'000;
  info.tcpi_retransmits = 2;
  info.tcpi_rttvar = 99;  // cut off below
  std::uint32_t mem[SK_MEMINFO_VARS] = {};
  mem[SK_MEMINFO_RCVBUF] = 131072;
  MessageBuilder b;
  // tcp_info cut short, as an older kernel sends it: the rest reads as zero.
  auto short_info = raw(info);
  short_info.resize(offsetof(tcp_info, tcpi_rttvar));
  b.add(SOCK_DIAG_BY_FAMILY, m, {{INET_DIAG_INFO, short_info}, {INET_DIAG_SKMEMINFO, raw(mem)}});
  b.done();
  DiagChunk chunk;
  parse_diag_messages(b.bytes, Protocol::tcp, chunk);
  CHECK(chunk.done);
  CHECK(chunk.error == 0);
  REQUIRE(chunk.sockets.size() == 1);
  const Socket& s = chunk.sockets[0];
  CHECK(netid_name(s) == "tcp6");
  CHECK(state_name(s.state) == "CLOSE-WAIT");
  CHECK(format_endpoint(s.local) == "[::1]:443");
  CHECK(s.peer.port == 50000);
  CHECK(s.recv_q == 7);
  CHECK(s.send_q == 9);
  CHECK(s.inode == 777);
  CHECK(s.uid == 1000);
  REQUIRE(s.tcp_info);
  CHECK(s.tcp_info->rtt_us == 250);
  CHECK(s.tcp_info->last_data_recv_ms == 12'000);
  CHECK(s.tcp_info->retransmits == 2);
  CHECK(s.tcp_info->rttvar_us == 0);
  CHECK(s.tcp_info->bytes_received == 0);
  REQUIRE(s.memory);
  CHECK(s.memory->rcvbuf == 131072);
}

TEST_CASE("sock_diag: unix messages carry name, peer, queues; abstract names keep every byte") {
  unix_diag_msg m{};
  m.udiag_family = AF_UNIX;
  m.udiag_type = SOCK_STREAM;
  m.udiag_state = 1;
  m.udiag_ino = 5000;
  std::vector<std::uint8_t> name{0, 'a', 0, 'b', '\n'};  // abstract, with a NUL and a newline
  unix_diag_rqlen q{3, 4};
  std::uint32_t peer = 5001;
  MessageBuilder b;
  b.add(SOCK_DIAG_BY_FAMILY, m, {{UNIX_DIAG_NAME, name}, {UNIX_DIAG_PEER, raw(peer)}, {UNIX_DIAG_RQLEN, raw(q)}});
  m.udiag_ino = 5002;
  std::vector<std::uint8_t> path{'/', 'r', 'u', 'n', 0};  // a path counts its NUL
  b.add(SOCK_DIAG_BY_FAMILY, m, {{UNIX_DIAG_NAME, path}});
  b.done();
  DiagChunk chunk;
  parse_diag_messages(b.bytes, Protocol::unix_stream, chunk);
  REQUIRE(chunk.sockets.size() == 2);
  CHECK(chunk.sockets[0].local.abstract);
  CHECK(chunk.sockets[0].local.unix_name == std::string("a\0b\n", 4));
  CHECK(chunk.sockets[0].peer_inode == 5001);
  CHECK(chunk.sockets[0].recv_q == 3);
  CHECK(chunk.sockets[0].send_q == 4);
  CHECK(format_endpoint(chunk.sockets[1].local) == "/run");
}

TEST_CASE("sock_diag: an error ends the dump with its errno; truncated bytes are ignored") {
  MessageBuilder b;
  nlmsgerr e{};
  e.error = -EPERM;
  b.add(NLMSG_ERROR, e);
  DiagChunk chunk;
  parse_diag_messages(b.bytes, Protocol::tcp, chunk);
  CHECK(chunk.done);
  CHECK(chunk.error == EPERM);

  // Found by fuzz_sock_diag: INT_MIN cannot be negated; an error beyond errno's range is EPROTO.
  for (int bad : {INT_MIN, 5, -100000}) {
    MessageBuilder n;
    nlmsgerr odd{};
    odd.error = bad;
    n.add(NLMSG_ERROR, odd);
    DiagChunk c;
    parse_diag_messages(n.bytes, Protocol::unix_stream, c);
    CHECK(c.error == EPROTO);
  }

  MessageBuilder c;
  inet_diag_msg m{};
  m.idiag_family = AF_INET;
  c.add(SOCK_DIAG_BY_FAMILY, m);
  c.bytes.resize(c.bytes.size() - 5);  // the message says it is longer than what arrived
  DiagChunk cut;
  parse_diag_messages(c.bytes, Protocol::tcp, cut);
  CHECK(cut.sockets.empty());
  CHECK(!cut.done);
}

TEST_CASE("net: holders group by command; '?' when a hidden process may hold it") {
  std::vector<Holder> h{{1, 6, "nginx", 0}, {29, 6, "nginx", 0}, {7, 3, "sh", 1}, {29, 9, "nginx", 0}};
  CHECK(holders_cell(h, false) == "nginx(1,29) sh(7)");
  CHECK(holders_cell({}, false) == "-");
  CHECK(holders_cell({}, true) == "?");
}

TEST_CASE("net: state filters: usual hides TIME-WAIT, listening takes bound datagram sockets") {
  Socket tw = tcp(SocketState::time_wait, 80, 5000, 0);
  Socket listener = tcp(SocketState::listen, 80, 0, 1);
  Socket udp = tcp(SocketState::close, 53, 0, 2);
  udp.protocol = Protocol::udp;
  CHECK_FALSE(passes_states(tw, StateFilter::usual));
  CHECK(passes_states(tw, StateFilter::all));
  CHECK(passes_states(listener, StateFilter::listening));
  CHECK(passes_states(udp, StateFilter::listening));
  CHECK_FALSE(passes_states(tcp(SocketState::established, 80, 5000, 3), StateFilter::listening));
}

TEST_CASE("net summary: full and stalled accept queues, CLOSE-WAIT, unanswered SYNs, unread data") {
  Snapshot snap;
  Process p;
  p.pid = 7;
  p.comm = "app";
  p.container = 0;
  snap.processes.push_back(p);
  Container c;
  c.name = "app";
  snap.containers.push_back(c);
  SocketOwners owners;
  for (std::uint64_t inode : {1, 2, 3, 4, 5, 6, 7}) owners.by_inode[inode].push_back({7, static_cast<int>(inode)});

  SocketList list;
  Socket full = tcp(SocketState::listen, 80, 0, 1);
  full.recv_q = 129;
  full.send_q = 128;
  Socket slow = tcp(SocketState::listen, 81, 0, 2);
  slow.recv_q = 1;
  slow.send_q = 128;
  Socket waiting = tcp(SocketState::established, 81, 40000, 0);  // in slow's queue, 9 s old
  waiting.tcp_info->last_data_recv_ms = 9000;
  Socket cw1 = tcp(SocketState::close_wait, 5000, 443, 3);
  cw1.tcp_info->last_data_recv_ms = 60'000;
  Socket cw2 = tcp(SocketState::close_wait, 5001, 443, 4);
  cw2.tcp_info->last_data_recv_ms = 6000;
  Socket fresh_cw = tcp(SocketState::close_wait, 5002, 443, 5);  // closed a moment ago: fine
  Socket syn = tcp(SocketState::syn_sent, 5003, 5432, 6);
  syn.tcp_info->retransmits = 3;
  Socket unread = tcp(SocketState::established, 5004, 6379, 7);
  unread.recv_q = 4096;
  unread.tcp_info->last_data_recv_ms = 30'000;
  list.sockets = {full, slow, waiting, cw1, cw2, fresh_cw, syn, unread};
  SocketFilter all;
  all.states = StateFilter::all;
  PodNetwork net = join_sockets(list, owners, snap, all);
  NetSummary sum = summarize_network(net, snap, 17);

  auto count = [&](VerdictKind k) {
    return std::ranges::count(sum.verdicts, k, &Verdict::kind);
  };
  CHECK(count(VerdictKind::accept_queue_full) == 1);
  CHECK(count(VerdictKind::accept_waiting) == 1);
  CHECK(count(VerdictKind::close_wait) == 1);
  CHECK(count(VerdictKind::syn_sent_unanswered) == 1);
  CHECK(count(VerdictKind::receive_queue_stuck) == 1);
  CHECK(count(VerdictKind::listen_overflows) == 1);
  for (const Verdict& v : sum.verdicts) {
    auto text = verdict_sentence(v, snap);
    INFO(text);
    if (v.kind == VerdictKind::close_wait) {
      CHECK(v.count == 2);
      CHECK(v.seconds == 60);
      CHECK(text.find("app (pid 7, container app)") != std::string::npos);
    }
    if (v.kind == VerdictKind::accept_queue_full) CHECK(text.find("(129 of 128)") != std::string::npos);
    if (v.kind == VerdictKind::accept_waiting) CHECK(v.seconds == 9);
  }
  REQUIRE(sum.containers.size() == 1);
  CHECK(sum.containers[0].listening.size() == 2);
  CHECK(sum.containers[0].tcp_states.at(SocketState::close_wait) == 3);

  SECTION("a healthy pod has no verdict") {
    list.sockets = {tcp(SocketState::listen, 80, 0, 1), tcp(SocketState::established, 80, 5000, 2)};
    PodNetwork calm = join_sockets(list, owners, snap, all);
    CHECK(summarize_network(calm, snap, 0).verdicts.empty());
  }
}

TEST_CASE("net summary: ListenOverflows from the TcpExt lines of /proc/net/netstat") {
  std::string text =
      "TcpExt: SyncookiesSent ListenOverflows ListenDrops\n"
      "TcpExt: 0 42 43\n"
      "IpExt: InNoRoutes\n"
      "IpExt: 0\n";
  CHECK(parse_listen_overflows(text) == 42u);
  CHECK(!parse_listen_overflows("TcpExt: ListenOverflows\nTcpExt: x\n"));
  CHECK(!parse_listen_overflows("IpExt: A\nIpExt: 1\n"));
}
