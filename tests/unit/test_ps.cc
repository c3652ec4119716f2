#include <catch2/catch.hpp>

#include "core/containers/identity.h"
#include "fake_probe.h"
#include "core/present/select.h"

using namespace nsdebug;
using namespace nsdebug::testing;

namespace {

struct World {
  Snapshot s;
  IdentityNames names{s.containers};
  RowContext ctx{s, names};
  World() {
    s.processes = {proc(1, 0, 100, {"/pause"}), proc(6, 0, 200, {"nginx: master"}),
                   proc(11, 6, 200, {"nginx: worker"}), proc(12, 0, 300, {"sleep", "3600"}),
                   proc(13, 12, 300, {"sh"}), proc(14, 13, 300, {"top"})};
    s.processes[2].uid = 101;
    s.processes[1].rss_kb = 500;
    s.processes[2].rss_kb = 900;
    FakeProbe probe;
    s.containers = group_into_containers(s.processes, probe);
  }
  std::vector<const Process*> all() const {
    std::vector<const Process*> v;
    for (const auto& p : s.processes) v.push_back(&p);
    return v;
  }
};

std::vector<pid_t> pids(const std::vector<Row>& rows) {
  std::vector<pid_t> v;
  for (const auto& r : rows) v.push_back(r.process->pid);
  return v;
}

}  // namespace

TEST_CASE("ps column names follow procps, aliases included") {
  CHECK(find_column("cmd") == find_column("args"));
  CHECK(find_column("ucmd")->name == "comm");
  CHECK(find_column("etime")->header == "ELAPSED");
  CHECK(find_column("nonsense") == nullptr);
  auto cols = parse_columns({"pid,user", "args"});
  REQUIRE(cols);
  REQUIRE(cols->size() == 3);
  CHECK((*cols)[2].header == "COMMAND");
  auto bad = parse_columns({"pid,bogus"});
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == "bogus");
}

TEST_CASE("elapsed and cpu time print as ps prints them") {
  CHECK(format_elapsed(5) == "00:05");
  CHECK(format_elapsed(3 * 3600 + 62) == "03:01:02");
  CHECK(format_elapsed(2 * 86400 + 3600) == "2-01:00:00");
  CHECK(format_cpu_time(61) == "00:01:01");
  CHECK(format_cpu_time(86400) == "1-00:00:00");
}

TEST_CASE("stat flags show session leaders, threads, nice and the foreground group") {
  Process p = proc(7, 1, 1, {"x"});
  p.session = 7;
  p.threads = 4;
  p.nice = 5;
  p.pgrp = 7;
  p.tpgid = 7;
  CHECK(format_stat(p) == "SNsl+");
  p.nice = -2;
  p.session = 1;
  p.threads = 1;
  p.tpgid = -1;
  CHECK(format_stat(p) == "S<");
}

TEST_CASE("a kernel thread's command shows in brackets") {
  Process p = proc(2, 0, 1, {});
  p.comm = "kthreadd";
  CHECK(command_line(p) == "[kthreadd]");
  CHECK(command_line(proc(5, 1, 1, {"sleep", "3600"})) == "sleep 3600");
}

TEST_CASE("sort keys sort numerically, descending with a minus") {
  World w;
  auto keys = parse_sort("-rss");
  REQUIRE(keys);
  auto rows = order_rows(w.all(), *keys, false, w.ctx);
  CHECK(pids(rows).front() == 11);
  CHECK(pids(rows)[1] == 6);
  CHECK_FALSE(parse_sort("rss,nope"));
}

TEST_CASE("the tree puts each child after its parent, indented") {
  World w;
  auto rows = order_rows(w.all(), {}, true, w.ctx);
  CHECK(pids(rows) == std::vector<pid_t>{1, 6, 11, 12, 13, 14});
  CHECK(rows[2].depth == 1);
  CHECK(rows[5].depth == 2);
}

TEST_CASE("filters select by container, user and command pattern") {
  World w;
  using Names = std::vector<std::string>;
  auto count = [&](Names containers, Names users, Names patterns) {
    Filter f{std::move(containers), std::move(users), std::move(patterns)};
    auto sel = Selector::make(f, w.s);
    REQUIRE(sel);
    int n = 0;
    for (const auto& p : w.s.processes) n += sel->matches(p, w.ctx);
    return n;
  };
  CHECK(count({"nginx"}, {}, {}) == 2);
  CHECK(count({}, {"101"}, {}) == 1);
  CHECK(count({}, {}, {"^nginx: (master|worker)"}) == 2);
  CHECK(count({"nginx"}, {}, {"worker"}) == 1);
}

TEST_CASE("an unknown container or a broken pattern is refused with a hint") {
  World w;
  auto missing = Selector::make(Filter{.containers = {"nope"}}, w.s);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().hint.find("nginx") != std::string::npos);
  auto broken = Selector::make(Filter{.patterns = {"(unclosed"}}, w.s);
  REQUIRE_FALSE(broken);
  CHECK(broken.error().code == EINVAL);
}

TEST_CASE("-p selects by PID; a pattern leaves nsdebug's own process out, as pgrep does") {
  World w;
  Filter by_pid;
  by_pid.pids = {6, 14};
  auto sel = Selector::make(by_pid, w.s);
  REQUIRE(sel);
  std::vector<pid_t> got;
  for (const auto& p : w.s.processes)
    if (sel->matches(p, w.ctx)) got.push_back(p.pid);
  CHECK(got == std::vector<pid_t>{6, 14});

  // nsdebug as 14, "top 1234" here: its command line matched its own pattern.
  Filter pattern;
  pattern.patterns = {"top"};
  pattern.self = 14;
  auto own = Selector::make(pattern, w.s);
  REQUIRE(own);
  CHECK_FALSE(own->matches(*w.s.find(14), w.ctx));
  pattern.self = 0;
  CHECK(Selector::make(pattern, w.s)->matches(*w.s.find(14), w.ctx));
  // Named by -p, it is shown: only patterns leave it out.
  by_pid.self = 14;
  CHECK(Selector::make(by_pid, w.s)->matches(*w.s.find(14), w.ctx));
}

TEST_CASE("--sort refuses keys that name no column: ',', '-', a trailing comma") {
  for (std::string spec : {",", "-", "+", "pid,", ",pid", "-rss,,pid"}) {
    INFO(spec);
    auto keys = parse_sort(spec);
    REQUIRE_FALSE(keys);
    CHECK(keys.error().find_first_not_of("+-") == std::string::npos);
  }
  CHECK(parse_sort("nope").error() == "nope");
  CHECK(parse_sort("-%cpu,+pid")->size() == 2);
  CHECK(parse_sort("")->empty());  // not given
}

TEST_CASE("the procps columns users type are known, with procps's headers, and sort") {
  struct Case {
    const char* name;
    const char* header;
  };
  for (auto c : {Case{"%cpu", "%CPU"}, Case{"pcpu", "%CPU"}, Case{"%mem", "%MEM"},
                 Case{"pmem", "%MEM"}, Case{"tty", "TT"}, Case{"tt", "TT"},
                 Case{"wchan", "WCHAN"}, Case{"lstart", "STARTED"}, Case{"psr", "PSR"},
                 Case{"lwp", "LWP"}, Case{"tid", "TID"}, Case{"pri", "PRI"},
                 Case{"cputime", "TIME"}}) {
    INFO(c.name);
    const Column* col = find_column(c.name);
    REQUIRE(col);
    CHECK(col->header == c.header);
    auto keys = parse_sort(std::string("-") + c.name);
    REQUIRE(keys);
    CHECK((*keys)[0].column == col);
  }
}
