#pragma once
// Untrusted bytes (argv, comm, names, paths, environment) made safe to show, for both faces.
// Pure: no terminal, no locale; the same bytes give the same text everywhere.
//
// The scheme, as GNU ls -b / C string literals write it:
//   - valid UTF-8 that prints stays as it is (é, 漢字, emoji);
//   - a backslash is doubled (\\), so the escaped text reads back to the exact bytes;
//   - \a \b \t \n \v \f \r for those controls, \e for ESC (0x1b);
//   - \xHH (two lowercase hex digits) for every other byte that must not reach a terminal:
//     the other C0 controls and NUL, DEL (0x7f), every byte of a UTF-8 encoded C1 control
//     (U+0080..U+009F, which terminals take as CSI, OSC...), of a bidirectional override or
//     isolate (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069, which reorder what
//     follows) and of the line and paragraph separators U+2028, U+2029; and every byte that is
//     not part of valid UTF-8 (a stray 0x9b, an overlong form, a surrogate, a cut sequence).
#include <cstddef>
#include <string>
#include <string_view>

namespace nsdebug {

// The text shown for `raw`, by the scheme above.
std::string escape_for_terminal(std::string_view raw);
// The same, appended to `out` (no allocation when `out` has room: ps calls it per cell).
void append_escaped(std::string& out, std::string_view raw);
// The same scheme, but every byte >= 0x80 as \xHH too (é is \xc3\xa9): for a display that
// draws one byte a column (the TUI's frame), whatever the locale of the terminal.
std::string escape_ascii(std::string_view raw);

// Terminal columns `text` takes: East Asian Wide and Fullwidth characters (漢字, most emoji)
// count 2, combining marks and zero-width characters 0, everything else 1. Meant for text as
// escape_for_terminal returns it; a byte of invalid UTF-8 counts 1. The table is compact,
// not every Unicode version's: a rare character may be off by one column.
std::size_t display_width(std::string_view text);
// How many bytes of `text` fit in `columns`, never cutting a character in two.
std::size_t fit_width(std::string_view text, std::size_t columns);

// ---- JSON: strings must be UTF-8 ------------------------------------------------------------
bool is_valid_utf8(std::string_view raw);
// Each byte of invalid UTF-8 becomes U+FFFD; valid text is unchanged.
std::string replace_invalid_utf8(std::string_view raw);
// RFC 4648 base64 with padding: the exact bytes, for the `_b64` keys of --json.
std::string base64_encode(std::string_view raw);

}  // namespace nsdebug
