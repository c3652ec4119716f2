// /proc/net/{tcp,tcp6,udp,udp6,unix} (the fallback source of `nsdebug net`).
#include <arpa/inet.h>

#include <string>
#include <vector>

#include "core/net/net_parse.h"
#include "tests/fuzz/fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz_text(data, size);
  std::vector<nsdebug::Socket> sockets;
  nsdebug::parse_inet_sockets(text, nsdebug::Protocol::tcp, AF_INET, sockets);
  nsdebug::parse_inet_sockets(text, nsdebug::Protocol::udp, AF_INET6, sockets);
  for (const auto& s : sockets) {
    // An address always reads back through inet_pton, in its own family.
    FUZZ_CHECK(s.local.family == s.family && s.peer.family == s.family);
    auto local = nsdebug::format_endpoint(s.local);
    auto colon = local.rfind(':');
    FUZZ_CHECK(colon != std::string::npos);
    std::string host = local.substr(0, colon);
    unsigned char buf[16];
    if (s.family == AF_INET6)
      FUZZ_CHECK(host.size() > 2 && ::inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), buf) == 1);
    else
      FUZZ_CHECK(::inet_pton(AF_INET, host.c_str(), buf) == 1);
  }
  std::vector<nsdebug::Socket> unix_sockets;
  nsdebug::parse_unix_sockets(text, unix_sockets);
  for (const auto& s : unix_sockets) {
    FUZZ_CHECK(s.family == AF_UNIX && nsdebug::is_unix(s.protocol));
    FUZZ_CHECK(s.local.unix_name.find('\n') == std::string::npos);
    (void)nsdebug::describe_socket(s);
  }
  return 0;
}
