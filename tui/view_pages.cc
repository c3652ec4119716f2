// The screens over the process list: kill menu, confirmation, text pages, files, pager.
#include <fmt/format.h>

#include "core/signals/signals.h"
#include "tui/text.h"
#include "tui/view_detail.h"

namespace nsdebug::tui {
namespace {

constexpr Style kTitle{Color::title, 0, true};
constexpr Style kHeader{Color::header, 0, true};

std::string target_text(const Model& m, const ProcKey& k) {
  const Process* p = m.snapshot ? m.snapshot->find(k.pid) : nullptr;
  if (!p || p->start_ticks != k.start_ticks) return fmt::format("PID {} (gone)", k.pid);
  const Container* c = m.snapshot->container_of(*p);
  return fmt::format("PID {} {} [{}]", p->pid, escape_bytes(command_line(*p)),
                     c ? escape_bytes(c->name) : "-");
}

// Rows from `first` down to the status line.
std::size_t shown(const Canvas& c, int first) {
  return static_cast<std::size_t>(std::max(0, c.height() - first - 1));
}

}  // namespace

void render_signals(Canvas& c, const Model& m) {
  const SignalMenu& menu = m.menu;
  std::size_t n = menu.targets.size();
  c.line(0, fmt::format("Send a signal to {} process{}", n, n == 1 ? "" : "es"), kTitle);
  int row = 1;
  for (std::size_t i = 0; i < n && row < 4; ++i, ++row) {
    if (row == 3 && n > 3) {
      c.line(row, fmt::format("  ... and {} more", n - 2));
      break;
    }
    c.line(row, "  " + target_text(m, menu.targets[i]));
  }
  if (menu.plan_error)
    c.line(4, "cannot plan: " + escape_bytes(menu.plan_error->what + ": " + menu.plan_error->reason()),
           {Color::error});
  else if (!menu.plan)
    c.line(4, "taking handles on the targets...");
  else if (any_guarded(*menu.plan))
    c.line(4, "guarded (PID 1, sandbox, nsdebug, its parents, its container's main): Enter asks",
           {Color::warn});
  std::size_t h = shown(c, kMenuFirstRow), top = menu.list.top;
  for (std::size_t i = top; i < menu.signals.size() && i < top + h; ++i) {
    int sig = menu.signals[i];
    std::string text = fmt::format("  {:>2} {}", sig, signal_name(sig));
    c.line(kMenuFirstRow + static_cast<int>(i - top), text,
           i == menu.list.cursor ? Style{Color::selected} : Style{});
  }
  std::string typed = menu.typed.empty() ? "" : "  jump: " + escape_bytes(menu.typed);
  status_line(c, m, "Enter send  type a number or name to jump  Esc cancel" + typed);
}

void render_confirm(Canvas& c, const Model& m) {
  int sig = m.menu.chosen();
  c.line(0, fmt::format("Send {} to a guarded process?", signal_name(sig)), kTitle);
  int row = 2;
  for (const auto& line : m.menu.consequences) {
    // A long consequence wraps onto the next rows.
    std::string text = escape_bytes(line);
    for (std::size_t at = 0; at < text.size() && row < c.height() - 3; ++row) {
      std::size_t w = static_cast<std::size_t>(c.width() - 2);
      c.line(row, "  " + text.substr(at, w), {Color::warn});
      at += w;
    }
    ++row;
  }
  c.line(c.height() - 2, fmt::format("Press y to send {} anyway; any other key cancels.",
                                     signal_name(sig)), {Color::error, 0, true});
}

void render_page(Canvas& c, const Model& m) {
  c.line(0, escape_bytes(m.page.title), kTitle);
  std::size_t h = shown(c, kPageFirstRow);
  for (std::size_t i = 0; i < h; ++i) {
    std::size_t idx = m.page.list.top + i;
    if (idx >= m.page.lines.size()) break;
    c.line(kPageFirstRow + static_cast<int>(i), m.page.lines[idx]);
  }
  const char* hints = m.screen == Screen::env
                          ? (m.env_revealed ? "r mask secrets again  q back" : "r reveal secrets  q back")
                          : "Up Down PgUp PgDn scroll  q back";
  status_line(c, m, hints);
}

void render_files(Canvas& c, const Model& m) {
  const FilesState& f = m.files;
  c.line(0, fmt::format("Files of PID {} [{}]: {}", f.process.pid, escape_bytes(f.container),
                        escape_bytes(f.path)), kTitle);
  c.line(1, fmt::format("{:<10} {:<8} {:<8} {:>7}  {}", "MODE", "OWNER", "GROUP", "SIZE", "NAME"),
         kHeader);
  if (f.error) {
    c.line(2, escape_bytes(f.error->what + ": " + f.error->reason()), {Color::error});
    if (!f.error->hint.empty()) c.line(3, "hint: " + escape_bytes(f.error->hint), {Color::error});
  }
  int first = files_first_row(f);
  std::size_t h = shown(c, first), top = f.list.top;
  for (std::size_t i = top; i < f.rows.size() && i < top + h; ++i) {
    const FileRow& r = f.rows[i];
    std::string text;
    if (!r.error.empty())
      text = fmt::format("{:<10} {:<8} {:<8} {:>7}  {}  ({})", "?", "?", "?", "?", r.name, r.error);
    else
      text = fmt::format("{:<10} {:<8} {:<8} {:>7}  {}{}", r.mode, fit(r.owner, 8), fit(r.group, 8),
                         r.size, r.name, r.link.empty() ? "" : " -> " + r.link);
    Style st = i == f.list.cursor ? Style{Color::selected}
               : !r.error.empty() ? Style{Color::error}
               : r.type == 'd' ? Style{Color::title, 0, true} : Style{};
    c.line(first + static_cast<int>(i - top), text, st);
  }
  if (f.prompt) {
    c.line(c.height() - 1, ":" + escape_bytes(f.typed) + "_");
    return;
  }
  status_line(c, m, "Enter open  Backspace up  : go to path  q back   (read-only)");
}

void render_pager(Canvas& c, const Model& m) {
  const PagerState& p = m.pager;
  std::string flags = p.follow ? "  [following]" : "";
  c.line(0, fmt::format("{}  ({} lines){}{}", p.title, p.lines.size(), flags,
                        p.note.empty() ? "" : "  " + p.note), kTitle);
  std::size_t h = shown(c, kPageFirstRow), top = p.list.top;
  // Following: the last lines, as less +F shows them.
  if (p.follow && p.lines.size() > h) top = p.lines.size() - h;
  for (std::size_t i = 0; i < h; ++i) {
    std::size_t idx = top + i;
    if (idx >= p.lines.size()) break;
    bool hit = !p.search.empty() && p.lines[idx].find(p.search) != std::string::npos;
    c.line(kPageFirstRow + static_cast<int>(i), p.lines[idx], hit ? Style{Color::tagged, 0, true} : Style{});
  }
  if (p.prompt) {
    c.line(c.height() - 1, "/" + escape_bytes(p.typed) + "_");
    return;
  }
  status_line(c, m, "/ search  n N next/prev  g G top/bottom  F follow  q back");
}

}  // namespace nsdebug::tui
