// Inputs the libFuzzer targets (tests/fuzz) found, each kept as a test; the inputs themselves
// are in tests/fuzz/corpus/<target>/ too.
#include <catch2/catch.hpp>

#include <string>

#include "core/proc/argv.h"
#include "core/proc/proc_parse.h"
#include "core/present/redact.h"

using namespace nsdebug;
using namespace std::string_literals;

// fuzz_redact, crash-title-leading-space: a title (argv[0] holding spaces) with a leading space
// lost it when masked, though argv_may_hold_secret said nothing would change.
TEST_CASE("fuzz regression: masking a title keeps its spaces where they were") {
  Argv argv{" iwnxn:gorker nKEv", "D\xff" "B_T-tprocess"};
  REQUIRE_FALSE(argv_may_hold_secret(argv));
  CHECK(redact_argv(argv) == argv.to_vector());
  for (const char* title : {"nginx: worker process ", "  two  spaces  ", "   "})
    CHECK(redact_argv(Argv{title}) == std::vector<std::string>{title});
  CHECK(redact_argv(Argv{" app  --password=x "}) ==
        std::vector<std::string>{" app  --password=*** "});
}

// Found reading the same code: a run of spaces in a title made an empty word, which took the
// mask meant for the value after "--token", and the value showed.
TEST_CASE("fuzz regression: a title's doubled space does not unmask the value after --token") {
  CHECK(redact_argv(Argv{"app --token  abc"}) == std::vector<std::string>{"app --token  ***"});
}

// fuzz_stat, btime-leading-zero: the parser reads "btime 0898054517" as 898054517 (the
// invariant, not the parser, was wrong); kept as a test that leading zeros parse.
TEST_CASE("fuzz regression: /proc/stat btime with leading zeros") {
  CHECK(parse_boot_time("cpu  1 2 3\nbtime 0898054517\n") == 898054517);
}
