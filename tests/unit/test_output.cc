#include <catch2/catch.hpp>

#include <cstdio>

#include "tools/output.h"

using namespace nsdebug::cli;

namespace {

std::string render(const Table& t, int width) {
  char* buf = nullptr;
  std::size_t size = 0;
  std::FILE* f = ::open_memstream(&buf, &size);
  print_table(f, t, width);
  std::fclose(f);
  std::string out(buf, size);
  std::free(buf);
  return out;
}

Table sample() {
  Table t;
  t.headers = {"PID", "USER", "COMMAND"};
  t.right_aligned = {true, false, false};
  t.rows = {{"1", "root", "/pause"}, {"1234", "nginx", "nginx: worker process"}};
  return t;
}

}  // namespace

TEST_CASE("tables align columns and leave the last one unpadded") {
  CHECK(render(sample(), 0) ==
        " PID USER  COMMAND\n"
        "   1 root  /pause\n"
        "1234 nginx nginx: worker process\n");
}

TEST_CASE("tables cut lines to the terminal width only when given one") {
  auto out = render(sample(), 12);
  CHECK(out == " PID USER  C\n   1 root  /\n1234 nginx n\n");
}

TEST_CASE("tables without headers print only rows") {
  Table t = sample();
  t.show_headers = false;
  CHECK(render(t, 0).rfind("   1 root", 0) == 0);
}
