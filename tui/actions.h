#pragma once
// Keys to state changes, as tables (htop's Action_setBindings): update() changes the model and
// says what the app must do through core (an Effect); it never reads /proc, draws or sleeps.
#include <string>
#include <utility>
#include <vector>

#include "tui/keys.h"
#include "tui/model.h"

namespace nsdebug::tui {

enum class EffectKind {
  none,
  quit,
  refresh,       // look at /proc again now
  redraw,        // repaint every line (kubectl attach shows nothing until a key is pressed)
  plan_kill,     // take handles on menu.targets and plan: the menu just opened
  deliver,       // send menu's chosen signal through the plan (force: the user said y)
  open_details,  // inspect page_process
  open_env,      // its environment, revealed or masked
  open_doctor,
  open_files,    // files.process's root at "/"
  open_path,     // in the files' root: a directory is listed, a file paged
  read_sockets,  // what sockets_needed() says the screen shown needs, now
};

struct Effect {
  EffectKind kind = EffectKind::none;
  bool force = false;
  bool reveal = false;
  std::string path;  // open_path: absolute inside the root
  int sig = 0;       // deliver: the signal chosen

  Effect(EffectKind k = EffectKind::none, bool f = false, bool r = false, std::string p = {})
      : kind(k), force(f), reveal(r), path(std::move(p)) {}
};

Effect update(Model& m, Key key);

// Every key of every screen, for the help page and the man page.
struct HelpLine {
  std::string screen, keys, what;
};
std::vector<HelpLine> help_lines();

// "/etc" + "nginx" -> "/etc/nginx"; ".." goes up; "/" stays.
std::string join_path(const std::string& dir, const std::string& name);
std::string parent_path(const std::string& dir);

// Pager: the next line from `from` (forward or back) holding `needle`; npos when none.
std::size_t find_line(const std::vector<std::string>& lines, const std::string& needle,
                      std::size_t from, bool forward);

}  // namespace nsdebug::tui
