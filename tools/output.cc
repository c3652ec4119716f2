#include "tools/output.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace nsdebug::cli {
namespace {

// Cells measured in terminal columns, not bytes: "漢字" is 6 bytes and 4 columns.
std::size_t cell_width(const std::string& s) { return display_width(s); }

std::vector<std::size_t> column_widths(const Table& t) {
  std::vector<std::size_t> w(t.headers.size(), 0);
  auto widen = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < w.size(); ++i) w[i] = std::max(w[i], cell_width(row[i]));
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
    std::size_t cw = cell_width(row[i]);
    std::size_t pad = w[i] > cw ? w[i] - cw : 0;
    if (i) line += ' ';
    if (right) line.append(pad, ' ');
    line += row[i];
    if (!right && !last) line.append(pad, ' ');
  }
}

// Cut at the terminal's width, between characters, never inside one.
void emit_line(std::FILE* out, std::string& line, int width) {
  if (width > 0) line.resize(fit_width(line, static_cast<std::size_t>(width)));
  line += '\n';
  write_all(out, line);
}

// Every cell but the last (and those past `filled`, which a measuring pass left unset).
void cap_row(std::vector<std::string>& row, std::size_t filled, std::size_t max) {
  std::size_t capped = std::min(filled, row.empty() ? 0 : row.size() - 1);
  for (std::size_t i = 0; i < capped; ++i) cap_cell(row[i], max);
}

std::vector<std::string> escaped_row(const std::vector<std::string>& row, std::size_t max) {
  std::vector<std::string> out;
  out.reserve(row.size());
  for (const auto& cell : row) out.push_back(escape_for_terminal(cell));
  cap_row(out, out.size(), max);
  return out;
}

bool holds_invalid_string(const nlohmann::json& a) {
  for (const auto& e : a)
    if (e.is_string() && !is_valid_utf8(e.get_ref<const std::string&>())) return true;
  return false;
}

nlohmann::json b64_of_strings(const nlohmann::json& a) {
  auto out = nlohmann::json::array();
  for (const auto& e : a)
    out.push_back(e.is_string() ? nlohmann::json(base64_encode(e.get_ref<const std::string&>()))
                                : nlohmann::json(nullptr));
  return out;
}

// A key of ours never ends in _b64, so the sibling cannot collide; a target's key (env's
// variable names) is rewritten by its command, which knows that.
void lossless_object(nlohmann::json& obj) {
  auto extra = nlohmann::json::object();
  for (auto& [key, value] : obj.items()) {
    if (value.is_string()) {
      auto& s = value.get_ref<std::string&>();
      if (is_valid_utf8(s)) continue;
      extra[key + "_b64"] = base64_encode(s);
      s = replace_invalid_utf8(s);
    } else if (value.is_array() && holds_invalid_string(value)) {
      extra[key + "_b64"] = b64_of_strings(value);
      make_json_lossless(value);
    } else {
      make_json_lossless(value);
    }
  }
  obj.update(extra);
}

}  // namespace

void cap_cell(std::string& cell, std::size_t max) {
  // A cell is never wider than its bytes: most cells are let go without being measured.
  if (max == 0 || cell.size() <= max || cell_width(cell) <= max) return;
  cell.resize(fit_width(cell, max - 1));
  cell += '+';
}

void make_json_lossless(nlohmann::json& j) {
  if (j.is_object()) {
    // Keys cannot change in place: an object with a key that is not UTF-8 is rebuilt.
    bool bad_key = false;
    for (const auto& kv : j.items()) bad_key = bad_key || !is_valid_utf8(kv.key());
    if (bad_key) {
      auto rebuilt = nlohmann::json::object();
      for (auto& [key, value] : j.items()) rebuilt[replace_invalid_utf8(key)] = std::move(value);
      j = std::move(rebuilt);
    }
    lossless_object(j);
  } else if (j.is_array()) {
    for (auto& e : j) {
      if (e.is_string()) e = replace_invalid_utf8(e.get_ref<const std::string&>());
      else make_json_lossless(e);
    }
  }
}

void print_json(nlohmann::json j) {
  make_json_lossless(j);
  // replace: a string we missed still prints (as U+FFFD) rather than throwing.
  std::string text = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  text += '\n';
  write_all(stdout, text);
}

void print_table(std::FILE* out, const Table& raw, int width) {
  Table table;
  // Headers are ours, or the user's (-o col=HEADER): not capped.
  table.headers = escaped_row(raw.headers, 0);
  table.right_aligned = raw.right_aligned;
  table.show_headers = raw.show_headers;
  for (const auto& row : raw.rows) table.rows.push_back(escaped_row(row, raw.max_width));
  auto w = column_widths(table);
  std::string line;
  auto emit = [&](const std::vector<std::string>& row) {
    line.clear();
    append_row(line, table, row, w);
    emit_line(out, line, width);
  };
  if (table.show_headers) emit(table.headers);
  for (const auto& row : table.rows) emit(row);
}

void print_table_streamed(std::FILE* out, const Table& table, std::size_t rows,
                          const FillCells& fill, int width) {
  const std::size_t n = table.headers.size();
  const auto headers = escaped_row(table.headers, 0);  // -o col=HEADER: text from the user
  std::vector<std::size_t> w(n, 0);
  if (table.show_headers)
    for (std::size_t c = 0; c < n; ++c) w[c] = cell_width(headers[c]);
  // The first kKept rows are kept from the measuring pass, so a pod's table is formatted
  // once; the rows after them are formatted again rather than held.
  constexpr std::size_t kKept = 256;
  const std::size_t padded = n ? n - 1 : 0;  // the last column is not padded: no width needed
  std::vector<std::vector<std::string>> kept(padded ? std::min(rows, kKept) : 0,
                                             std::vector<std::string>(n));
  std::vector<std::string> cells(n);
  for (std::size_t r = 0; r < rows && padded; ++r) {
    auto& row = r < kept.size() ? kept[r] : cells;
    fill(r, r < kept.size() ? n : padded, row);
    cap_row(row, padded, table.max_width);  // kept rows hold the cut cells, not 512 KiB ones
    for (std::size_t c = 0; c < padded; ++c) w[c] = std::max(w[c], cell_width(row[c]));
  }
  std::string line;
  auto emit = [&](const std::vector<std::string>& row) {
    line.clear();
    append_row(line, table, row, w);
    emit_line(out, line, width);
  };
  if (table.show_headers) emit(headers);
  for (std::size_t r = 0; r < rows; ++r) {
    if (r < kept.size()) {
      emit(kept[r]);
      continue;
    }
    fill(r, n, cells);
    cap_row(cells, n, table.max_width);
    emit(cells);
  }
}

namespace {
int g_lost_output = 0;
}  // namespace

Result<void> write_all(std::FILE* out, std::string_view bytes) {
  if (bytes.empty()) return {};
  errno = 0;
  if (std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size()) return {};
  int err = errno ? errno : EIO;
  if (out == stdout && g_lost_output == 0) g_lost_output = err;
  return fail(err, "write stdout");
}

int lost_output() { return g_lost_output; }

Result<void> flush_stdout() {
  errno = 0;
  if (std::fflush(stdout) == 0) return {};
  int err = errno ? errno : EIO;
  if (g_lost_output == 0) g_lost_output = err;
  return fail(err, "write stdout");
}

void print_line(std::string_view text) {
  std::string line = escape_for_terminal(text);
  line += '\n';
  write_all(stdout, line);
}

void print_error(const Error& e) {
  std::string msg = "nsdebug: " + escape_for_terminal(e.what) + ": " +
                    escape_for_terminal(e.reason()) + "\n";
  if (!e.hint.empty()) msg += "hint: " + escape_for_terminal(e.hint) + "\n";
  std::fputs(msg.c_str(), stderr);
}

int exit_usage(const Error& e) {
  print_error(e);
  return kExitUsage;
}

int exit_failure(const Error& e) {
  print_error(e);
  return 1;
}

int stdout_terminal_width() {
  if (!::isatty(STDOUT_FILENO)) return 0;
  winsize ws{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* c = std::getenv("COLUMNS")) return std::max(0, std::atoi(c));
  return 80;
}

}  // namespace nsdebug::cli
