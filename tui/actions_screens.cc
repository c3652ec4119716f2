// The keys of the screens over the process list: the kill menu and its confirmation, files,
// the pager and the text pages (details, environment, doctor, help).
#include <algorithm>
#include <cctype>

#include "core/signals/guard_words.h"
#include "core/signals/kill_guard.h"
#include "core/signals/signals.h"
#include "tui/actions_detail.h"

namespace nsdebug::tui {
namespace {

Effect none() { return {}; }

// Lists whose letters are no commands of their own also move by k j b Space g G.
bool scroll(ListState& list, Key key) { return move_list(list, list_move_of(key, true)); }

bool is_back(Key key) { return key == 'q' || key == kKeyEscape || key == key_f(10); }

// What a signal does to a guarded target, as the confirm screen says it. The one place the
// TUI words a guard: the sentences both faces show (core/signals/guard_words), without the
// CLI's "--force" fix.
std::string consequence(const PlannedTarget& t, int sig) {
  std::optional<bool> delivered;
  if (t.init_masks) delivered = init_receives(sig, *t.init_masks, false);
  GuardCase c{t.guard, t.pid, t.container, sig, delivered};
  return guard_what(c) + ": " + guard_why(c);
}

Effect deliver_chosen(const Model& m, bool force) {
  Effect e{EffectKind::deliver, force};
  e.sig = m.menu.chosen();
  return e;
}

}  // namespace

Effect signal_key(Model& m, Key key) {
  auto& menu = m.menu;
  if (key == kKeyEscape || key == key_f(10)) {
    m.status = "no signal sent";
    go_back(m);
    return none();
  }
  if (key == kKeyEnter) {
    if (menu.plan_error) {
      m.status = menu.plan_error->what + ": " + menu.plan_error->reason();
      m.status_error = true;
      go_back(m);
      return none();
    }
    if (!menu.plan) return none();  // the plan is still being made
    if (any_guarded(*menu.plan)) {
      menu.consequences.clear();
      for (const auto& t : *menu.plan)
        if (t.guard != GuardReason::none) menu.consequences.push_back(consequence(t, menu.chosen()));
      m.screen = Screen::confirm;
      return none();
    }
    return deliver_chosen(m, false);
  }
  if (key == kKeyBackspace) {
    if (!menu.typed.empty()) menu.typed.pop_back();
    jump_to_typed(menu);
    return none();
  }
  if (key < 0x7f && std::isalnum(key)) {
    // A digit after a name (or a name after digits) starts a new jump.
    bool digit = std::isdigit(key);
    if (!menu.typed.empty() && digit != static_cast<bool>(std::isdigit(menu.typed.back())) &&
        !menu.typed.starts_with("RT") && !menu.typed.starts_with("rt"))
      menu.typed.clear();
    menu.typed += static_cast<char>(key);
    if (!jump_to_typed(menu)) {
      menu.typed = std::string(1, static_cast<char>(key));
      jump_to_typed(menu);
    }
    return none();
  }
  if (key == '+' || key == '-') {
    menu.typed += static_cast<char>(key);
    jump_to_typed(menu);
    return none();
  }
  if (scroll(menu.list, key)) menu.typed.clear();
  return none();
}

Effect confirm_key(Model& m, Key key) {
  if (key == 'y' || key == 'Y') return deliver_chosen(m, true);
  m.status = "no signal sent";
  go_back(m);
  return none();
}

Effect page_key(Model& m, Key key) {
  if (is_back(key)) {
    go_back(m);
    return none();
  }
  if (m.screen == Screen::env && key == 'r') {
    m.env_revealed = !m.env_revealed;
    return {EffectKind::open_env, false, m.env_revealed};
  }
  if (m.screen == Screen::doctor && key == 'R') return {EffectKind::open_doctor};
  scroll(m.page.list, key);
  return none();
}

Effect files_key(Model& m, Key key) {
  auto& f = m.files;
  if (f.prompt) {
    if (key == kKeyEscape) {
      f.prompt = false;
      f.typed.clear();
    } else if (key == kKeyEnter) {
      f.prompt = false;
      std::string path = f.typed.starts_with('/') ? f.typed : join_path(f.path, f.typed);
      f.typed.clear();
      return {EffectKind::open_path, false, false, path};
    } else if (key == kKeyBackspace) {
      if (!f.typed.empty()) f.typed.pop_back();
    } else if (key >= 0x20 && key < 0x7f) {
      f.typed += static_cast<char>(key);
    }
    return none();
  }
  if (is_back(key)) {
    go_back(m);
    return none();
  }
  if (key == ':') {
    f.prompt = true;
    f.typed.clear();
    return none();
  }
  if (key == kKeyBackspace || key == kKeyLeft || key == 'h')
    return {EffectKind::open_path, false, false, parent_path(f.path)};
  if ((key == kKeyEnter || key == kKeyRight || key == 'l') && f.list.cursor < f.raw_names.size())
    return {EffectKind::open_path, false, false, join_path(f.path, f.raw_names[f.list.cursor])};
  scroll(f.list, key);
  return none();
}

Effect pager_key(Model& m, Key key) {
  auto& p = m.pager;
  if (p.prompt) {
    if (key == kKeyEscape) {
      p.prompt = false;
    } else if (key == kKeyEnter) {
      p.prompt = false;
      p.search = p.typed;
      key = 'n';
    } else if (key == kKeyBackspace) {
      if (!p.typed.empty()) p.typed.pop_back();
      return none();
    } else if (key >= 0x20 && key < 0x7f) {
      p.typed += static_cast<char>(key);
      return none();
    } else {
      return none();
    }
    if (key != 'n') return none();
  } else if (is_back(key)) {
    p.follow = false;
    go_back(m);
    return none();
  } else if (key == '/') {
    p.prompt = true;
    p.typed.clear();
    return none();
  } else if (key == 'F') {
    p.follow = !p.follow;
    if (p.follow) move_list(p.list, ListMove::end);
    return none();
  }
  if ((key == 'n' || key == 'N') && !p.search.empty()) {
    bool fwd = key == 'n';
    std::size_t top = p.list.cursor;
    std::size_t from = fwd ? top + 1 : (top ? top - 1 : 0);
    if (!fwd && top == 0) from = std::string::npos;
    std::size_t at = from == std::string::npos ? from : find_line(p.lines, p.search, from, fwd);
    if (at == std::string::npos) {
      m.status = "pattern not found: " + p.search;
      m.status_error = true;
    } else {
      move_to(p.list, at);
    }
    return none();
  }
  if (scroll(p.list, key)) p.follow = p.follow && key == 'G';
  return none();
}

std::size_t find_line(const std::vector<std::string>& lines, const std::string& needle,
                      std::size_t from, bool forward) {
  if (lines.empty() || needle.empty()) return std::string::npos;
  if (forward) {
    for (std::size_t i = from; i < lines.size(); ++i)
      if (lines[i].find(needle) != std::string::npos) return i;
  } else {
    for (std::size_t i = std::min(from, lines.size() - 1) + 1; i-- > 0;)
      if (lines[i].find(needle) != std::string::npos) return i;
  }
  return std::string::npos;
}

std::string join_path(const std::string& dir, const std::string& name) {
  if (name == ".") return dir;
  if (name == "..") return parent_path(dir);
  if (dir.empty() || dir == "/") return "/" + name;
  return dir + "/" + name;
}

std::string parent_path(const std::string& dir) {
  auto slash = dir.find_last_of('/');
  if (slash == std::string::npos || slash == 0) return "/";
  return dir.substr(0, slash);
}

}  // namespace nsdebug::tui
