// /proc/PID/net/{tcp,tcp6,udp,udp6,unix}: socket inode -> description.
#include <arpa/inet.h>

#include <string>

#include "core/net/net_parse.h"
#include "tests/fuzz/fuzz.h"

namespace {
// What decode_inet_address returns is an address inet_pton reads back, and a port.
void check_address(std::string_view hex) {
  auto a = nsdebug::decode_inet_address(hex);
  if (a.empty()) return;
  auto colon = a.rfind(':');
  FUZZ_CHECK(colon != std::string::npos);
  std::string host = a.substr(0, colon);
  unsigned char buf[16];
  if (host.starts_with('[')) {
    FUZZ_CHECK(host.ends_with(']'));
    FUZZ_CHECK(::inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), buf) == 1);
  } else {
    FUZZ_CHECK(::inet_pton(AF_INET, host.c_str(), buf) == 1);
  }
  FUZZ_CHECK(std::stoul(a.substr(colon + 1)) <= 0xffffffffUL);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz_text(data, size);
  nsdebug::SocketNames names;
  nsdebug::parse_inet_sockets(text, "tcp", names);
  nsdebug::parse_inet_sockets(text, "udp6", names);
  nsdebug::parse_unix_sockets(text, names);
  for (const auto& [inode, what] : names) {
    FUZZ_CHECK(what.starts_with("tcp") || what.starts_with("udp") || what.starts_with("unix"));
    FUZZ_CHECK(what.find('\n') == std::string::npos);
  }
  // Every word of the text as an address.
  std::size_t i = 0;
  while (i < text.size()) {
    auto end = text.find_first_of(" \n", i);
    if (end == std::string_view::npos) end = text.size();
    check_address(text.substr(i, end - i));
    i = end + 1;
  }
  return 0;
}
