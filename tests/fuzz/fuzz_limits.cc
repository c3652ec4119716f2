// /proc/PID/limits, the kernel's fixed-width table.
#include <string>

#include "core/diagnosis/inspect.h"
#include "tests/fuzz/fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz_text(data, size);
  auto rows = nsdebug::parse_limits(text);
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  FUZZ_CHECK(rows.size() <= lines + 1);
  for (const auto& l : rows) {
    for (const auto* f : {&l.name, &l.soft, &l.hard, &l.units}) {
      FUZZ_CHECK(f->find('\n') == std::string::npos);
      FUZZ_CHECK(f->empty() || (f->front() != ' ' && f->back() != ' '));
    }
    FUZZ_CHECK(l.name.size() <= 26 && l.soft.size() <= 21 && l.hard.size() <= 21);
  }
  return 0;
}
