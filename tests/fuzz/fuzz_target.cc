// TARGET and TARGET:PATH as cat, ls, tail, cp and tar take them.
#include <string>

#include "tests/fuzz/fuzz.h"
#include "tools/target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz_text(data, size);
  if (auto t = nsdebug::cli::parse_target(text)) {
    FUZZ_CHECK(t->name == text);
    FUZZ_CHECK(!t->name.empty() && t->name.find_first_of("/:") == std::string::npos);
    FUZZ_CHECK(t->pid >= 0);
    if (t->pid > 0) FUZZ_CHECK(std::to_string(t->pid) == t->name || t->name.starts_with('0'));
  }
  if (auto tp = nsdebug::cli::parse_target_path(text)) {
    FUZZ_CHECK(!tp->path.empty());
    FUZZ_CHECK(tp->target.name + ":" + tp->path == text);  // split, nothing lost
  }
  return 0;
}
