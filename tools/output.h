#pragma once
// Tables and errors as the user sees them.
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"

namespace nsdebug::cli {

struct Table {
  std::vector<std::string> headers;
  std::vector<bool> right_aligned;  // per column
  std::vector<std::vector<std::string>> rows;
  bool show_headers = true;
};

// Columns padded to the widest cell; the last column is never padded. A line longer than
// `width` is cut when width > 0 (stdout is a terminal).
void print_table(std::FILE* out, const Table& table, int width);

// For tables too big to hold (ps at 10,000 processes): `fill(i, n, cells)` sets the first n
// cells of row i. It is called twice a row, once to measure and once to print, so nothing but
// the column widths is kept. The measuring call leaves out the last column, which is never
// padded (ps's command line, the dearest cell to make). `table` gives headers and alignment;
// its rows are ignored.
using FillCells = std::function<void(std::size_t row, std::size_t n, std::vector<std::string>& cells)>;
void print_table_streamed(std::FILE* out, const Table& table, std::size_t rows,
                          const FillCells& fill, int width);

// "nsdebug: what: why" and, when there is one, "hint: fix" on stderr.
void print_error(const Error& e);

// Terminal width of stdout, or 0 when it is not a terminal.
int stdout_terminal_width();

}  // namespace nsdebug::cli
