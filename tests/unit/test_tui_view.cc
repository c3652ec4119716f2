// What the TUI draws, over a fake pod: frames as text.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "tui/pages.h"
#include "tui/text.h"
#include "tui_world.h"

using namespace nsdebug;
using namespace nsdebug::testing;
using namespace nsdebug::tui;
using Catch::Contains;

TEST_CASE("tui process view has the columns and every process") {
  TuiWorld w;
  std::string s = w.screen({120, 24});
  for (const char* h : {"PID", "CONTAINER", "USER", "STAT", "CPU%", "RSS", "MEM%", "ELAPSED",
                        "COMMAND"})
    CHECK_THAT(s, Contains(h));
  CHECK_THAT(s, Contains("nginx: worker process"));
  CHECK_THAT(s, Contains("5 processes"));
  Frame f = render(w.m, {80, 24});
  REQUIRE(f.lines.size() == 24);
  for (const auto& l : f.lines) CHECK(l.size() == 80);
}

TEST_CASE("tui marks the sandbox's rows") {
  TuiWorld w;
  Frame f = render(w.m, {80, 24});
  bool found = false;
  for (const auto& l : f.lines)
    if (l.find("/pause") != std::string::npos) {
      CHECK(l[1] == 'S');
      found = true;
    }
  CHECK(found);
}

TEST_CASE("tui shows a too-small screen below 80x24") {
  TuiWorld w;
  std::string s = w.screen({79, 24});
  CHECK_THAT(s, Contains("terminal too small: 79x24"));
  CHECK_THAT(s, Contains("80x24"));
  CHECK_THAT(w.screen({120, 10}), Contains("terminal too small: 120x10"));
  CHECK_THAT(w.screen({20, 2}), Contains("too small"));
  CHECK_THAT(w.screen({80, 24}), !Contains("too small"));
}

TEST_CASE("tui's too-small screen on 20x5 still says the size and how to quit") {
  TuiWorld w;
  Frame f = render(w.m, {20, 5});
  REQUIRE(f.lines.size() == 5);
  for (const auto& l : f.lines) CHECK(l.size() <= 20);
  // Cut to one line each it read "terminal too small: " and "enlarge it, or press".
  std::string s = f.text();
  CHECK_THAT(s, Contains("terminal too small:"));
  CHECK_THAT(s, Contains("20x5"));
  CHECK_THAT(s, Contains("q to quit"));
  CHECK_THAT(s, Contains("80x24"));
  // Too few rows for all of it: the size and how to quit come first.
  std::string four = w.screen({20, 4});
  CHECK_THAT(four, Contains("20x4") && Contains("q to quit"));
  CHECK_THAT(four, !Contains("80x24"));
  CHECK_THAT(w.screen({20, 3}), Contains("20x3") && Contains("q quits"));
  CHECK_THAT(w.screen({10, 1}), Contains("terminal"));
}

TEST_CASE("tui escapes a hostile command line") {
  TuiWorld w;
  w.s.processes[3].argv = Argv(std::vector<std::string>{"sh", "\x1b]0;owned\x07\x1b[2J"});
  rebuild_rows(w.m);
  std::string s = w.screen({160, 24});
  CHECK(s.find('\x1b') == std::string::npos);
  CHECK(s.find('\x07') == std::string::npos);
  CHECK_THAT(s, Contains("\\e]0;owned\\a"));
}

TEST_CASE("tui pager shows binary bytes and escapes escaped") {
  CHECK(escape_bytes("a\x1b[31mb") == "a\\e[31mb");
  CHECK(escape_bytes(std::string("\0\xff\t", 3)) == "\\x00\\xff\\t");
  TuiWorld w;
  w.m.screen = Screen::pager;
  w.m.pager.title = "/x";
  w.m.pager.lines = {escape_bytes("\x1b[2Jgotcha")};
  std::string s = w.screen();
  CHECK(s.find('\x1b') == std::string::npos);
  CHECK_THAT(s, Contains("\\e[2Jgotcha"));
}

TEST_CASE("tui grouped view shows container totals and cgroup figures") {
  TuiWorld w;
  const Process* worker = w.s.find(11);
  CgroupStats g;
  g.memory_bytes = 10 << 20;
  g.memory_max_bytes = 256 << 20;
  g.oom_kills = 2;
  g.nr_throttled = 7;
  g.throttled_usec = 1500000;
  w.s.containers[static_cast<std::size_t>(worker->container)].cgroup = g;
  w.keys("c");
  std::string s = w.screen({160, 24});
  CHECK_THAT(s, Contains("2 processes, CPU 6.0%, RSS 1.4M"));
  CHECK_THAT(s, Contains("mem 10.0M/256M"));
  CHECK_THAT(s, Contains("OOM kills 2"));
  CHECK_THAT(s, Contains("throttled 7x (1.5 s)"));
}

TEST_CASE("tui kill menu lists signals by number and name") {
  TuiWorld w;
  w.key('k');
  std::string s = w.screen();
  CHECK_THAT(s, Contains(" 1 HUP"));
  CHECK_THAT(s, Contains("15 TERM"));
  CHECK_THAT(s, Contains("Send a signal to 1 process"));
}

TEST_CASE("tui help page lists the keys") {
  TuiWorld w;
  w.keys("?");
  CHECK(w.m.screen == Screen::help);
  CHECK_THAT(w.screen(), Contains("kill menu"));
}

TEST_CASE("tui pager splits appended bytes into escaped lines, across reads") {
  PagerState p;
  append_text(p, "first\nsec");
  append_text(p, "ond\x1b[31m\nthird\n");
  REQUIRE(p.lines.size() == 3);
  CHECK(p.lines[0] == "first");
  CHECK(p.lines[1] == "second\\e[31m");
  CHECK(p.lines[2] == "third");
  CHECK_FALSE(p.partial_line);
  CHECK(p.offset == 24);
}

TEST_CASE("tui files view names owners, and says when an entry could not be described") {
  std::vector<DirEntry> entries(3);
  struct stat conf {};
  conf.st_mode = S_IFREG | 0644;
  conf.st_uid = 101;
  struct stat up {};
  up.st_mode = S_IFDIR | 0755;
  entries[0].name = "nginx.conf";
  entries[0].st = conf;
  entries[1].name = "..";
  entries[1].st = up;
  entries[2].name = "gone\x1b";  // lstat failed
  entries[2].st = std::unexpected(Error{ENOENT, "lstat", {}, {}});
  DirListed f = list_rows("/etc", entries,
                          [](uid_t u) { return u == 101 ? std::string("nginx") : std::to_string(u); },
                          [](gid_t g) { return std::to_string(g); });
  REQUIRE(f.rows.size() == 3);
  CHECK(f.raw_names[0] == "..");
  CHECK(f.rows[1].name == "gone\\e");
  CHECK_THAT(f.rows[1].error, Contains("No such file"));
  CHECK(f.rows[2].owner == "nginx");
  CHECK(f.rows[2].mode == "-rw-r--r--");
}
