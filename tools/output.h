#pragma once
// Tables, JSON and errors as the user sees them. Every byte from a target is escaped here
// (core/present/escape.h) on its way to a terminal or a pipe, and encoded losslessly in JSON.
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/base/error.h"
#include "core/present/escape.h"

namespace nsdebug::cli {

// The exit status of bad usage (a malformed argument, as CLI11's parse errors in main.cc); any
// other failure exits 1.
inline constexpr int kExitUsage = 2;

// The widest a column other than the last may be, in terminal columns. Cells of ours are far
// narrower (a 64-hex container id fits); a target's text is not: a 512 KiB name, escaped
// bytes (4 columns each), a command line that is not the last column would pad every row.
inline constexpr std::size_t kMaxCellWidth = 64;

struct Table {
  std::vector<std::string> headers;
  std::vector<bool> right_aligned;  // per column
  std::vector<std::vector<std::string>> rows;
  bool show_headers = true;
  std::size_t max_width = kMaxCellWidth;  // of every column but the last (cap_cell)
};

// A cell wider than `max` columns (0: no cap) is cut to max - 1 and ends in '+': it says it
// was cut, as procps's USER column marks a cut name ("systemd+"). Meant for escaped text.
void cap_cell(std::string& cell, std::size_t max);

// Columns padded to the widest cell, in terminal columns; the last column is never padded,
// and every other is at most table.max_width wide (cap_cell). A line wider than `width` is
// cut when width > 0 (stdout is a terminal). Cells hold raw bytes: each is escaped
// (escape_for_terminal) as it is printed.
void print_table(std::FILE* out, const Table& table, int width);

// For tables too big to hold (ps at 10,000 processes): `fill(i, n, cells)` sets the first n
// cells of row i. The first 256 rows are filled once and kept; each row after them is filled
// twice, once to measure and once to print, so only the column widths are kept for it. That
// measuring call leaves out the last column, which is never padded (ps's command line, the
// dearest cell to make). Cells of every column but the last are capped as print_table's.
// `table` gives headers, alignment and max_width;
// its rows are ignored; its headers are escaped. Unlike print_table's, the cells are printed as
// they are: `fill` escapes what came from a target (append_escaped), so ps escapes once, not
// twice a row, and its own tree drawing ("\_ ") is not escaped.
using FillCells = std::function<void(std::size_t row, std::size_t n, std::vector<std::string>& cells)>;
void print_table_streamed(std::FILE* out, const Table& table, std::size_t rows,
                          const FillCells& fill, int width);

// `text` and a newline on stdout, escaped, for a line that holds a target's bytes.
void print_line(std::string_view text);
// Bytes on `out` as they are. A failed write to stdout is kept, not thrown: lost_output() gives
// tools/main.cc the first one's errno, said once at the end (lost data: exit 1). The failure is
// returned too, for a caller that would rather stop at it.
Result<void> write_all(std::FILE* out, std::string_view bytes);
// The errno of the first write_all to stdout that failed; 0 while none has.
int lost_output();
// stdout's buffer out now (before stderr says something that must follow it, or while a
// command runs on): a failure is kept as write_all's are, for main to say once.
Result<void> flush_stdout();

// --json on stdout, indented by 2. A string that is not valid UTF-8 keeps its key, with each
// invalid byte as U+FFFD, and a sibling key `<key>_b64` holds its exact bytes in base64; for an
// array holding such a string, `<key>_b64` is an array of the same length with every string
// element's bytes in base64 (null for elements that are not strings).
void print_json(nlohmann::json j);
// The same rewriting, in place, without printing (for tests).
void make_json_lossless(nlohmann::json& j);

// "nsdebug: what: why" and, when there is one, "hint: fix" on stderr, escaped: a message may
// quote a target's path or command line.
void print_error(const Error& e);
// print_error(e), then the exit status to end with: kExitUsage for a malformed argument, 1 for
// any other failure. A command says its error once, where it ends.
int exit_usage(const Error& e);
int exit_failure(const Error& e);

// Terminal width of stdout, or 0 when it is not a terminal.
int stdout_terminal_width();

}  // namespace nsdebug::cli
