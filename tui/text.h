#pragma once
// Untrusted bytes made safe to draw, and fitted to a width.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/present/escape.h"

namespace nsdebug::tui {

// A target's argv, file names and file contents can hold terminal escapes: core's scheme
// (core/present/escape.h), ASCII only, since a cell's width is its byte count.
inline std::string escape_bytes(std::string_view raw) { return escape_ascii(raw); }

// Cut to `width` (the last kept character becomes '>' when something was cut) or padded.
std::string fit(std::string_view s, std::size_t width, bool right = false);

// 1234 kB -> "1.2M"; as htop's memory columns.
std::string human_kb(std::uint64_t kb);
std::string human_bytes(std::uint64_t bytes);

}  // namespace nsdebug::tui
