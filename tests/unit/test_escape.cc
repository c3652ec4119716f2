// Escaping of a target's bytes for a terminal (core/present/escape.h), and its width arithmetic.
#include <catch2/catch.hpp>

#include <string>

#include "core/present/escape.h"

using nsdebug::base64_encode;
using nsdebug::display_width;
using nsdebug::escape_for_terminal;
using nsdebug::fit_width;
using nsdebug::is_valid_utf8;
using nsdebug::replace_invalid_utf8;

namespace {

// The inverse of the documented scheme: what a reader of the escaped text can recover.
std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out += s[i];
      continue;
    }
    char c = s[++i];
    switch (c) {
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'v': out += '\v'; break;
      case 'f': out += '\f'; break;
      case 'r': out += '\r'; break;
      case 'e': out += '\x1b'; break;
      case '\\': out += '\\'; break;
      case 'x': out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)); i += 2; break;
      default: FAIL("unknown escape \\" << c);
    }
  }
  return out;
}

// No byte a terminal acts on: C0, DEL, and no byte >= 0x80 outside valid UTF-8.
bool terminal_safe(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return false;
  return is_valid_utf8(s) && s.find("\xc2\x9b") == std::string::npos;
}

}  // namespace

TEST_CASE("printable ASCII and UTF-8 stay as they are") {
  for (std::string s : {"nginx: worker process", "é漢字x", "naïve café", "emoji 🚀", "a/b c=d", ""}) {
    CHECK(escape_for_terminal(s) == s);
  }
}

TEST_CASE("controls become C escapes, ESC is \\e, the rest \\xHH") {
  CHECK(escape_for_terminal("x\x1b]0;PWNED\a") == "x\\e]0;PWNED\\a");
  CHECK(escape_for_terminal("a\nb\tc\rd") == "a\\nb\\tc\\rd");
  CHECK(escape_for_terminal(std::string("nul\0end", 7)) == "nul\\x00end");
  CHECK(escape_for_terminal("\x7f\x01\x1f") == "\\x7f\\x01\\x1f");
  CHECK(escape_for_terminal("\x1b[31mred\x1b[0m") == "\\e[31mred\\e[0m");
}

TEST_CASE("a backslash is doubled, so the text reads back exactly") {
  CHECK(escape_for_terminal("C:\\dir") == "C:\\\\dir");
  CHECK(escape_for_terminal("\\e") == "\\\\e");  // the two characters, not an ESC
}

TEST_CASE("invalid UTF-8 bytes, C1 controls and bidi overrides become \\xHH") {
  CHECK(escape_for_terminal("caf\xe9") == "caf\\xe9");                // Latin-1, not UTF-8
  CHECK(escape_for_terminal("\x9b" "31m") == "\\x9b31m");             // a raw 8-bit CSI
  CHECK(escape_for_terminal("\xc2\x9b" "31m") == "\\xc2\\x9b31m");    // U+009B, CSI in UTF-8
  CHECK(escape_for_terminal("\xc0\xaf") == "\\xc0\\xaf");             // overlong '/'
  CHECK(escape_for_terminal("\xed\xa0\x80") == "\\xed\\xa0\\x80");    // a surrogate
  CHECK(escape_for_terminal("\xe6\xbc") == "\\xe6\\xbc");             // a cut 漢
  CHECK(escape_for_terminal("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // > U+10FFFF
  CHECK(escape_for_terminal("txt\xe2\x80\xaegpj.exe") == "txt\\xe2\\x80\\xaegpj.exe");  // RLO
  CHECK(escape_for_terminal("a\xe2\x80\xa8" "b") == "a\\xe2\\x80\\xa8b");  // LINE SEPARATOR
}

TEST_CASE("escaping is lossless and its output is safe, for every byte value") {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  for (std::string s : {all, std::string("\xe6\xbc\xa2\xe5\xad\x97\xff\x1b\\x41")}) {
    auto e = escape_for_terminal(s);
    CHECK(terminal_safe(e));
    CHECK(unescape(e) == s);
  }
}

TEST_CASE("display width counts wide characters twice and combining marks not at all") {
  CHECK(display_width("nginx") == 5);
  CHECK(display_width("é漢字x") == 6);
  CHECK(display_width("e\xcc\x81") == 1);  // e + COMBINING ACUTE ACCENT
  CHECK(display_width("ＡＢ") == 4);        // fullwidth forms
  CHECK(display_width("🚀") == 2);
  CHECK(display_width(escape_for_terminal("\x1b")) == 2);  // "\e"
}

TEST_CASE("fit_width cuts between characters, never inside one") {
  CHECK(fit_width("abcdef", 3) == 3);
  CHECK(fit_width("漢字x", 3) == 3);  // 漢 fits (2), 字 would make 4
  CHECK(fit_width("漢字x", 4) == 6);
  CHECK(fit_width("ab", 10) == 2);
  CHECK(fit_width("é", 0) == 0);
}

TEST_CASE("replace_invalid_utf8 gives U+FFFD per invalid byte, valid text unchanged") {
  CHECK(replace_invalid_utf8("é漢字x") == "é漢字x");
  CHECK(replace_invalid_utf8("a\xff" "b") == "a\xef\xbf\xbd" "b");
  CHECK(replace_invalid_utf8("\xe6\xbc") == "\xef\xbf\xbd\xef\xbf\xbd");
  CHECK(is_valid_utf8(replace_invalid_utf8("\xc0\xaf\xed\xa0\x80\xf8")));
}

TEST_CASE("base64 is RFC 4648's, padded") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  CHECK(base64_encode(std::string("\xff\x00\x1b", 3)) == "/wAb");
}

TEST_CASE("escape_ascii: the same scheme, every byte >= 0x80 as \\xHH for a byte-a-column frame") {
  CHECK(nsdebug::escape_ascii("\xc3\xa9x") == "\\xc3\\xa9x");
  CHECK(nsdebug::escape_ascii("a\x1b]0;t\x07") == "a\\e]0;t\\a");
  CHECK(nsdebug::escape_ascii("back\\slash") == "back\\\\slash");
  CHECK(nsdebug::escape_ascii(std::string("\0\xff", 2)) == "\\x00\\xff");
}
