// A container's /etc/passwd and /etc/group (the same parser: name:x:id:...).
#include <string>

#include <fmt/format.h>

#include "core/proc/proc_parse.h"
#include "tests/fuzz/fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz_text(data, size);
  auto names = nsdebug::parse_id_names(text);
  std::string rendered;
  for (const auto& [id, name] : names) {
    FUZZ_CHECK(!name.empty());
    FUZZ_CHECK(name.find_first_of(":\n") == std::string::npos);
    FUZZ_CHECK(name.front() != '#' && name.front() != '+' && name.front() != '-');
    rendered += fmt::format("{}:x:{}:\n", name, id);
  }
  FUZZ_CHECK(nsdebug::parse_id_names(rendered) == names);
  return 0;
}
