#pragma once
// The one link between node mode's two halves: a SOCK_SEQPACKET socket pair. The half inside the
// pod holds nothing of the node, so whatever it needs from there (host PIDs, cp's writes, the
// terminal) it asks of the node-side half through this socket, which passes descriptors the
// other way only: from the pod to the node (a pty master, a target's root for cp).
#include <cstdint>
#include <string>
#include <string_view>
#include <span>
#include <vector>

#include "core/base/error.h"
#include "core/base/unique_fd.h"

namespace nsdebug {

enum class PodMessage : std::uint32_t {
  kError = 1,     // pod side -> node: setting up failed; body: an encoded Error
  kTerminal,      // pod side -> node: the pty master (one fd); node answers kReady
  kChild,         // pod side -> node: the PID (as the node numbers it) of the process in the pod
  kReady,         // node -> pod side: go on
  kHostPids,      // pod -> node: a request (empty body); node answers with kHostPids chunks
                  // of "POD HOST\n" lines, the last chunk empty
  kCopy,          // pod -> node: cp's request (encoded CopyRequest; fds: root, pidfd)
  kStatus,        // node -> pod: the exit status of a request, as decimal text
};

struct PodMessageIn {
  PodMessage kind{};
  std::string body;
  std::vector<UniqueFd> fds;
};

Result<void> send_pod_message(int sock, PodMessage kind, std::string_view body,
                              std::span<const int> fds = {});
// ENODATA when the other side closed the socket.
Result<PodMessageIn> receive_pod_message(int sock);

// NUL-separated fields, for the few structured bodies (an Error, a CopyRequest).
std::string join_fields(std::span<const std::string> fields);
std::vector<std::string> split_fields(std::string_view body);

std::string encode_error(const Error& e);
Error decode_error(std::string_view body);

}  // namespace nsdebug
