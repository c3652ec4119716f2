// The process list's keys, and the dispatch to each screen's table.
#include "tui/actions.h"

#include <algorithm>
#include <cctype>
#include <csignal>

#include "core/signals/signals.h"
#include "tui/actions_detail.h"

namespace nsdebug::tui {
namespace {

Effect none() { return {}; }

void open_screen(Model& m, Screen s) {
  if (m.screen != s) m.back.push_back(m.screen);
  m.screen = s;
}

Effect next_sort(Model& m, int step) {
  int n = static_cast<int>(Col::count);
  m.sort = static_cast<Col>((static_cast<int>(m.sort) + step + n) % n);
  // Numbers read best largest first, names in alphabetical order (htop does the same).
  m.descending = m.sort == Col::cpu || m.sort == Col::rss || m.sort == Col::mem ||
                 m.sort == Col::elapsed;
  rebuild_rows(m);
  return none();
}

Effect open_kill(Model& m) {
  if (m.read_only) {
    m.status = "read-only: signals are off (nsdebug tui --read-only)";
    m.status_error = true;
    return none();
  }
  auto targets = action_targets(m);
  if (targets.empty()) {
    m.status = "no process selected";
    m.status_error = true;
    return none();
  }
  ListState list = m.menu.list;  // fitted to the screen
  m.menu = SignalMenu{};
  m.menu.list = list;
  m.menu.signals = listed_signals();
  set_count(m.menu.list, m.menu.signals.size());
  auto term = std::ranges::find(m.menu.signals, SIGTERM);
  move_to(m.menu.list, static_cast<std::size_t>(term - m.menu.signals.begin()));
  m.menu.targets = std::move(targets);
  open_screen(m, Screen::signals);
  return {EffectKind::plan_kill};
}

Effect open_for_selected(Model& m, Screen s, EffectKind kind) {
  const Process* p = selected_process(m);
  if (!p) {
    m.status = "no process selected";
    m.status_error = true;
    return none();
  }
  m.page_process = key_of(*p);
  clear_page(m.page);
  m.env_revealed = false;
  if (s == Screen::files) {
    ListState list = m.files.list;  // fitted to the screen
    m.files = FilesState{};
    m.files.list = list;
    clear(m.files.list);
    m.files.process = key_of(*p);
    const Container* c = m.snapshot ? m.snapshot->container_of(*p) : nullptr;
    m.files.container = c ? c->name : "";
  }
  open_screen(m, s);
  return {kind};
}

Effect toggle_tag(Model& m) {
  if (const Process* p = selected_process(m)) {
    auto k = key_of(*p);
    if (!m.tagged.erase(k)) m.tagged.insert(k);
    move_cursor(m, ListMove::down);
  }
  return none();
}

Effect filter_key(Model& m, Key key) {
  if (key == kKeyEnter) {
    m.filter_prompt = false;
  } else if (key == kKeyEscape) {
    m.filter_prompt = false;
    m.filter.clear();
  } else if (key == kKeyBackspace) {
    if (!m.filter.empty()) m.filter.pop_back();
  } else if (key >= 0x20 && key < 0x7f) {
    m.filter += static_cast<char>(key);
  } else {
    return none();
  }
  rebuild_rows(m);
  return none();
}

// Grouped, each container shows its listening ports: read them now, not at the next refresh.
Effect toggle_group(Model& m) {
  m.group = !m.group;
  rebuild_rows(m);
  return m.group ? Effect{EffectKind::read_sockets} : none();
}

using ProcAction = Effect (*)(Model&);
struct ProcBinding {
  Key key;
  ProcAction action;
};

const ProcBinding kProcessBindings[] = {
    {'/', [](Model& m) { return m.filter_prompt = true, none(); }},
    {kKeyEscape, [](Model& m) { return m.filter.clear(), rebuild_rows(m), none(); }},
    {'<', [](Model& m) { return next_sort(m, -1); }},
    {',', [](Model& m) { return next_sort(m, -1); }},
    {'>', [](Model& m) { return next_sort(m, 1); }},
    {'.', [](Model& m) { return next_sort(m, 1); }},
    {key_f(6), [](Model& m) { return next_sort(m, 1); }},
    {'I', [](Model& m) { return m.descending = !m.descending, rebuild_rows(m), none(); }},
    {'t', [](Model& m) { return m.tree = !m.tree, rebuild_rows(m), none(); }},
    {key_f(5), [](Model& m) { return m.tree = !m.tree, rebuild_rows(m), none(); }},
    {'c', toggle_group},
    {'Z', [](Model& m) { return m.paused = !m.paused, none(); }},
    {'F', [](Model& m) { return m.follow = !m.follow && selected_process(m), none(); }},
    {' ', toggle_tag},
    {'U', [](Model& m) { return m.tagged.clear(), none(); }},
    {'k', open_kill},
    {key_f(9), open_kill},
    {kKeyEnter, [](Model& m) { return open_for_selected(m, Screen::details, EffectKind::open_details); }},
    {'e', [](Model& m) { return open_for_selected(m, Screen::env, EffectKind::open_env); }},
    {'f', [](Model& m) { return open_for_selected(m, Screen::files, EffectKind::open_files); }},
    {'d', [](Model& m) { return open_screen(m, Screen::doctor), Effect{EffectKind::open_doctor}; }},
    {'n', open_network},
    {'?', [](Model& m) { return open_help(m), none(); }},
    {'h', [](Model& m) { return open_help(m), none(); }},
    {key_f(1), [](Model& m) { return open_help(m), none(); }},
    {'q', [](Model&) { return Effect{EffectKind::quit}; }},
    {key_f(10), [](Model&) { return Effect{EffectKind::quit}; }},
};

Effect process_key(Model& m, Key key) {
  if (m.filter_prompt) return filter_key(m, key);
  // Arrows only: the process list's letters are commands (k kills).
  if (ListMove move = list_move_of(key, false); move != ListMove::none)
    return move_cursor(m, move), none();
  for (const auto& b : kProcessBindings)
    if (b.key == key) return b.action(m);
  return none();
}

}  // namespace

void go_back(Model& m) {
  if (m.back.empty()) {
    m.screen = Screen::processes;
    return;
  }
  m.screen = m.back.back();
  m.back.pop_back();
}

void clear_page(TextPage& page) {
  page.title.clear();
  page.lines.clear();
  clear(page.list);
}

void open_help(Model& m) {
  clear_page(m.page);
  m.page.title = "Keys";
  std::string last;
  for (const auto& h : help_lines()) {
    if (h.screen != last) {
      if (!last.empty()) m.page.lines.push_back("");
      m.page.lines.push_back(h.screen);
      last = h.screen;
    }
    std::string line = "  " + h.keys;
    line.resize(std::max<std::size_t>(line.size() + 1, 22), ' ');
    m.page.lines.push_back(line + h.what);
  }
  set_count(m.page.list, m.page.lines.size());
  open_screen(m, Screen::help);
}

Effect update(Model& m, Key key) {
  if (key == kKeyResize) return {EffectKind::redraw};
  if (key == kKeyCtrlL) return {EffectKind::redraw};
  // A key, not SIGINT (curses_screen.cc turns the terminal's INTR off): it quits from any
  // screen, as htop's Ctrl-C does.
  if (key == kKeyCtrlC) return {EffectKind::quit};
  m.status.clear();
  m.status_error = false;
  Effect e;
  switch (m.screen) {
    case Screen::processes: e = process_key(m, key); break;
    case Screen::signals: e = signal_key(m, key); break;
    case Screen::confirm: e = confirm_key(m, key); break;
    case Screen::files: e = files_key(m, key); break;
    case Screen::pager: e = pager_key(m, key); break;
    case Screen::network: e = network_key(m, key); break;
    case Screen::help:
    case Screen::details:
    case Screen::env:
    case Screen::doctor: e = page_key(m, key); break;
  }
  return e;
}

}  // namespace nsdebug::tui
