// Where nsdebug ps must print what procps ps prints (issue 10, defect 9).
#include <catch2/catch.hpp>

#include "core/identity.h"
#include "core/present_columns.h"
#include "fake_probe.h"

using namespace nsdebug;
using namespace nsdebug::testing;

namespace {

struct World {
  Snapshot s;
  IdentityNames names{s.containers};
  RowContext ctx{s, names};
};

std::string cell(const char* column, const Process& p) {
  World w;
  return column_text(*find_column(column), p, w.ctx);
}

}  // namespace

TEST_CASE("STAT shows L when pages are locked (VmLck), as procps does") {
  Process p = proc(7, 1, 1, {"x"});
  CHECK(format_stat(p) == "S");
  p.locked_kb = 0;
  CHECK(format_stat(p) == "S");
  p.locked_kb = 4;
  p.session = 7;
  CHECK(format_stat(p) == "SLs");
  CHECK(find_column("stat")->needs_locked);
  CHECK_FALSE(find_column("rss")->needs_locked);
}

TEST_CASE("NI is '-' for real-time and idle policies, the nice value otherwise") {
  Process p = proc(7, 1, 1, {"x"});
  p.nice = 5;
  CHECK(cell("ni", p) == "5");
  p.policy = 3;  // SCHED_BATCH has a nice value
  CHECK(cell("ni", p) == "5");
  for (int policy : {1, 2, 5, 6}) {  // FIFO, RR, IDLE, DEADLINE
    p.policy = policy;
    CHECK(cell("ni", p) == "-");
  }
}

TEST_CASE("-o COLUMN=HEADER renames, and all-empty headers drop the header line") {
  auto cols = parse_columns({"pid=TASK,comm", "args="});
  REQUIRE(cols);
  REQUIRE(cols->size() == 3);
  CHECK((*cols)[0].header == "TASK");
  CHECK((*cols)[0].column == find_column("pid"));
  CHECK((*cols)[1].header == "COMMAND");
  CHECK((*cols)[2].header.empty());
  CHECK(any_header(*cols));
  auto blank = parse_columns({"pid=", "args="});
  REQUIRE(blank);
  CHECK_FALSE(any_header(*blank));
  auto bad = parse_columns({"nope=X"});
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == "nope");
  auto nameless = parse_columns({"pid,=X"});  // found by fuzz_columns: the error was ""
  REQUIRE_FALSE(nameless);
  CHECK(nameless.error() == "=X");
}

TEST_CASE("uid and gid 0 are root without a readable passwd; other ids stay numbers") {
  std::vector<Container> none;
  IdentityNames names(none);
  CHECK(names.user(-1, 0) == "root");
  CHECK(names.group(-1, 0) == "root");
  CHECK(names.user(-1, 101) == "101");
  CHECK(names.group(-1, 101) == "101");
}
