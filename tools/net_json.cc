#include "tools/net_json.h"

#include <arpa/inet.h>

namespace nsdebug::cli {
namespace {

nlohmann::json endpoint_json(const Endpoint& e) {
  if (e.family == AF_UNIX) {
    if (e.unix_name.empty() && !e.abstract) return nullptr;
    return {{e.abstract ? "abstract" : "path", e.unix_name}};
  }
  char text[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(e.family, e.address.data(), text, sizeof text);
  return {{"address", text}, {"port", e.port}};
}

nlohmann::json holders_json(const std::vector<Holder>& holders, const Snapshot& snapshot) {
  auto out = nlohmann::json::array();
  for (const Holder& h : holders)
    out.push_back({{"pid", h.pid},
                   {"fd", h.fd},
                   {"command", h.comm},
                   {"container", h.container < 0 ? nlohmann::json(nullptr)
                                                  : nlohmann::json(snapshot.containers[h.container].name)}});
  return out;
}

nlohmann::json tcp_info_json(const TcpInfo& t) {
  return {{"rtt_us", t.rtt_us},
          {"rttvar_us", t.rttvar_us},
          {"retransmits", t.retransmits},
          {"total_retransmits", t.total_retrans},
          {"backoff", t.backoff},
          {"cwnd", t.snd_cwnd},
          {"unacked", t.unacked},
          {"bytes_sent", t.bytes_sent},
          {"bytes_received", t.bytes_received},
          {"last_send_ms", t.last_data_sent_ms},
          {"last_receive_ms", t.last_data_recv_ms}};
}

nlohmann::json socket_json(const PodSocket& p, const Snapshot& snapshot) {
  const Socket& s = p.socket;
  nlohmann::json j{{"netid", netid_name(s)},
                   {"state", state_name(s.state)},
                   {"recv_q", s.recv_q},
                   {"send_q", s.send_q},
                   {"local", endpoint_json(s.local)},
                   {"peer", endpoint_json(s.peer)},
                   {"inode", s.inode},
                   {"uid", s.uid},
                   {"processes", holders_json(p.holders, snapshot)}};
  if (is_unix(s.protocol)) {
    j["type"] = unix_type_name(s.protocol);
    j["peer_inode"] = s.peer_inode ? nlohmann::json(s.peer_inode) : nlohmann::json(nullptr);
    j["peer_processes"] = holders_json(p.peer_holders, snapshot);
  }
  if (s.tcp_info) j["tcp_info"] = tcp_info_json(*s.tcp_info);
  if (s.memory) j["memory"] = {{"rmem_alloc", s.memory->rmem_alloc}, {"rcvbuf", s.memory->rcvbuf},
                               {"wmem_alloc", s.memory->wmem_alloc}, {"sndbuf", s.memory->sndbuf}};
  return j;
}

const char* verdict_kind_name(VerdictKind k) {
  switch (k) {
    case VerdictKind::accept_queue_full: return "accept_queue_full";
    case VerdictKind::accept_waiting: return "accept_waiting";
    case VerdictKind::listen_overflows: return "listen_overflows";
    case VerdictKind::close_wait: return "close_wait";
    case VerdictKind::syn_sent_unanswered: return "syn_sent_unanswered";
    case VerdictKind::receive_queue_stuck: return "receive_queue_stuck";
  }
  return "";
}

}  // namespace

nlohmann::json network_json(const PodNetwork& net, const Snapshot& snapshot) {
  auto sockets = nlohmann::json::array();
  for (const PodSocket& p : net.sockets) sockets.push_back(socket_json(p, snapshot));
  auto unreadable = nlohmann::json::array();
  for (const HiddenHolder& h : net.hidden)
    unreadable.push_back({{"pid", h.pid}, {"why", h.why.reason()}, {"hint", h.why.hint}});
  return {{"source", source_name(net.source)},
          {"netlink_refused", net.netlink_refused ? nlohmann::json(net.netlink_refused->reason())
                                                  : nlohmann::json(nullptr)},
          {"sockets", std::move(sockets)},
          {"unreadable", std::move(unreadable)}};
}

nlohmann::json summary_json(const NetSummary& sum, const Snapshot& snapshot) {
  auto containers = nlohmann::json::array();
  for (const ContainerSockets& g : sum.containers) {
    auto listening = nlohmann::json::array();
    for (const PodSocket* p : g.listening)
      listening.push_back({{"netid", netid_name(p->socket)}, {"local", endpoint_json(p->socket.local)}});
    auto states = nlohmann::json::object();
    for (auto [state, n] : g.tcp_states) states[std::string(state_name(state))] = n;
    containers.push_back({{"container", g.container < 0 ? nlohmann::json(nullptr)
                                                         : nlohmann::json(snapshot.containers[g.container].name)},
                          {"listening", std::move(listening)},
                          {"tcp", std::move(states)},
                          {"udp", g.udp},
                          {"unix", g.unix_sockets}});
  }
  auto verdicts = nlohmann::json::array();
  for (const Verdict& v : sum.verdicts)
    verdicts.push_back({{"kind", verdict_kind_name(v.kind)},
                        {"message", verdict_sentence(v, snapshot)},
                        {"count", v.count},
                        {"value", v.value},
                        {"seconds", v.seconds},
                        {"socket", v.socket ? socket_json(*v.socket, snapshot) : nlohmann::json(nullptr)}});
  return {{"containers", std::move(containers)}, {"verdicts", std::move(verdicts)}};
}

}  // namespace nsdebug::cli
