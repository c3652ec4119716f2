#pragma once
// Untrusted bytes made safe to draw, and fitted to a width.
#include <cstdint>
#include <string>
#include <string_view>

namespace nsdebug::tui {

// Every byte that is not printable ASCII as \xNN (a tab as \t, a newline as \n): a target's
// argv, file names and file contents can hold terminal escapes, and a cell's width must be
// its byte count.
std::string escape_bytes(std::string_view raw);

// Cut to `width` (the last kept character becomes '>' when something was cut) or padded.
std::string fit(std::string_view s, std::size_t width, bool right = false);

// 1234 kB -> "1.2M"; as htop's memory columns.
std::string human_kb(std::uint64_t kb);
std::string human_bytes(std::uint64_t bytes);

}  // namespace nsdebug::tui
