// Where nsdebug ps must print what procps ps prints (issue 10, defect 9).
#include <catch2/catch.hpp>

#include "core/containers/identity.h"
#include "core/present/cells.h"
#include "core/present/columns.h"
#include "core/proc/proc_parse.h"
#include "core/proc/procfs.h"
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

// ---- the columns of issue 13, each as procps-ng 4.0.2's ps/output.c computes it ------------

TEST_CASE("%CPU is CPU time over the ticks of life, as procps") {
  // 150 ticks at 100 Hz over 2.91 s (up 10.9, started at 7.99): 291 ticks, 51.5%.
  CHECK(pcpu_permille(150, 799, 10.9, 100) == 515);
  CHECK(pcpu_permille(50, 700, 7.5, 100) == 1000);  // half a second old, all of it on a CPU
  CHECK(pcpu_permille(150, 799, 7.5, 100) == 0);   // "started" after now: 0, no division
  CHECK(pcpu_permille(1, 0, 1000, 100) == 0);
  CHECK(pcpu_permille(2 * 100 * 60, 0, 60.0, 100) == 2000);  // two busy threads: 200%
  std::string out;
  append_permille(out, 500, true);
  CHECK(out == "50.0");
  out.clear();
  append_permille(out, 2000, true);
  CHECK(out == "200");  // above 99.9 procps drops the tenths
  out.clear();
  append_permille(out, 7, false);
  CHECK(out == "0.7");
}

TEST_CASE("%MEM is resident over MemTotal, capped at 99.9") {
  CHECK(pmem_permille(1024, 2048000) == 0);
  CHECK(pmem_permille(204800, 2048000) == 100);
  CHECK(pmem_permille(4096000, 2048000) == 999);
  CHECK(pmem_permille(1, 0) == 0);
}

TEST_CASE("TT names the terminal from stat's tty_nr") {
  auto dev = [](unsigned major, unsigned minor) {
    return static_cast<int>((minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12));
  };
  CHECK(tty_name(0) == "?");
  CHECK(tty_name(dev(136, 3)) == "pts/3");
  CHECK(tty_name(dev(136, 300)) == "pts/300");
  CHECK(tty_name(dev(4, 1)) == "tty1");
  CHECK(tty_name(dev(4, 64)) == "ttyS0");
  CHECK(tty_name(dev(5, 1)) == "console");
  CHECK(tty_name(dev(7, 1)) == "?");
}

TEST_CASE("WCHAN: '-' for 0, leading underscores dropped, '?' when unreadable") {
  CHECK(wchan_text("0") == "-");
  CHECK(wchan_text("") == "?");
  CHECK(wchan_text("hrtimer_nanosleep") == "hrtimer_nanosleep");
  CHECK(wchan_text("__x64_sys_pause") == "x64_sys_pause");
  CHECK(wchan_text(".do_wait") == "do_wait");
}

TEST_CASE("PRI, PSR, LWP and STARTED come from stat as procps reads them") {
  std::string line =
      "42 (a) S 1 42 42 34817 42 4194560 90 0 0 0 7 3 0 0 25 5 1 0 100 2375680 131 "
      "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
  auto s = parse_stat_line(line);
  REQUIRE(s);
  CHECK(s->tty_nr == 34817);  // 136, 1: pts/1
  CHECK(s->priority == 25);
  CHECK(s->nice == 5);
  CHECK(s->processor == 3);
  CHECK(s->policy == 0);
  Process p = process_from_stat(42, *s);
  CHECK(cell("pri", p) == "14");  // 39 - 25
  CHECK(cell("psr", p) == "3");
  CHECK(cell("lwp", p) == "42");
  CHECK(cell("tid", p) == "42");
  CHECK(cell("tty", p) == "pts/1");
  std::string started;
  append_lstart(started, 0);
  CHECK(started.size() == 24);  // "Thu Jan  1 00:00:00 1970", ctime's width
}
