#include <catch2/catch.hpp>

#include <cstdio>

#include "tools/output.h"

using namespace nsdebug::cli;

namespace {

template <class Print>
std::string capture(Print print) {
  char* buf = nullptr;
  std::size_t size = 0;
  std::FILE* f = ::open_memstream(&buf, &size);
  print(f);
  std::fclose(f);
  std::string out(buf, size);
  std::free(buf);
  return out;
}

std::string render(const Table& t, int width) {
  return capture([&](std::FILE* f) { print_table(f, t, width); });
}

// The same table through print_table_streamed, counting the cells it asks for.
std::string render_streamed(const Table& t, int width, std::size_t& cells_made) {
  auto fill = [&](std::size_t i, std::size_t n, std::vector<std::string>& cells) {
    for (std::size_t k = 0; k < n; ++k) cells[k] = t.rows[i][k];
    cells_made += n;
  };
  return capture([&](std::FILE* f) { print_table_streamed(f, t, t.rows.size(), fill, width); });
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

TEST_CASE("streamed tables print as held ones, making the unpadded last column once") {
  Table t = sample();
  for (int width : {0, 12}) {
    std::size_t cells_made = 0;
    CHECK(render_streamed(t, width, cells_made) == render(t, width));
    CHECK(cells_made == 2 * 2 + 2 * 3);  // measured without COMMAND, then printed whole
  }
}
