// The process list's rows: filter, sort, tree and grouping through core's presentation, and a
// selection that follows its process.
#include "tui/model.h"

#include <algorithm>
#include <cctype>

#include "core/signals/signals.h"

namespace nsdebug::tui {
namespace {

void append_cpu(const Process& p, RowContext&, std::string& out) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", p.cpu_pct);
  out += buf;
}
std::optional<double> number_cpu(const Process& p, RowContext&) { return p.cpu_pct; }

// CPU% is the TUI's (a delta between refreshes); ps has no such column. MEM% sorts as RSS.
const Column kCpuColumn{"pcpu", "CPU%", true, false, append_cpu, number_cpu};

const Column* sort_column(Col c) {
  switch (c) {
    case Col::pid: return find_column("pid");
    case Col::container: return find_column("container");
    case Col::user: return find_column("user");
    case Col::stat: return find_column("stat");
    case Col::cpu: return &kCpuColumn;
    case Col::rss:
    case Col::mem: return find_column("rss");
    case Col::elapsed: return find_column("etime");
    case Col::command:
    case Col::count: break;
  }
  return find_column("args");
}

std::vector<const Process*> selected_processes(const Model& m, RowContext& ctx) {
  std::vector<const Process*> out;
  std::optional<Selector> selector;
  if (!m.filter.empty()) {
    auto s = Selector::make(Filter{.patterns = {literal_icase_regex(m.filter)}}, *m.snapshot);
    if (s) selector = std::move(*s);
  }
  for (const auto& p : m.snapshot->processes)
    if (!selector || selector->matches(p, ctx)) out.push_back(&p);
  return out;
}

// Grouped: containers in snapshot order (each a header, then its rows in sort order);
// processes in no container last.
std::vector<ListRow> grouped(const Model& m, const std::vector<Row>& ordered) {
  std::vector<ListRow> rows;
  int n = static_cast<int>(m.snapshot->containers.size());
  for (int c = -1; c < n; ++c) {
    int want = c;
    bool any = false;
    for (const auto& r : ordered) {
      int rc = r.process->container;
      if (c == -1 ? (rc >= 0 && rc < n) : rc != want) continue;
      if (!any && c >= 0) {
        rows.push_back({nullptr, c, 0});
        auto ports = m.listening.find(m.snapshot->containers[static_cast<std::size_t>(c)].name);
        if (ports != m.listening.end()) rows.push_back({nullptr, c, 0, true});
      }
      any = true;
      rows.push_back({r.process, rc, r.depth});
    }
  }
  return rows;
}

}  // namespace

const char* col_header(Col c) {
  static constexpr const char* kHeaders[] = {"PID",  "CONTAINER", "USER",    "STAT",   "CPU%",
                                             "RSS", "MEM%",      "ELAPSED", "COMMAND"};
  return kHeaders[static_cast<int>(c)];
}

std::string literal_icase_regex(std::string_view text) {
  std::string re;
  for (unsigned char ch : text) {
    if (std::isalpha(ch)) {
      re += '[';
      re += static_cast<char>(std::tolower(ch));
      re += static_cast<char>(std::toupper(ch));
      re += ']';
    } else if (std::isalnum(ch) || ch == ' ' || ch == '-' || ch == '_' || ch == '/' || ch == '=' ||
               ch == ':' || ch == ',' || ch >= 0x80) {
      re += static_cast<char>(ch);
    } else if (ch == '^' || ch == '\\') {
      re += '\\';
      re += static_cast<char>(ch);
    } else if (ch == ']') {
      re += ']';  // literal outside a bracket expression
    } else {
      re += '[';  // inside a bracket every other ERE special is literal
      re += static_cast<char>(ch);
      re += ']';
    }
  }
  return re;
}

SocketNeed sockets_needed(const Model& m) {
  if (m.screen == Screen::network) return SocketNeed::network;
  if (m.screen == Screen::processes && m.group) return SocketNeed::listeners;
  return SocketNeed::none;
}

void rebuild_rows(Model& m) {
  std::optional<ProcKey> keep = m.selected;
  std::size_t old_cursor = m.list.cursor;
  m.rows.clear();
  m.totals.clear();
  set_count(m.list, 0);
  if (!m.snapshot) return;
  RowContext ctx{*m.snapshot, m.names};
  std::vector<SortKey> keys{{sort_column(m.sort), m.descending}};
  auto ordered = order_rows(selected_processes(m, ctx), keys, m.tree, ctx);
  if (m.group) {
    m.rows = grouped(m, ordered);
    m.totals.resize(m.snapshot->containers.size());
    for (const auto& r : m.rows) {
      if (!r.process || r.container < 0) continue;
      auto& t = m.totals[static_cast<std::size_t>(r.container)];
      ++t.processes;
      t.cpu_pct += r.process->cpu_pct;
      t.rss_kb += r.process->rss_kb;
    }
  } else {
    for (const auto& r : ordered) m.rows.push_back({r.process, r.process->container, r.depth});
  }
  set_count(m.list, m.rows.size());
  // Tags on processes gone since are dropped: a tag must never land on a recycled pid.
  std::erase_if(m.tagged, [&](const ProcKey& k) {
    const Process* p = m.snapshot->find(k.pid);
    return !p || p->start_ticks != k.start_ticks;
  });
  std::optional<std::size_t> found;
  for (std::size_t i = 0; keep && i < m.rows.size(); ++i)
    if (m.rows[i].process && key_of(*m.rows[i].process) == *keep) found = i;
  if (found) {
    move_to(m.list, *found);
  } else {
    if (m.follow && keep) {
      m.status = "PID " + std::to_string(keep->pid) + " is no longer listed: follow ended";
      m.follow = false;
    }
    cursor_to(m, std::min(old_cursor, m.rows.empty() ? 0 : m.rows.size() - 1), 1);
  }
  if (const Process* p = selected_process(m))
    m.selected = key_of(*p);
  else
    m.selected.reset();
}

namespace {

// Headers are not selectable.
Selectable process_rows(const Model& m) {
  return [&m](std::size_t i) { return m.rows[i].process != nullptr; };
}

void select_cursor(Model& m) {
  if (m.rows.empty()) m.selected.reset();
  else if (const Process* p = selected_process(m)) m.selected = key_of(*p);
}

}  // namespace

void cursor_to(Model& m, std::size_t index, int direction) {
  move_to(m.list, index, direction, process_rows(m));
  select_cursor(m);
}

void move_cursor(Model& m, ListMove move) {
  if (m.rows.empty()) return;
  move_list(m.list, move, process_rows(m));
  select_cursor(m);
}

const Process* selected_process(const Model& m) {
  if (m.list.cursor < m.rows.size()) return m.rows[m.list.cursor].process;
  return nullptr;
}

std::vector<ProcKey> action_targets(const Model& m) {
  std::vector<ProcKey> out;
  for (const auto& r : m.rows)
    if (r.process && m.tagged.contains(key_of(*r.process))) out.push_back(key_of(*r.process));
  if (out.empty())
    if (const Process* p = selected_process(m)) out.push_back(key_of(*p));
  return out;
}

bool any_guarded(const std::vector<PlannedTarget>& plan) {
  return std::ranges::any_of(plan, [](const PlannedTarget& t) { return t.guard != GuardReason::none; });
}

bool jump_to_typed(SignalMenu& menu) {
  const std::string& t = menu.typed;
  if (t.empty()) return false;
  bool digits = std::ranges::all_of(t, [](unsigned char c) { return std::isdigit(c); });
  std::string upper;
  for (unsigned char c : t) upper += static_cast<char>(std::toupper(c));
  if (upper.starts_with("SIG")) upper.erase(0, 3);
  for (std::size_t i = 0; i < menu.signals.size(); ++i) {
    int sig = menu.signals[i];
    bool hit = digits ? std::to_string(sig) == t : signal_name(sig).starts_with(upper);
    if (hit && !upper.empty()) {
      move_to(menu.list, i);
      return true;
    }
  }
  return false;
}

}  // namespace nsdebug::tui
