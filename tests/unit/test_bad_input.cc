// The bad-input matrix of issue 10, parsing half: signals and PIDs refused before anything
// is looked up or sent (the real-process half is tests/integration/test_bad_input.cc).
#include <catch2/catch.hpp>

#include "core/signals/signals.h"
#include "tools/target.h"

namespace {
constexpr nsdebug::SignalRange kGlibc{34, 64};
}

TEST_CASE("signals: unknown names, out-of-range numbers and real-time offsets are refused") {
  struct Case {
    const char* text;
    const char* why;
  };
  auto c = GENERATE(values<Case>({
      {"FROB", "no such signal"},
      {"", "no such signal"},
      {"SIG", "no such signal"},
      {"65", "signal numbers go from 0 to 64"},
      {"-1", "signal numbers go from 0 to 64"},
      {"99999999999", "no such signal"},  // does not fit an int
      {"RTMIN+40", "real-time signals go from RTMIN (34) to RTMAX (64)"},
      {"RTMAX-31", "real-time signals go from RTMIN (34) to RTMAX (64)"},
      {"SIGRTMIN+31", "real-time signals go from RTMIN (34) to RTMAX (64)"},
      {"RTMIN-1", "real-time signals go from RTMIN (34) to RTMAX (64)"},
      {"RTMIN+", "no such signal"},
      {"RTMIN+x", "no such signal"},
  }));
  INFO(c.text);
  auto r = nsdebug::parse_signal(c.text, kGlibc);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == EINVAL);
  CHECK(r.error().why == c.why);
  CHECK_FALSE(r.error().hint.empty());
  CHECK(nsdebug::parse_signal("RTMIN+30", kGlibc) == 64);
  CHECK(nsdebug::parse_signal("RTMAX-30", kGlibc) == 34);
}

TEST_CASE("kill -l takes a shell's exit status: 128 + the signal") {
  CHECK(nsdebug::parse_listed_signal("137", kGlibc) == 9);
  CHECK(nsdebug::parse_listed_signal("143", kGlibc) == 15);
  CHECK(nsdebug::parse_listed_signal("192", kGlibc) == 64);
  CHECK(nsdebug::parse_listed_signal("9", kGlibc) == 9);
  CHECK(nsdebug::parse_listed_signal("HUP", kGlibc) == 1);
  CHECK_FALSE(nsdebug::parse_listed_signal("193", kGlibc));
  CHECK_FALSE(nsdebug::parse_listed_signal("100", kGlibc));
  // Only kill -l: a signal to send is never read as an exit status.
  CHECK_FALSE(nsdebug::parse_signal("137", kGlibc));
}

TEST_CASE("PID targets: 0, negative, too large and non-numeric are refused as usage errors") {
  using nsdebug::cli::parse_target;
  using nsdebug::cli::parse_target_path;
  for (const char* bad : {"0", "-1", "-5", "99999999999", "4294967296", "1e3", "12abc", "",
                          " 7", "7 ", "+7", "a/b", "x:y"}) {
    INFO("'" << bad << "'");
    auto t = parse_target(bad);
    // A name that is not all digits is a container name, checked when it is looked up.
    if (t) {
      CHECK(t->pid == 0);
      continue;
    }
    CHECK(t.error().code == EINVAL);
    CHECK_FALSE(t.error().hint.empty());
  }
  for (const char* bad : {"0:/etc/hosts", "99999999999:/x", ":/x", "7:"}) {
    INFO(bad);
    auto tp = parse_target_path(bad);
    REQUIRE_FALSE(tp);
    CHECK(tp.error().code == EINVAL);
  }
}
