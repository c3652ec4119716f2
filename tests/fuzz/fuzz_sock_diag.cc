// sock_diag's netlink answers (inet_diag and unix_diag dumps), as core/net/sock_diag_parse reads
// them: any bytes, no crash, no read past the buffer, and what comes out is well formed.
#include <sys/socket.h>

#include <vector>

#include "core/net/sock_diag_parse.h"
#include "tests/fuzz/fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> bytes(data, size);
  for (auto request : {nsdebug::Protocol::tcp, nsdebug::Protocol::udp, nsdebug::Protocol::unix_stream}) {
    nsdebug::DiagChunk chunk;
    nsdebug::parse_diag_messages(bytes, request, chunk);
    FUZZ_CHECK(chunk.error >= 0);
    for (const auto& s : chunk.sockets) {
      if (nsdebug::is_unix(request)) {
        FUZZ_CHECK(s.family == AF_UNIX && nsdebug::is_unix(s.protocol));
        // A path stops at its first NUL; an abstract name may hold any byte.
        FUZZ_CHECK(s.local.abstract || s.local.unix_name.find('\0') == std::string::npos);
      } else {
        FUZZ_CHECK(s.family == AF_INET || s.family == AF_INET6);
        FUZZ_CHECK(s.protocol == request);
        FUZZ_CHECK(!s.tcp_info || request == nsdebug::Protocol::tcp);
      }
      (void)nsdebug::describe_socket(s);
      (void)nsdebug::state_name(s.state);
    }
  }
  return 0;
}
