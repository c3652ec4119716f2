#pragma once
// The terminal, behind an interface: the one implementation (curses_screen.cc) is the only
// file that includes curses.
#include <memory>
#include <string>

#include "core/base/error.h"
#include "tui/keys.h"
#include "tui/view.h"

namespace nsdebug::tui {

class Terminal {
 public:
  virtual ~Terminal() = default;
  virtual Size size() = 0;
  // Draws the frame; `full` repaints every line (the terminal's content is unknown: a
  // kubectl attach, a resize).
  virtual void draw(const Frame& frame, bool full) = 0;
  // The next key already typed, or kKeyNone. Never blocks.
  virtual Key next_key() = 0;
  // Readable when a key is waiting (poll it with the loop's other fds).
  virtual int input_fd() const = 0;
  virtual bool monochrome() const = 0;
  // What the terminal setup wants the user to know ("TERM=foo unknown: using built-in xterm").
  virtual std::string note() const = 0;
  // Puts the terminal back as it was (also done by the destructor).
  virtual void restore() = 0;
};

// Opens the controlling terminal on stdin/stdout. When the terminfo database has no entry for
// $TERM (a busybox or distroless container has no database at all), a built-in entry is used.
// Ctrl-C (and Ctrl-\) come as keys, not signals: Ctrl-C quits as q does, and under the
// sidecar that returns to its idle prompt instead of ending the container. Ctrl-Z suspends
// only when `allow_suspend`.
Result<std::unique_ptr<Terminal>> open_terminal(bool allow_suspend);

// For a fatal signal's handler: puts the terminal back using only async-signal-safe calls.
void restore_terminal_from_signal();

// The built-in terminfo entries' names, and which one stands in for `term` (nullptr: none).
const char* builtin_terminfo_for(const std::string& term);
// The compiled entry ("b64:..."), for TERMINFO; nullptr when not built in.
const char* builtin_terminfo_entry(const std::string& name);

}  // namespace nsdebug::tui
