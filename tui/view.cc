// The process list, its header, and the screen for a terminal too small to draw on.
#include "tui/view.h"

#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/present/columns.h"
#include "tui/text.h"
#include "tui/view_detail.h"

namespace nsdebug::tui {
namespace {

constexpr int kHeaderLines = 4;  // where, counts, verdict, column titles

struct ColSpec {
  Col col;
  int width;
  bool right;
};
constexpr ColSpec kCols[] = {
    {Col::pid, 7, true},     {Col::container, 10, false}, {Col::user, 8, false},
    {Col::stat, 4, false},   {Col::cpu, 5, true},         {Col::rss, 6, true},
    {Col::mem, 5, true},     {Col::elapsed, 9, true},     {Col::command, 0, false},
};

std::string cell(const Model& m, Col c, const Process& p, int depth) {
  switch (c) {
    case Col::pid: return std::to_string(p.pid);
    case Col::container: {
      const Container* k = m.snapshot->container_of(p);
      return k ? escape_bytes(k->name) : "-";
    }
    case Col::user: return escape_bytes(m.names.user(p.container, p.uid));
    case Col::stat: return format_stat(p);
    case Col::cpu: return fmt::format("{:.1f}", p.cpu_pct);
    case Col::rss: return human_kb(p.rss_kb);
    case Col::mem:
      return m.mem_total_kb ? fmt::format("{:.1f}", 100.0 * static_cast<double>(p.rss_kb) /
                                                        static_cast<double>(m.mem_total_kb))
                            : "-";
    case Col::elapsed: return format_elapsed(m.snapshot->elapsed_s(p));
    case Col::command:
    case Col::count: break;
  }
  std::string prefix;
  if (depth > 0) prefix = std::string(static_cast<std::size_t>(depth - 1) * 2, ' ') + "`- ";
  // Masked: the screen may be shared or recorded; the details page (Enter) has the same.
  return prefix + escape_bytes(masked_command_line(p));
}

std::string row_text(const Model& m, const Process& p, int depth, int width) {
  bool sandbox = false;
  if (const Container* k = m.snapshot->container_of(p)) sandbox = k->sandbox;
  std::string out;
  out += m.tagged.contains(key_of(p)) ? '*' : ' ';
  out += sandbox ? 'S' : ' ';
  for (const auto& s : kCols) {
    std::string text = cell(m, s.col, p, depth);
    if (s.width == 0) {
      out += text;
      break;
    }
    out += fit(text, static_cast<std::size_t>(s.width), s.right);
    out += ' ';
  }
  return fit(out, static_cast<std::size_t>(width));
}

std::string titles(const Model& m) {
  std::string out = "  ";
  for (const auto& s : kCols) {
    std::string h = col_header(s.col);
    if (s.col == m.sort) h = (m.descending ? "v" : "^") + h;
    if (s.width == 0) {
      out += h;
      break;
    }
    out += fit(h, static_cast<std::size_t>(s.width), s.right) + ' ';
  }
  return out;
}

std::string group_text(const Model& m, int container) {
  const Container& k = m.snapshot->containers[static_cast<std::size_t>(container)];
  const ContainerTotals& t = m.totals[static_cast<std::size_t>(container)];
  std::string out = fmt::format("== {}{}: {} process{}, CPU {:.1f}%, RSS {}", escape_bytes(k.name),
                                k.sandbox ? " (sandbox)" : "", t.processes,
                                t.processes == 1 ? "" : "es", t.cpu_pct, human_kb(t.rss_kb));
  if (k.cgroup) {
    const CgroupStats& g = *k.cgroup;
    if (g.memory_bytes)
      out += fmt::format(", mem {}/{}", human_bytes(*g.memory_bytes),
                         g.memory_max_bytes ? human_bytes(*g.memory_max_bytes) : "no limit");
    if (g.oom_kills) out += fmt::format(", OOM kills {}", *g.oom_kills);
    if (g.nr_throttled)
      out += fmt::format(", throttled {}x ({:.1f} s)", *g.nr_throttled,
                         static_cast<double>(g.throttled_usec.value_or(0)) / 1e6);
  }
  return out;
}

void header(Canvas& c, const Model& m) {
  const Snapshot& s = *m.snapshot;
  std::size_t running = 0;
  for (const auto& p : s.processes) running += p.state == 'R';
  c.line(0, fmt::format("nsdebug  {}  caps: {}", m.where, m.caps), {Color::title, 0, true});
  std::string flags;
  if (m.tree) flags += "  [tree]";
  if (m.group) flags += "  [by container]";
  if (m.paused) flags += "  [PAUSED]";
  if (m.follow && m.selected) flags += fmt::format("  [following {}]", m.selected->pid);
  if (!m.tagged.empty()) flags += fmt::format("  [{} tagged]", m.tagged.size());
  if (m.read_only) flags += "  [read-only]";
  if (!m.filter.empty()) flags += "  filter: " + escape_bytes(m.filter);
  std::size_t shown = 0;
  for (const auto& r : m.rows) shown += r.process != nullptr;
  c.line(1, fmt::format("{} processes ({} running) in {} containers, {} shown{}",
                        s.processes.size(), running, s.containers.size(), shown, flags));
  if (!m.verdict.empty()) c.line(2, "doctor: " + m.verdict, {Color::warn});
  c.line(3, titles(m), {Color::header, 0, true});
}

void render_processes(Canvas& c, const Model& m) {
  header(c, m);
  int h = list_height_for({c.width(), c.height()});
  for (int i = 0; i < h; ++i) {
    std::size_t idx = m.list.top + static_cast<std::size_t>(i);
    if (idx >= m.rows.size()) break;
    const ListRow& r = m.rows[idx];
    int row = kHeaderLines + i;
    if (!r.process && r.listening) {
      const Container& k = m.snapshot->containers[static_cast<std::size_t>(r.container)];
      c.line(row, "   listening: " + m.listening.at(k.name), {Color::container0, r.container});
      continue;
    }
    if (!r.process) {
      c.line(row, group_text(m, r.container), {Color::container0, r.container, true});
      continue;
    }
    Style st{Color::container0, r.container < 0 ? 0 : r.container};
    if (const Container* k = m.snapshot->container_of(*r.process); k && k->sandbox)
      st = {Color::dim};
    if (m.tagged.contains(key_of(*r.process))) st = {Color::tagged, 0, true};
    if (idx == m.list.cursor) st = {Color::selected};
    c.line(row, row_text(m, *r.process, r.depth, c.width()), st);
  }
  if (m.rows.empty()) c.line(kHeaderLines, m.filter.empty() ? "  no processes" : "  no process matches the filter");
  if (m.filter_prompt) {
    c.line(c.height() - 1, "filter: " + escape_bytes(m.filter) + "_   (Enter keeps, Esc clears)");
    return;
  }
  status_line(c, m, "F1 help  / filter  k kill  Enter details  e env  f files  n net  c containers  t tree  q quit");
}

// Words of `s` in lines of at most `width` columns; a longer word is cut.
std::vector<std::string> wrap(std::string_view s, int width) {
  std::vector<std::string> out;
  auto w = static_cast<std::size_t>(std::max(1, width));
  std::string line;
  for (std::size_t at = 0; at < s.size();) {
    std::size_t end = std::min(s.find(' ', at), s.size());
    std::string_view word = s.substr(at, std::min(end - at, w));
    if (!line.empty() && line.size() + 1 + word.size() > w) out.push_back(std::exchange(line, {}));
    line += line.empty() ? std::string(word) : " " + std::string(word);
    at = end + 1;
  }
  if (!line.empty()) out.push_back(line);
  return out;
}

// Wrapped to the width, so that a 20-column terminal still reads its size and how to quit (cut
// to one line each, it said "terminal too small: " and "enlarge it, or press"). What fits, in
// this order of need: the size, how to leave, the size wanted.
void render_too_small(Canvas& c) {
  auto lines = wrap(fmt::format("terminal too small: {}x{}", c.width(), c.height()), c.width());
  auto needs = wrap(fmt::format("nsdebug needs {}x{}", kMinSize.width, kMinSize.height), c.width());
  auto quit = wrap("enlarge it, or press q to quit", c.width());
  auto rows = static_cast<std::size_t>(c.height());
  if (lines.size() + quit.size() > rows) quit = wrap("q quits", c.width());
  bool with_quit = lines.size() + quit.size() <= rows;
  if (with_quit && lines.size() + needs.size() + quit.size() <= rows)
    lines.insert(lines.end(), needs.begin(), needs.end());
  if (with_quit) lines.insert(lines.end(), quit.begin(), quit.end());
  int top = std::max(0, (c.height() - static_cast<int>(lines.size())) / 2);
  for (std::size_t i = 0; i < lines.size() && i < rows; ++i) {
    int col = std::max(0, (c.width() - static_cast<int>(lines[i].size())) / 2);
    c.put(top + static_cast<int>(i), col, lines[i], {Color::error, 0, true});
  }
}

}  // namespace

int list_height_for(Size size) { return std::max(1, size.height - kHeaderLines - 1); }

void fit_lists(Model& m, Size size) {
  auto rows = [](int n) { return static_cast<std::size_t>(std::max(1, n)); };
  set_height(m.list, rows(list_height_for(size)));
  set_height(m.menu.list, rows(size.height - kMenuFirstRow - 1));
  set_height(m.files.list, rows(size.height - files_first_row(m.files) - 1));
  set_height(m.page.list, rows(size.height - kPageFirstRow - 1));
  set_height(m.pager.list, rows(size.height - kPageFirstRow - 1));
  set_height(m.net.list, rows(size.height - kNetFirstRow - 1));
}

std::string Frame::text() const {
  std::string out;
  for (const auto& l : lines) {
    out += l;
    out += '\n';
  }
  return out;
}

Canvas::Canvas(Size size) {
  frame_.size = size;
  frame_.lines.assign(static_cast<std::size_t>(std::max(0, size.height)),
                      std::string(static_cast<std::size_t>(std::max(0, size.width)), ' '));
  frame_.runs.resize(frame_.lines.size());
}

void Canvas::put(int row, int col, std::string_view text, Style style) {
  if (row < 0 || row >= height() || col < 0 || col >= width()) return;
  auto len = std::min<std::size_t>(text.size(), static_cast<std::size_t>(width() - col));
  auto& l = frame_.lines[static_cast<std::size_t>(row)];
  l.replace(static_cast<std::size_t>(col), len, text.substr(0, len));
  if (style.color != Color::normal || style.bold)
    frame_.runs[static_cast<std::size_t>(row)].push_back({col, static_cast<int>(len), style});
}

void Canvas::line(int row, std::string_view text, Style style) {
  put(row, 0, fit(text, static_cast<std::size_t>(width())), style);
}

void status_line(Canvas& c, const Model& m, std::string_view hints) {
  int row = c.height() - 1;
  if (!m.status.empty())
    c.line(row, escape_bytes(m.status), {m.status_error ? Color::error : Color::title, 0, true});
  else
    c.line(row, hints, {Color::header});
}

Frame render(const Model& m, Size size) {
  Canvas c(size);
  if (size.width < kMinSize.width || size.height < kMinSize.height) {
    render_too_small(c);
    return c.take();
  }
  switch (m.screen) {
    case Screen::processes:
      if (m.snapshot) render_processes(c, m);
      break;
    case Screen::signals: render_signals(c, m); break;
    case Screen::confirm: render_confirm(c, m); break;
    case Screen::files: render_files(c, m); break;
    case Screen::pager: render_pager(c, m); break;
    case Screen::network: render_network(c, m); break;
    case Screen::help:
    case Screen::details:
    case Screen::env:
    case Screen::doctor: render_page(c, m); break;
  }
  return c.take();
}

}  // namespace nsdebug::tui
