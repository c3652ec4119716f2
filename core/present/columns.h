#pragma once
// The process columns both faces show (ps -o, the TUI), under their procps names, and how each
// cell is formatted.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/containers/identity.h"
#include "core/pod/snapshot.h"

namespace nsdebug {

struct RowContext {
  const Snapshot& snapshot;
  const IdNameSource& names;
  bool reveal = false;  // args column: show secret-looking arguments unmasked (ps --reveal)
  std::uint64_t mem_total_kb = 0;  // %mem: MemTotal, read at its first cell; 0: not yet
};

struct Column {
  std::string_view name;    // as given to -o: "pid", "user", "args"
  std::string_view header;  // as printed: "PID", "USER", "COMMAND"
  bool right_aligned;
  bool needs_status;        // real ids and NSpid come from /proc/PID/status
  // Appends the cell's text to `out`: the table reuses one string a cell, so a row of
  // 10,000 costs no allocation.
  void (*append)(const Process&, RowContext&, std::string& out);
  // Numeric sort key; nullptr sorts by text.
  std::optional<double> (*number)(const Process&, RowContext&);
  // STAT's L: VmLck, from /proc/PID/status (ReadOptions::locked); ps reads it only when
  // another column reads status anyway.
  bool needs_locked = false;
};

// A column as -o named it: "pid" keeps its header, "pid=TASK" renames it, "pid=" blanks it.
struct ColumnChoice {
  const Column* column;
  std::string header;
};

// By name or procps alias ("cmd" is "args", "ucmd" is "comm"); nullptr when unknown.
const Column* find_column(std::string_view name);

// Names -o accepts, for error hints.
std::string known_column_names();

// "pid,user,args" (or several -o values), "pid=TASK,args=" -> columns; the first unknown
// name on failure.
std::expected<std::vector<ColumnChoice>, std::string> parse_columns(
    const std::vector<std::string>& specs);

// False when every header is empty ("-o pid= -o args="): procps then prints no header line.
bool any_header(const std::vector<ColumnChoice>& columns);

// A column's text for one process, as a string (sorting, tests).
std::string column_text(const Column& c, const Process& p, RowContext& ctx);

// Shared by ps's table and JSON; the append_ forms add to `out`.
std::string command_line(const Process& p);    // argv joined, or "[comm]"
std::string masked_command_line(const Process& p);  // the same, secrets as *** (core/present/redact.h)
std::string format_elapsed(double seconds);    // [[dd-]hh:]mm:ss, as ps etime
std::string format_cpu_time(double seconds);   // [dd-]hh:mm:ss, as ps time
std::string format_stat(const Process& p);     // "Ss", "R+", "Sl", "SN", "SL", as ps stat
void append_command_line(std::string& out, const Process& p);
void append_masked_command_line(std::string& out, const Process& p);
void append_elapsed(std::string& out, double seconds);
void append_cpu_time(std::string& out, double seconds);
void append_stat(std::string& out, const Process& p);

}  // namespace nsdebug
