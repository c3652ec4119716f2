#include "core/present/escape.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace nsdebug {
namespace {

struct Range {
  char32_t first, last;
};

// East Asian Wide and Fullwidth (Unicode's EastAsianWidth.txt W and F), folded into the blocks
// that hold them: what a terminal draws two columns wide.
constexpr std::array kWide{
    Range{0x1100, 0x115F},   Range{0x231A, 0x231B},   Range{0x2329, 0x232A},
    Range{0x23E9, 0x23EC},   Range{0x23F0, 0x23F0},   Range{0x23F3, 0x23F3},
    Range{0x25FD, 0x25FE},   Range{0x2614, 0x2615},   Range{0x2648, 0x2653},
    Range{0x267F, 0x267F},   Range{0x2693, 0x2693},   Range{0x26A1, 0x26A1},
    Range{0x26AA, 0x26AB},   Range{0x26BD, 0x26BE},   Range{0x26C4, 0x26C5},
    Range{0x26CE, 0x26CE},   Range{0x26D4, 0x26D4},   Range{0x26EA, 0x26EA},
    Range{0x26F2, 0x26F3},   Range{0x26F5, 0x26F5},   Range{0x26FA, 0x26FA},
    Range{0x26FD, 0x26FD},   Range{0x2705, 0x2705},   Range{0x270A, 0x270B},
    Range{0x2728, 0x2728},   Range{0x274C, 0x274C},   Range{0x274E, 0x274E},
    Range{0x2753, 0x2755},   Range{0x2757, 0x2757},   Range{0x2795, 0x2797},
    Range{0x27B0, 0x27B0},   Range{0x27BF, 0x27BF},   Range{0x2B1B, 0x2B1C},
    Range{0x2B50, 0x2B50},   Range{0x2B55, 0x2B55},   Range{0x2E80, 0x303E},
    Range{0x3041, 0x33FF},   Range{0x3400, 0x4DBF},   Range{0x4E00, 0x9FFF},
    Range{0xA000, 0xA4CF},   Range{0xA960, 0xA97F},   Range{0xAC00, 0xD7A3},
    Range{0xF900, 0xFAFF},   Range{0xFE10, 0xFE19},   Range{0xFE30, 0xFE6F},
    Range{0xFF00, 0xFF60},   Range{0xFFE0, 0xFFE6},   Range{0x16FE0, 0x16FE4},
    Range{0x17000, 0x18CFF}, Range{0x1B000, 0x1B2FF}, Range{0x1F004, 0x1F004},
    Range{0x1F0CF, 0x1F0CF}, Range{0x1F18E, 0x1F18E}, Range{0x1F191, 0x1F19A},
    Range{0x1F200, 0x1F265}, Range{0x1F300, 0x1F64F}, Range{0x1F680, 0x1F6FF},
    Range{0x1F7E0, 0x1F7EB}, Range{0x1F900, 0x1F9FF}, Range{0x1FA70, 0x1FAFF},
    Range{0x20000, 0x2FFFD}, Range{0x30000, 0x3FFFD},
};

// Combining marks, joiners and format characters: drawn on the character before, no column.
constexpr std::array kZeroWidth{
    Range{0x0300, 0x036F}, Range{0x0483, 0x0489}, Range{0x0591, 0x05BD},
    Range{0x05BF, 0x05BF}, Range{0x05C1, 0x05C2}, Range{0x05C4, 0x05C5},
    Range{0x05C7, 0x05C7}, Range{0x0610, 0x061A}, Range{0x064B, 0x065F},
    Range{0x0670, 0x0670}, Range{0x06D6, 0x06DC}, Range{0x06DF, 0x06E4},
    Range{0x06E7, 0x06E8}, Range{0x06EA, 0x06ED}, Range{0x0E31, 0x0E31},
    Range{0x0E34, 0x0E3A}, Range{0x0E47, 0x0E4E}, Range{0x1160, 0x11FF},
    Range{0x1AB0, 0x1AFF}, Range{0x1DC0, 0x1DFF}, Range{0x200B, 0x200F},
    Range{0x202A, 0x202E}, Range{0x2060, 0x2064}, Range{0x20D0, 0x20FF},
    Range{0x302A, 0x302D}, Range{0x3099, 0x309A}, Range{0xFE00, 0xFE0F},
    Range{0xFE20, 0xFE2F}, Range{0xFEFF, 0xFEFF}, Range{0xE0100, 0xE01EF},
};

template <std::size_t N>
bool in(const std::array<Range, N>& table, char32_t cp) {
  auto it = std::ranges::lower_bound(table, cp, {}, &Range::last);
  return it != table.end() && it->first <= cp;
}

bool continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// Length of the valid UTF-8 sequence at s[i] (its code point in cp), or 0 when the byte there
// does not start one. Strict, as RFC 3629: no overlong forms, no surrogates, nothing past
// U+10FFFF.
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char b0 = b(0);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t n = b0 >= 0xC2 && b0 <= 0xDF ? 2 : b0 >= 0xE0 && b0 <= 0xEF ? 3
                : b0 >= 0xF0 && b0 <= 0xF4 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range
  if (b0 == 0xE0) lo = 0xA0;
  if (b0 == 0xED) hi = 0x9F;
  if (b0 == 0xF0) lo = 0x90;
  if (b0 == 0xF4) hi = 0x8F;
  if (b(1) < lo || b(1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (!continuation(b(k))) return 0;
  cp = b0 & (0x7F >> n);
  for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (b(k) & 0x3F);
  return n;
}

// Valid, but a terminal acts on it or it reorders the text around it.
bool unsafe_code_point(char32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
         cp == 0x2029;
}

bool plain_ascii(unsigned char c) { return c >= 0x20 && c < 0x7F && c != '\\'; }

void append_hex(std::string& out, unsigned char c) {
  constexpr const char* kHex = "0123456789abcdef";
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 0xF];
}

void append_control(std::string& out, unsigned char c) {
  switch (c) {
    case '\\': out += "\\\\"; return;
    case '\a': out += "\\a"; return;
    case '\b': out += "\\b"; return;
    case '\t': out += "\\t"; return;
    case '\n': out += "\\n"; return;
    case '\v': out += "\\v"; return;
    case '\f': out += "\\f"; return;
    case '\r': out += "\\r"; return;
    case 0x1B: out += "\\e"; return;
    default: append_hex(out, c);
  }
}

}  // namespace

void append_escaped(std::string& out, std::string_view raw) {
  std::size_t i = 0;
  while (i < raw.size()) {
    // Runs of plain ASCII, the common case, go in one append.
    std::size_t j = i;
    while (j < raw.size() && plain_ascii(static_cast<unsigned char>(raw[j]))) ++j;
    out.append(raw, i, j - i);
    if ((i = j) == raw.size()) break;
    char32_t cp = 0;
    std::size_t n = decode(raw, i, cp);
    if (n == 1) {
      append_control(out, static_cast<unsigned char>(raw[i]));
    } else if (n == 0 || unsafe_code_point(cp)) {
      for (std::size_t k = 0; k < std::max<std::size_t>(n, 1); ++k)
        append_hex(out, static_cast<unsigned char>(raw[i + k]));
    } else {
      out.append(raw, i, n);
    }
    i += std::max<std::size_t>(n, 1);
  }
}

std::string escape_for_terminal(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  append_escaped(out, raw);
  return out;
}

namespace {
// Columns of the character of length n (0: an invalid byte) at code point cp.
std::size_t columns_of(std::size_t n, char32_t cp) {
  if (n == 0 || cp < 0x300) return 1;  // the tables start at U+0300: ASCII needs no search
  return in(kZeroWidth, cp) ? 0 : in(kWide, cp) ? 2 : 1;
}

// How many of the first `limit` bytes are ASCII: a column each, nothing to decode (nearly
// every cell of a table is all ASCII).
std::size_t ascii_prefix(std::string_view text, std::size_t limit) {
  std::size_t end = std::min(text.size(), limit), i = 0;
  while (i < end && static_cast<unsigned char>(text[i]) < 0x80) ++i;
  return i;
}
}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t i = ascii_prefix(text, text.size());
  std::size_t cols = i;
  while (i < text.size()) {
    char32_t cp = 0;
    std::size_t n = decode(text, i, cp);
    cols += columns_of(n, cp);
    i += std::max<std::size_t>(n, 1);
  }
  return cols;
}

std::size_t fit_width(std::string_view text, std::size_t columns) {
  std::size_t i = ascii_prefix(text, columns);
  std::size_t cols = i;
  while (i < text.size()) {
    char32_t cp = 0;
    std::size_t n = decode(text, i, cp);
    std::size_t w = columns_of(n, cp);
    if (cols + w > columns) break;
    cols += w;
    i += std::max<std::size_t>(n, 1);
  }
  return i;
}

bool is_valid_utf8(std::string_view raw) {
  for (std::size_t i = 0; i < raw.size();) {
    char32_t cp = 0;
    std::size_t n = decode(raw, i, cp);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string replace_invalid_utf8(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size();) {
    char32_t cp = 0;
    std::size_t n = decode(raw, i, cp);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    } else {
      out.append(raw, i, n);
      i += n;
    }
  }
  return out;
}

std::string base64_encode(std::string_view raw) {
  constexpr const char* kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((raw.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < raw.size(); i += 3) {
    std::uint32_t v = static_cast<unsigned char>(raw[i]) << 16;
    if (i + 1 < raw.size()) v |= static_cast<unsigned char>(raw[i + 1]) << 8;
    if (i + 2 < raw.size()) v |= static_cast<unsigned char>(raw[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < raw.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += i + 2 < raw.size() ? kAlphabet[v & 63] : '=';
  }
  return out;
}

std::string escape_ascii(std::string_view raw) {
  std::string escaped = escape_for_terminal(raw), out;
  out.reserve(escaped.size());
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char c : escaped) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace nsdebug
