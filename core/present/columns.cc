#include "core/present/columns.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <ctime>

#include <fmt/format.h>

#include "core/proc/meminfo.h"
#include "core/present/cells.h"
#include "core/proc/procfs.h"
#include "core/present/redact.h"

namespace nsdebug {
namespace {

using Ctx = RowContext;
using Out = std::string;  // a cell: each t_ function appends its text to it
double ticks_to_s(std::uint64_t t) {
  return static_cast<double>(t) / static_cast<double>(clock_ticks_per_second());
}
void num(Out& out, long long v) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}
const Container* container(const Process& p, Ctx& c) { return c.snapshot.container_of(p); }

void t_pid(const Process& p, Ctx&, Out& o) { num(o, p.pid); }
void t_ppid(const Process& p, Ctx&, Out& o) { num(o, p.ppid); }
void num_or_dash(Out& o, std::optional<long long> v) {
  if (v) num(o, *v);
  else o += '-';
}

void t_hostpid(const Process& p, Ctx&, Out& o) {
  num_or_dash(o, p.host_pid ? std::optional<long long>(p.host_pid) : std::nullopt);
}
void t_container(const Process& p, Ctx& c, Out& o) {
  auto* k = container(p, c);
  o.append(k ? std::string_view(k->name) : "-");
}
void t_user(const Process& p, Ctx& c, Out& o) { o.append(c.names.user(p.container, p.uid)); }
void t_uid(const Process& p, Ctx&, Out& o) { num(o, p.uid); }
void t_ruser(const Process& p, Ctx& c, Out& o) {
  o.append(p.ruid ? std::string_view(c.names.user(p.container, *p.ruid)) : "-");
}
void t_ruid(const Process& p, Ctx&, Out& o) { num_or_dash(o, p.ruid); }
void t_group(const Process& p, Ctx& c, Out& o) { o.append(c.names.group(p.container, p.gid)); }
void t_gid(const Process& p, Ctx&, Out& o) { num(o, p.gid); }
void t_stat(const Process& p, Ctx&, Out& o) { append_stat(o, p); }
void t_state(const Process& p, Ctx&, Out& o) { o.push_back(p.state); }
void t_rss(const Process& p, Ctx&, Out& o) { num(o, static_cast<long long>(p.rss_kb)); }
void t_vsz(const Process& p, Ctx&, Out& o) { num(o, static_cast<long long>(p.vsz_kb)); }
void t_etime(const Process& p, Ctx& c, Out& o) { append_elapsed(o, c.snapshot.elapsed_s(p)); }
void t_etimes(const Process& p, Ctx& c, Out& o) {
  num(o, static_cast<long long>(c.snapshot.elapsed_s(p)));
}
void t_time(const Process& p, Ctx&, Out& o) { append_cpu_time(o, ticks_to_s(p.cpu_ticks)); }
void t_start(const Process& p, Ctx& c, Out& o) {
  auto started = static_cast<std::time_t>(c.snapshot.start_epoch(p));
  std::tm tm{};
  ::localtime_r(&started, &tm);
  bool today = c.snapshot.elapsed_s(p) < 24 * 3600;
  char buf[32];
  o.append(buf, std::strftime(buf, sizeof buf, today ? "%H:%M:%S" : "%b %d", &tm));
}
void t_comm(const Process& p, Ctx&, Out& o) { o.append(p.comm); }
// "[comm] <defunct>" for a zombie, as procps's args: not in command_line(), which patterns
// match against (a pattern "defunct" selects no process, as with pgrep -f).
void t_args(const Process& p, Ctx& c, Out& o) {
  c.reveal ? append_command_line(o, p) : append_masked_command_line(o, p);
  if (p.state == 'Z') o += " <defunct>";
}
void t_nlwp(const Process& p, Ctx&, Out& o) { num(o, p.threads); }
// procps prints "-" for a policy without a nice value (FIFO, RR, IDLE, DEADLINE): only
// SCHED_OTHER (0) and SCHED_BATCH (3) have one.
bool has_nice(const Process& p) { return p.policy == 0 || p.policy == 3; }
void t_nice(const Process& p, Ctx&, Out& o) {
  if (has_nice(p)) num(o, p.nice);
  else o += '-';
}
void t_pgid(const Process& p, Ctx&, Out& o) { num(o, p.pgrp); }
void t_sid(const Process& p, Ctx&, Out& o) { num(o, p.session); }

// The procps columns users type (issue 13): present_cells.h computes them as procps does.
std::uint64_t pcpu_of(const Process& p, Ctx& c) {
  return pcpu_permille(p.cpu_ticks, p.start_ticks, c.snapshot.uptime_s, clock_ticks_per_second());
}
std::uint64_t pmem_of(const Process& p, Ctx& c) {
  if (c.mem_total_kb == 0) c.mem_total_kb = mem_total_kb().value_or(0);
  return pmem_permille(p.rss_kb, c.mem_total_kb);
}
void t_pcpu(const Process& p, Ctx& c, Out& o) { append_permille(o, pcpu_of(p, c), true); }
void t_pmem(const Process& p, Ctx& c, Out& o) { append_permille(o, pmem_of(p, c), false); }
void t_tty(const Process& p, Ctx&, Out& o) { o += tty_name(p.tty_nr); }
// A thread's row reads its own wchan: /proc/TID/wchan is that thread's.
void t_wchan(const Process& p, Ctx&, Out& o) { o += read_wchan(p.tid ? p.tid : p.pid); }
void t_lstart(const Process& p, Ctx& c, Out& o) { append_lstart(o, c.snapshot.start_epoch(p)); }
void t_psr(const Process& p, Ctx&, Out& o) { num(o, p.processor); }
// Without -L a row is a process, whose main thread's TID is its PID.
void t_lwp(const Process& p, Ctx&, Out& o) { num(o, p.tid ? p.tid : p.pid); }
// procps's "pri": 39 - stat's priority, so a higher PRI runs first (19 at nice 0).
void t_pri(const Process& p, Ctx&, Out& o) { num(o, 39 - p.priority); }

std::optional<double> n_pid(const Process& p, Ctx&) { return p.pid; }
std::optional<double> n_pcpu(const Process& p, Ctx& c) {
  return static_cast<double>(pcpu_of(p, c));
}
std::optional<double> n_pmem(const Process& p, Ctx& c) {
  return static_cast<double>(pmem_of(p, c));
}
std::optional<double> n_tty(const Process& p, Ctx&) { return p.tty_nr; }
std::optional<double> n_psr(const Process& p, Ctx&) { return p.processor; }
// procps sorts pri by the kernel's priority field, so --sort=pri puts the highest PRI first.
std::optional<double> n_pri(const Process& p, Ctx&) { return p.priority; }
std::optional<double> n_lwp(const Process& p, Ctx&) { return p.tid ? p.tid : p.pid; }
std::optional<double> n_ppid(const Process& p, Ctx&) { return p.ppid; }
std::optional<double> n_hostpid(const Process& p, Ctx&) { return p.host_pid; }
std::optional<double> n_uid(const Process& p, Ctx&) { return p.uid; }
std::optional<double> n_ruid(const Process& p, Ctx&) { return p.ruid.value_or(0); }
std::optional<double> n_gid(const Process& p, Ctx&) { return p.gid; }
std::optional<double> n_rss(const Process& p, Ctx&) { return static_cast<double>(p.rss_kb); }
std::optional<double> n_vsz(const Process& p, Ctx&) { return static_cast<double>(p.vsz_kb); }
std::optional<double> n_elapsed(const Process& p, Ctx& c) { return c.snapshot.elapsed_s(p); }
std::optional<double> n_start(const Process& p, Ctx&) { return static_cast<double>(p.start_ticks); }
std::optional<double> n_time(const Process& p, Ctx&) { return static_cast<double>(p.cpu_ticks); }
std::optional<double> n_nlwp(const Process& p, Ctx&) { return p.threads; }
std::optional<double> n_nice(const Process& p, Ctx&) { return p.nice; }
std::optional<double> n_pgid(const Process& p, Ctx&) { return p.pgrp; }
std::optional<double> n_sid(const Process& p, Ctx&) { return p.session; }

constexpr std::array kColumns{
    Column{"pid", "PID", true, false, t_pid, n_pid},
    Column{"ppid", "PPID", true, false, t_ppid, n_ppid},
    Column{"hostpid", "HOSTPID", true, true, t_hostpid, n_hostpid},
    Column{"container", "CONTAINER", false, false, t_container, nullptr},
    Column{"user", "USER", false, false, t_user, nullptr},
    Column{"uid", "UID", true, false, t_uid, n_uid},
    Column{"ruser", "RUSER", false, true, t_ruser, nullptr},
    Column{"ruid", "RUID", true, true, t_ruid, n_ruid},
    Column{"group", "GROUP", false, false, t_group, nullptr},
    Column{"gid", "GID", true, false, t_gid, n_gid},
    Column{"stat", "STAT", false, false, t_stat, nullptr, true},
    Column{"s", "S", false, false, t_state, nullptr},
    Column{"rss", "RSS", true, false, t_rss, n_rss},
    Column{"vsz", "VSZ", true, false, t_vsz, n_vsz},
    Column{"etime", "ELAPSED", true, false, t_etime, n_elapsed},
    Column{"etimes", "ELAPSED", true, false, t_etimes, n_elapsed},
    Column{"time", "TIME", true, false, t_time, n_time},
    Column{"start", "START", true, false, t_start, n_start},
    Column{"comm", "COMMAND", false, false, t_comm, nullptr},
    Column{"args", "COMMAND", false, false, t_args, nullptr},
    Column{"nlwp", "NLWP", true, false, t_nlwp, n_nlwp},
    Column{"ni", "NI", true, false, t_nice, n_nice},
    Column{"pgid", "PGID", true, false, t_pgid, n_pgid},
    Column{"sid", "SID", true, false, t_sid, n_sid},
    Column{"%cpu", "%CPU", true, false, t_pcpu, n_pcpu},
    Column{"%mem", "%MEM", true, false, t_pmem, n_pmem},
    Column{"tty", "TT", false, false, t_tty, n_tty},
    Column{"wchan", "WCHAN", false, false, t_wchan, nullptr},
    Column{"lstart", "STARTED", false, false, t_lstart, n_start},
    Column{"psr", "PSR", true, false, t_psr, n_psr},
    Column{"lwp", "LWP", true, false, t_lwp, n_lwp},
    Column{"tid", "TID", true, false, t_lwp, n_lwp},
    Column{"pri", "PRI", true, false, t_pri, n_pri},
};

struct Alias {
  std::string_view alias, name;
};
constexpr std::array kAliases{
    Alias{"cmd", "args"},      Alias{"command", "args"}, Alias{"ucmd", "comm"},
    Alias{"ucomm", "comm"},    Alias{"euser", "user"},   Alias{"euid", "uid"},
    Alias{"egroup", "group"},  Alias{"egid", "gid"},     Alias{"rssize", "rss"},
    Alias{"rsz", "rss"},       Alias{"vsize", "vsz"},    Alias{"cputime", "time"},
    Alias{"state", "s"},       Alias{"nice", "ni"},      Alias{"thcount", "nlwp"},
    Alias{"pgrp", "pgid"},     Alias{"sess", "sid"},     Alias{"session", "sid"},
    Alias{"start_time", "start"}, Alias{"bsdstart", "start"},
    Alias{"pcpu", "%cpu"},     Alias{"pmem", "%mem"},   Alias{"tt", "tty"},
};

}  // namespace

const Column* find_column(std::string_view name) {
  for (const auto& a : kAliases)
    if (a.alias == name) name = a.name;
  for (const auto& c : kColumns)
    if (c.name == name) return &c;
  return nullptr;
}

std::string known_column_names() {
  std::string out;
  for (const auto& c : kColumns) out += fmt::format("{}{}", out.empty() ? "" : ",", c.name);
  return out;
}

std::expected<std::vector<ColumnChoice>, std::string> parse_columns(
    const std::vector<std::string>& specs) {
  std::vector<ColumnChoice> columns;
  for (const auto& spec : specs) {
    std::string_view rest = spec;
    while (!rest.empty()) {
      // procps 4 ends a header where it ends a name: "-o pid=A,comm=B" renames both.
      auto comma = rest.find_first_of(", ");
      auto item = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
      if (item.empty()) continue;
      auto eq = item.find('=');
      auto name = item.substr(0, eq);
      const Column* c = find_column(name);
      // "=X" has no name to report: report the whole item, as procps does.
      if (!c) return std::unexpected(std::string(name.empty() ? item : name));
      auto header = eq == std::string_view::npos ? c->header : item.substr(eq + 1);
      columns.push_back({c, std::string(header)});
    }
  }
  return columns;
}

bool any_header(const std::vector<ColumnChoice>& columns) {
  return std::ranges::any_of(columns, [](const ColumnChoice& c) { return !c.header.empty(); });
}

void append_command_line(std::string& out, const Process& p) {
  if (p.argv.empty()) {
    out += '[';
    out += p.comm;
    out += ']';
    return;
  }
  p.argv.append_joined(out);
}

void append_masked_command_line(std::string& out, const Process& p) {
  if (!argv_may_hold_secret(p.argv)) return append_command_line(out, p);
  bool first = true;
  for (const auto& a : redact_argv(p.argv)) {
    if (!first) out += ' ';
    out += a;
    first = false;
  }
}

std::string command_line(const Process& p) {
  std::string out;
  append_command_line(out, p);
  return out;
}

std::string masked_command_line(const Process& p) {
  std::string out;
  append_masked_command_line(out, p);
  return out;
}

std::string column_text(const Column& c, const Process& p, RowContext& ctx) {
  std::string out;
  c.append(p, ctx, out);
  return out;
}

namespace {

// By hand, not fmt: these run for every row of a 10,000-process table.
void put_two_digits(std::string& s, long long v) {
  s += static_cast<char>('0' + v / 10 % 10);
  s += static_cast<char>('0' + v % 10);
}

void append_duration(std::string& out, double seconds, bool always_hours) {
  auto total = static_cast<long long>(seconds);
  long long d = total / 86400, h = total / 3600 % 24, m = total / 60 % 60, sec = total % 60;
  if (d) {
    num(out, d);
    out += '-';
  }
  if (d || h || always_hours) {
    put_two_digits(out, h);
    out += ':';
  }
  put_two_digits(out, m);
  out += ':';
  put_two_digits(out, sec);
}

}  // namespace

void append_elapsed(std::string& out, double seconds) { append_duration(out, seconds, false); }
void append_cpu_time(std::string& out, double seconds) { append_duration(out, seconds, true); }

void append_stat(std::string& s, const Process& p) {
  s += p.state;
  if (p.nice < 0) s += '<';
  if (p.nice > 0) s += 'N';
  if (p.locked_kb.value_or(0) > 0) s += 'L';  // pages locked in memory, as procps ps
  if (p.session == p.pid) s += 's';
  if (p.threads > 1) s += 'l';
  if (p.tpgid >= 0 && p.tpgid == p.pgrp) s += '+';
}

std::string format_elapsed(double seconds) {
  std::string out;
  append_elapsed(out, seconds);
  return out;
}

std::string format_cpu_time(double seconds) {
  std::string out;
  append_cpu_time(out, seconds);
  return out;
}

std::string format_stat(const Process& p) {
  std::string out;
  append_stat(out, p);
  return out;
}

}  // namespace nsdebug
