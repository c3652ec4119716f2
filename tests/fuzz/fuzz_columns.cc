// ps -o column lists and --sort specs.
#include <string>
#include <vector>

#include "core/present/columns.h"
#include "core/present/select.h"
#include "tests/fuzz/fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz_text(data, size);
  // Each line one -o value, as repeated options give them.
  std::vector<std::string> specs;
  for (std::size_t at = 0; at <= text.size();) {
    auto nl = std::min(text.find('\n', at), text.size());
    specs.emplace_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  if (auto cols = nsdebug::parse_columns(specs)) {
    for (const auto& choice : *cols) {
      const auto* c = choice.column;
      FUZZ_CHECK(c != nullptr);
      FUZZ_CHECK(nsdebug::find_column(c->name) == c);
      FUZZ_CHECK(!c->header.empty() && c->append != nullptr);
      // "pid=TASK" renames, "pid=" blanks: a header is the column's own or came from the
      // input, and never spans the separators that end an item.
      FUZZ_CHECK(choice.header == c->header || text.find(choice.header) != std::string_view::npos);
      FUZZ_CHECK(choice.header.find_first_of(", ") == std::string::npos);
    }
  } else {
    FUZZ_CHECK(!cols.error().empty());
    FUZZ_CHECK(text.find(cols.error()) != std::string_view::npos);
  }
  if (auto keys = nsdebug::parse_sort(std::string(text))) {
    for (const auto& k : *keys) FUZZ_CHECK(k.column != nullptr);
  } else {
    FUZZ_CHECK(text.find(keys.error()) != std::string_view::npos);
  }
  return 0;
}
