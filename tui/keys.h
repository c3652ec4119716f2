#pragma once
// Keys as the pure parts see them: no curses here. Printable characters are their own code;
// special keys live above Unicode's range so the two never meet.
namespace nsdebug::tui {

using Key = int;

inline constexpr Key kKeyNone = -1;
inline constexpr Key kKeyEnter = '\n';
inline constexpr Key kKeyEscape = 27;
inline constexpr Key kKeyTab = '\t';
inline constexpr Key kKeyCtrlC = 3;
inline constexpr Key kKeyCtrlL = 12;
inline constexpr Key kKeyBase = 0x200000;
inline constexpr Key kKeyUp = kKeyBase + 1;
inline constexpr Key kKeyDown = kKeyBase + 2;
inline constexpr Key kKeyLeft = kKeyBase + 3;
inline constexpr Key kKeyRight = kKeyBase + 4;
inline constexpr Key kKeyPageUp = kKeyBase + 5;
inline constexpr Key kKeyPageDown = kKeyBase + 6;
inline constexpr Key kKeyHome = kKeyBase + 7;
inline constexpr Key kKeyEnd = kKeyBase + 8;
inline constexpr Key kKeyBackspace = kKeyBase + 9;
inline constexpr Key kKeyResize = kKeyBase + 10;
inline constexpr Key kKeyDelete = kKeyBase + 11;
// F1..F12: kKeyF0 + n.
inline constexpr Key kKeyF0 = kKeyBase + 100;
constexpr Key key_f(int n) { return kKeyF0 + n; }

}  // namespace nsdebug::tui
