// The pure parts of inspect and tail: /proc/net socket tables, /proc/PID/limits, and where the
// last N lines of a file start.
#include <catch2/catch.hpp>

#include <stdio.h>
#include <unistd.h>

#include <string>

#include "core/files/follow.h"
#include "core/diagnosis/inspect.h"
#include "core/net/net_parse.h"

using namespace nsdebug;

TEST_CASE("net: IPv4 and IPv6 addresses decode from the kernel's host-order hex") {
  CHECK(decode_inet_address("0100007F:1F90") == "127.0.0.1:8080");
  CHECK(decode_inet_address("00000000:0050") == "0.0.0.0:80");
  CHECK(decode_inet_address("00000000000000000000000001000000:0050") == "[::1]:80");
  CHECK(decode_inet_address("zz:1").empty());
}

TEST_CASE("net: tcp lines name sockets by inode, LISTEN without the remote end") {
  std::string tcp =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
      "   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31337 1 0 100 0 0 10 0\n"
      "   1: 0100007F:1F90 0200000A:C822 01 00000000:00000000 00:00000000 00000000   101        0 4242 1 0 20 4 30 10 -1\n";
  SocketNames names;
  parse_inet_sockets(tcp, "tcp", names);
  CHECK(names.at(31337) == "tcp 0.0.0.0:80 LISTEN");
  CHECK(names.at(4242) == "tcp 127.0.0.1:8080 -> 10.0.0.2:51234 ESTABLISHED");
}

TEST_CASE("net: unix sockets by inode, with their path when bound") {
  std::string unix_text =
      "Num       RefCount Protocol Flags    Type St Inode Path\n"
      "0000000000000000: 00000002 00000000 00010000 0001 01 21000 /run/app.sock\n"
      "0000000000000000: 00000003 00000000 00000000 0001 03 21001\n";
  SocketNames names;
  parse_unix_sockets(unix_text, names);
  CHECK(names.at(21000) == "unix /run/app.sock");
  CHECK(names.at(21001) == "unix");
}

TEST_CASE("limits: names with spaces, and the units column, split at the kernel's widths") {
  std::string text =
      "Limit                     Soft Limit           Hard Limit           Units     \n"
      "Max cpu time              unlimited            unlimited            seconds   \n"
      "Max open files            1024                 524288               files     \n"
      "Max realtime timeout      unlimited            unlimited            us        \n";
  auto l = parse_limits(text);
  REQUIRE(l.size() == 3);
  CHECK(l[1].name == "Max open files");
  CHECK(l[1].soft == "1024");
  CHECK(l[1].hard == "524288");
  CHECK(l[1].units == "files");
  CHECK(l[2].units == "us");
}

TEST_CASE("tail: the last N lines start after the N+1th newline from the end") {
  FILE* f = ::tmpfile();
  REQUIRE(f);
  std::string text = "a\nbb\nccc\n";
  REQUIRE(::fwrite(text.data(), 1, text.size(), f) == text.size());
  ::fflush(f);
  int fd = ::fileno(f);
  CHECK(last_lines_offset(fd, text.size(), 1).value() == 5);
  CHECK(last_lines_offset(fd, text.size(), 2).value() == 2);
  CHECK(last_lines_offset(fd, text.size(), 3).value() == 0);
  CHECK(last_lines_offset(fd, text.size(), 10).value() == 0);
  CHECK(last_lines_offset(fd, text.size(), 0).value() == text.size());
  // Without a final newline the unfinished line counts as the last.
  CHECK(last_lines_offset(fd, text.size() - 1, 1).value() == 5);
  CHECK(last_lines_offset(fd, text.size() - 1, 2).value() == 2);
  ::fclose(f);
}
