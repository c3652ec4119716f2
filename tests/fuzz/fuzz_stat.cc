// /proc/PID/stat (the pidfd handle's start-time check) and /proc/stat's btime.
#include <string>

#include <fmt/format.h>

#include "core/process_handle.h"
#include "core/proc_parse.h"
#include "tests/fuzz/fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz_text(data, size);
  // A state of ')' would end comm again when written back; the kernel's states are letters.
  if (auto f = nsdebug::parse_stat(text); f && f->state != ')') {
    // What was parsed, written back the kernel's way, parses to the same fields.
    auto again = nsdebug::parse_stat(fmt::format(
        "1 (x) {} {} 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 {} 0\n", f->state, f->ppid, f->start_ticks));
    FUZZ_CHECK(again && again->state == f->state && again->ppid == f->ppid &&
               again->start_ticks == f->start_ticks);
  }
  if (auto t = nsdebug::parse_boot_time(text)) {
    FUZZ_CHECK(*t > 0);
    FUZZ_CHECK(text.find("btime ") != std::string_view::npos);
    FUZZ_CHECK(nsdebug::parse_boot_time(fmt::format("cpu 1 2\nbtime {}\n", *t)) == *t);
  }
  return 0;
}
