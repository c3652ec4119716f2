// The pure parts of inspect and tail: /proc/PID/limits, and where the last N lines of a file
// start. (The /proc/net tables: test_net_parse.cc.)
#include <catch2/catch.hpp>

#include <stdio.h>
#include <unistd.h>

#include <string>

#include "core/files/follow.h"
#include "core/diagnosis/inspect.h"

using namespace nsdebug;

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
