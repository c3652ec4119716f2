#include "tools/output.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

namespace nsdebug::cli {
namespace {

std::vector<std::size_t> column_widths(const Table& t) {
  std::vector<std::size_t> w(t.headers.size(), 0);
  auto widen = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < w.size(); ++i) w[i] = std::max(w[i], row[i].size());
  };
  if (t.show_headers) widen(t.headers);
  for (const auto& row : t.rows) widen(row);
  return w;
}

// Plain appends, not fmt: this runs for every cell of a 10,000-process table.
void append_row(std::string& line, const Table& t, const std::vector<std::string>& row,
                const std::vector<std::size_t>& w) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    bool last = i + 1 == row.size();
    bool right = i < t.right_aligned.size() && t.right_aligned[i];
    std::size_t pad = w[i] > row[i].size() ? w[i] - row[i].size() : 0;
    if (i) line += ' ';
    if (right) line.append(pad, ' ');
    line += row[i];
    if (!right && !last) line.append(pad, ' ');
  }
}

}  // namespace

void print_table(std::FILE* out, const Table& table, int width) {
  auto w = column_widths(table);
  std::string line;
  auto emit = [&](const std::vector<std::string>& row) {
    line.clear();
    append_row(line, table, row, w);
    if (width > 0 && line.size() > static_cast<std::size_t>(width)) line.resize(static_cast<std::size_t>(width));
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), out);
  };
  if (table.show_headers) emit(table.headers);
  for (const auto& row : table.rows) emit(row);
}

void print_table_streamed(std::FILE* out, const Table& table, std::size_t rows,
                          const FillCells& fill, int width) {
  const std::size_t n = table.headers.size();
  std::vector<std::size_t> w(n, 0);
  if (table.show_headers)
    for (std::size_t c = 0; c < n; ++c) w[c] = table.headers[c].size();
  std::vector<std::string> cells(n);
  const std::size_t padded = n ? n - 1 : 0;
  for (std::size_t r = 0; r < rows && padded; ++r) {
    fill(r, padded, cells);
    for (std::size_t c = 0; c < padded; ++c) w[c] = std::max(w[c], cells[c].size());
  }
  std::string line;
  auto emit = [&](const std::vector<std::string>& row) {
    line.clear();
    append_row(line, table, row, w);
    if (width > 0 && line.size() > static_cast<std::size_t>(width))
      line.resize(static_cast<std::size_t>(width));
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), out);
  };
  if (table.show_headers) emit(table.headers);
  for (std::size_t r = 0; r < rows; ++r) {
    fill(r, n, cells);
    emit(cells);
  }
}

void print_error(const Error& e) {
  std::string msg = fmt::format("nsdebug: {}: {}\n", e.what, e.reason());
  if (!e.hint.empty()) msg += fmt::format("hint: {}\n", e.hint);
  std::fputs(msg.c_str(), stderr);
}

int stdout_terminal_width() {
  if (!::isatty(STDOUT_FILENO)) return 0;
  winsize ws{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* c = std::getenv("COLUMNS")) return std::max(0, std::atoi(c));
  return 80;
}

}  // namespace nsdebug::cli
