#include <catch2/catch.hpp>

#include "core/proc/argv.h"
#include "core/containers/cgroup_stats.h"

using namespace nsdebug;

TEST_CASE("cgroup stats: memory against its limit, OOM kills, throttling") {
  auto st = parse_cgroup_stats({"10485760\n", "67108864\n",
                                "low 0\nhigh 0\nmax 3\noom 1\noom_kill 2\noom_group_kill 0\n",
                                "usage_usec 5\nuser_usec 3\nsystem_usec 2\nnr_periods 10\n"
                                "nr_throttled 4\nthrottled_usec 12345\n",
                                "50000 100000\n"});
  REQUIRE(st);
  CHECK(st->memory_bytes == 10485760u);
  CHECK(st->memory_max_bytes == 67108864u);
  CHECK(st->oom_kills == 2u);  // oom_kill, not oom or oom_group_kill
  CHECK(st->nr_throttled == 4u);
  CHECK(st->throttled_usec == 12345u);
  REQUIRE(st->cpu_quota_cores);
  CHECK(*st->cpu_quota_cores == Approx(0.5));
}

TEST_CASE("cgroup stats: no limits is 'max'; the root cgroup (no memory.current) is nothing") {
  auto st = parse_cgroup_stats({"4096\n", "max\n", "", "", "max 100000\n"});
  REQUIRE(st);
  CHECK_FALSE(st->memory_max_bytes);
  CHECK_FALSE(st->oom_kills);
  CHECK_FALSE(st->cpu_quota_cores);
  CHECK_FALSE(parse_cgroup_stats({"", "max\n", "", "nr_throttled 1\n", ""}));
  CHECK_FALSE(parse_cgroup_stats({"12abc\n", "", "", "", ""}));
}

TEST_CASE("argv from /proc/PID/cmdline: NUL-terminated words, setproctitle padding dropped") {
  using namespace std::string_view_literals;
  auto a = Argv::from_cmdline("nginx: worker process\0\0\0\0\0"sv);
  REQUIRE(a.size() == 1);
  CHECK(a[0] == "nginx: worker process");
  auto b = Argv::from_cmdline("sleep\0" "1000\0"sv);
  REQUIRE(b.size() == 2);
  CHECK(b[1] == "1000");
  auto c = Argv::from_cmdline("sh\0\0-c\0"sv);  // an empty word inside stays
  REQUIRE(c.size() == 3);
  CHECK(c[1].empty());
  CHECK(Argv::from_cmdline(""sv).empty());
  CHECK(Argv::from_cmdline("\0\0"sv).size() == 1);  // argv {""}, as from_strv keeps it
  auto d = Argv::from_cmdline("no-terminator"sv);  // a title written without one
  REQUIRE(d.size() == 1);
  CHECK(d[0] == "no-terminator");
}
