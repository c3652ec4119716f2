#pragma once
// `nsdebug net --summary`: per container its listening ports and its connections by state, and
// verdicts where something looks wrong. Verdicts are data; verdict_sentence words them once for
// every face.
#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/net/pod_network.h"

namespace nsdebug {

struct ContainerSockets {
  int container = -1;                          // index into the snapshot's; -1: no known holder
  std::vector<const PodSocket*> listening;     // into the PodNetwork summarized
  std::map<SocketState, std::size_t> tcp_states;  // TCP connections (not listeners) by state
  std::size_t udp = 0, unix_sockets = 0;
};

enum class VerdictKind {
  accept_queue_full,      // a listener's accept queue is at its backlog: connections dropped
  accept_waiting,         // connections wait to be accepted for seconds: nobody calls accept()
  listen_overflows,       // the namespace dropped connections at full accept queues (TcpExt)
  close_wait,             // the peer closed, the holder did not: sockets it never closes
  syn_sent_unanswered,    // connect() retransmits its SYN: the peer does not answer
  receive_queue_stuck,    // data waits unread for seconds: a reader that stopped reading
};

struct Verdict {
  VerdictKind kind;
  const PodSocket* socket = nullptr;  // the one it is about (the oldest, for counts); may be null
  std::size_t count = 1;              // sockets it stands for (close_wait, accept_waiting)
  std::uint64_t value = 0;            // accept_queue_full: the queue; listen_overflows: drops;
                                      // receive_queue_stuck: bytes
  std::uint32_t seconds = 0;          // how long (the oldest)
};

struct NetSummary {
  std::vector<ContainerSockets> containers;  // in the snapshot's order; no-holder group last
  std::vector<Verdict> verdicts;
};

// What is waited for before a verdict: long enough not to flag a busy but healthy server.
inline constexpr std::uint32_t kStuckSeconds = 5;

// `net` must hold every state with tcp_info (SocketKinds::tcp_info, StateFilter::all): the
// connections waiting in a listener's queue are ESTAB sockets no process holds yet.
// `listen_overflows`: TcpExt ListenOverflows of the namespace, when read.
NetSummary summarize_network(const PodNetwork& net, const Snapshot& snapshot,
                             std::optional<std::uint64_t> listen_overflows);

// /proc/self/net/netstat's TcpExt ListenOverflows.
std::optional<std::uint64_t> read_listen_overflows();
// The pure part: the TcpExt header and value lines of that file.
std::optional<std::uint64_t> parse_listen_overflows(std::string_view netstat);

// One line a user reads: "accept queue of tcp 0.0.0.0:80 is full (129 of 128): nginx (pid 7)
// does not accept fast enough; new connections are dropped". Holds a target's bytes (comm, a
// unix path): a face escapes it.
std::string verdict_sentence(const Verdict& v, const Snapshot& snapshot);

}  // namespace nsdebug
