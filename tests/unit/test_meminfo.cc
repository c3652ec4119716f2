#include <catch2/catch.hpp>

#include "core/proc/meminfo.h"

using namespace nsdebug;

TEST_CASE("MemTotal is read from meminfo text") {
  CHECK(parse_mem_total_kb("MemTotal:       16318436 kB\nMemFree: 1 kB\n") == 16318436u);
  CHECK(parse_mem_total_kb("MemFree: 1 kB\nMemTotal: 42 kB\n") == 42u);
  CHECK_FALSE(parse_mem_total_kb("XMemTotal: 5 kB\n"));
  CHECK_FALSE(parse_mem_total_kb("MemTotal: kB\n"));
  CHECK_FALSE(parse_mem_total_kb(""));
}
