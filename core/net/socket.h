#pragma once
// One socket as the kernel describes it (sock_diag, or /proc/net where netlink is refused), and
// the words ss uses for it. No processes here: core/net/pod_network joins sockets to holders.
#include <sys/socket.h>

#include <array>
#include <memory>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nsdebug {

enum class Protocol : std::uint8_t { tcp, udp, raw, unix_stream, unix_dgram, unix_seqpacket };

bool is_unix(Protocol p);

// The kernel's TCP states (include/net/tcp_states.h); UDP and raw sockets use close (UNCONN)
// and established (connected), unix sockets the same numbers.
enum class SocketState : std::uint8_t {
  unknown = 0, established = 1, syn_sent, syn_recv, fin_wait1, fin_wait2, time_wait, close,
  close_wait, last_ack, listen, closing, new_syn_recv
};

// An address: IPv4 or IPv6 with a port, or a unix socket's name. A unix name holds the target's
// bytes as the kernel has them (any byte but NUL for a path; anything for an abstract name).
struct Endpoint {
  int family = AF_UNSPEC;            // AF_INET, AF_INET6, AF_UNIX
  std::array<std::uint8_t, 16> address{};  // network order; 4 bytes used for AF_INET
  std::uint16_t port = 0;
  std::string unix_name;             // a path, or an abstract name without its leading NUL
  bool abstract = false;

  bool any_address() const;          // 0.0.0.0 or ::
};

// An optional value kept on the heap, copied by value: a Socket without tcp_info (the usual
// listing) stays small. At 10,000 sockets the inline optionals were a third of each Socket.
template <class T>
class HeapOptional {
 public:
  HeapOptional() = default;
  HeapOptional(const T& value) : p_(std::make_unique<T>(value)) {}
  HeapOptional(const HeapOptional& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  HeapOptional(HeapOptional&&) noexcept = default;
  HeapOptional& operator=(const HeapOptional& o) { return *this = HeapOptional(o); }
  HeapOptional& operator=(HeapOptional&&) noexcept = default;
  explicit operator bool() const { return p_ != nullptr; }
  T& operator*() const { return *p_; }
  T* operator->() const { return p_.get(); }

 private:
  std::unique_ptr<T> p_;
};

// tcp_info's fields a debugger needs (INET_DIAG_INFO).
struct TcpInfo {
  std::uint32_t rtt_us = 0, rttvar_us = 0;
  std::uint32_t retransmits = 0;       // in a row, now (tcpi_retransmits)
  std::uint32_t total_retrans = 0;     // over the connection's life
  std::uint32_t backoff = 0;
  std::uint32_t snd_cwnd = 0;          // segments
  std::uint32_t unacked = 0;
  std::uint32_t last_data_sent_ms = 0, last_data_recv_ms = 0;
  std::uint64_t bytes_sent = 0, bytes_received = 0;  // 0 when the kernel predates them
  std::uint32_t rcv_space = 0;
};

// The socket's memory (INET_DIAG_SKMEMINFO): how full its receive buffer is.
struct SocketMemory {
  std::uint32_t rmem_alloc = 0, rcvbuf = 0, wmem_alloc = 0, sndbuf = 0;
};

struct Socket {
  Protocol protocol = Protocol::tcp;
  int family = AF_INET;       // AF_INET, AF_INET6 or AF_UNIX
  SocketState state = SocketState::unknown;
  // As ss shows them: bytes queued; for a listener, RECV-Q is the accept queue's length and
  // SEND-Q its backlog.
  std::uint32_t recv_q = 0, send_q = 0;
  Endpoint local, peer;
  std::uint64_t inode = 0;      // 0 for a TIME-WAIT socket: no process holds it
  std::uint64_t peer_inode = 0; // a connected unix socket's other end
  std::uint32_t uid = 0;
  HeapOptional<TcpInfo> tcp_info;
  HeapOptional<SocketMemory> memory;
};

// "tcp", "tcp6", "udp", "udp6", "raw", "raw6", "unix".
std::string_view netid_name(const Socket& s);
// "stream", "dgram", "seqpacket" for a unix socket, else "".
std::string_view unix_type_name(Protocol p);
// ss's words: "ESTAB", "LISTEN", "TIME-WAIT", "UNCONN", ...
std::string_view state_name(SocketState s);
// As ss prints them: "10.0.0.5:8080", "[::1]:53", "0.0.0.0:*" for no port; for unix the
// name as the kernel has it ("@" before an abstract one), "*" when unnamed. Raw bytes: a face
// escapes them.
std::string format_endpoint(const Endpoint& e);

// One phrase for a descriptor list: "tcp 0.0.0.0:80 LISTEN", "tcp 10.0.0.5:43122 ->
// 10.0.0.9:5432 ESTAB", "unix /run/app.sock". Raw bytes, as format_endpoint.
std::string describe_socket(const Socket& s);

}  // namespace nsdebug
