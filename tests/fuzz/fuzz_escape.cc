// Hostile bytes made safe to show and to put in JSON (core/present/escape): whatever the input, what a
// terminal gets holds no control byte and is valid UTF-8, the ASCII form is printable ASCII,
// JSON strings are valid UTF-8, base64 has its exact length, and cutting to a width never
// splits a character or overshoots.
#include <string>

#include "core/present/escape.h"
#include "tests/fuzz/fuzz.h"

namespace {

bool no_control_bytes(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto raw = fuzz_text(data, size);
  std::string shown = nsdebug::escape_for_terminal(raw);
  FUZZ_CHECK(no_control_bytes(shown));
  FUZZ_CHECK(nsdebug::is_valid_utf8(shown));
  FUZZ_CHECK(shown.size() >= raw.size());
  std::string appended = "x";
  nsdebug::append_escaped(appended, raw);
  FUZZ_CHECK(appended == "x" + shown);
  for (unsigned char c : nsdebug::escape_ascii(raw)) FUZZ_CHECK(c >= 0x20 && c < 0x7f);
  std::string json = nsdebug::replace_invalid_utf8(raw);
  FUZZ_CHECK(nsdebug::is_valid_utf8(json));
  if (nsdebug::is_valid_utf8(raw)) FUZZ_CHECK(json == raw);
  FUZZ_CHECK(nsdebug::base64_encode(raw).size() == (size + 2) / 3 * 4);
  for (std::size_t columns : {0u, 1u, 7u, 80u}) {
    std::size_t cut = nsdebug::fit_width(shown, columns);
    FUZZ_CHECK(cut <= shown.size());
    FUZZ_CHECK(nsdebug::display_width(std::string_view(shown).substr(0, cut)) <= columns);
    FUZZ_CHECK(nsdebug::is_valid_utf8(std::string_view(shown).substr(0, cut)));
  }
  return 0;
}
