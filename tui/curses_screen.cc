// The only file that includes curses: the terminal opened on stdin/stdout, frames drawn, keys
// read, colours or (NO_COLOR, a monochrome terminal) attributes alone.
#include <curses.h>
#include <term.h>
// term.h names every capability as a macro: these two collide with our members.
#undef lines
#undef columns
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "tui/screen.h"

namespace nsdebug::tui {
namespace {

// For restore_terminal_from_signal: what endwin would write, gathered while it is safe to.
struct SavedTerminal {
  bool active = false;
  termios mode{};
  char reset[256] = {};  // rmkx, rmcup, cnorm, sgr0
  std::size_t reset_len = 0;
};
SavedTerminal g_saved;

void append_cap(const char* cap) {
  char* s = tigetstr(const_cast<char*>(cap));
  if (!s || s == reinterpret_cast<char*>(-1)) return;
  std::size_t n = std::strlen(s);
  if (g_saved.reset_len + n >= sizeof g_saved.reset) return;
  std::memcpy(g_saved.reset + g_saved.reset_len, s, n);
  g_saved.reset_len += n;
}

// Pair numbers: one per Color, containers from kPairContainer on.
constexpr short kPairContainer = 10;

short pair_of(const Style& s) {
  if (s.color == Color::container0)
    return static_cast<short>(kPairContainer + s.container % kContainerColors);
  return static_cast<short>(s.color);
}

class CursesTerminal final : public Terminal {
 public:
  CursesTerminal(SCREEN* screen, std::string note) : screen_(screen), note_(std::move(note)) {
    mono_ = std::getenv("NO_COLOR") && *std::getenv("NO_COLOR");
    if (!has_colors()) mono_ = true;
    if (!mono_) setup_colours();
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
  }
  ~CursesTerminal() override { restore(); }

  Size size() override {
    int h, w;
    getmaxyx(stdscr, h, w);
    return {w, h};
  }

  void draw(const Frame& f, bool full) override {
    if (full) clearok(curscr, TRUE);
    for (std::size_t row = 0; row < f.lines.size(); ++row) {
      int y = static_cast<int>(row);
      attrset(A_NORMAL);
      mvaddnstr(y, 0, f.lines[row].c_str(), static_cast<int>(f.lines[row].size()));
      for (const Run& r : f.runs[row]) {
        attrset(attr_of(r.style));
        mvaddnstr(y, r.col, f.lines[row].c_str() + r.col, r.len);
      }
    }
    attrset(A_NORMAL);
    refresh();
  }

  Key next_key() override {
    int ch = getch();
    switch (ch) {
      case ERR: return kKeyNone;
      case KEY_UP: return kKeyUp;
      case KEY_DOWN: return kKeyDown;
      case KEY_LEFT: return kKeyLeft;
      case KEY_RIGHT: return kKeyRight;
      case KEY_PPAGE: return kKeyPageUp;
      case KEY_NPAGE: return kKeyPageDown;
      case KEY_HOME: return kKeyHome;
      case KEY_END: return kKeyEnd;
      case KEY_DC: return kKeyDelete;
      case KEY_RESIZE: return kKeyResize;
      case KEY_ENTER:
      case '\r':
      case '\n': return kKeyEnter;
      case KEY_BACKSPACE:
      case 127:
      case 8: return kKeyBackspace;
      default: break;
    }
    if (ch >= KEY_F(1) && ch <= KEY_F(12)) return key_f(ch - KEY_F0);
    if (ch > 0xff) return kKeyNone;  // a key we have no use for
    return ch;
  }

  int input_fd() const override { return STDIN_FILENO; }
  bool monochrome() const override { return mono_; }
  std::string note() const override { return note_; }

  void restore() override {
    if (!screen_) return;
    endwin();
    delscreen(screen_);
    screen_ = nullptr;
    g_saved.active = false;
  }

 private:
  void setup_colours() {
    start_color();
    use_default_colors();
    auto pair = [](Color c, short fg, short bg) { init_pair(static_cast<short>(c), fg, bg); };
    pair(Color::title, COLOR_CYAN, -1);
    pair(Color::header, COLOR_BLACK, COLOR_GREEN);
    pair(Color::selected, COLOR_BLACK, COLOR_CYAN);
    pair(Color::tagged, COLOR_YELLOW, -1);
    pair(Color::error, COLOR_RED, -1);
    pair(Color::warn, COLOR_YELLOW, -1);
    pair(Color::dim, COLOR_BLUE, -1);
    const short kFg[kContainerColors] = {COLOR_GREEN,  COLOR_CYAN, COLOR_MAGENTA,
                                         COLOR_YELLOW, COLOR_BLUE, COLOR_WHITE};
    for (short i = 0; i < kContainerColors; ++i)
      init_pair(static_cast<short>(kPairContainer + i), kFg[i], -1);
  }

  attr_t attr_of(const Style& s) const {
    attr_t a = s.bold ? A_BOLD : A_NORMAL;
    if (mono_) {
      // No colour: the same distinctions by attribute alone.
      if (s.color == Color::selected || s.color == Color::header) a |= A_REVERSE;
      if (s.color == Color::error || s.color == Color::tagged) a |= A_BOLD;
      if (s.color == Color::dim) a |= A_DIM;
      if (s.color == Color::warn) a |= A_UNDERLINE;
      return a;
    }
    if (s.color == Color::dim) a |= A_DIM;
    return a | COLOR_PAIR(pair_of(s));
  }

  SCREEN* screen_;
  std::string note_;
  bool mono_ = false;
};

// The entry setupterm loaded can put the cursor anywhere. Without that (dumb, a hardcopy
// entry) curses "draws" each frame as screenfuls of spaces: nothing of the list was readable.
bool can_address_cursor() {
  char* cup = tigetstr(const_cast<char*>("cup"));
  return cup && cup != reinterpret_cast<char*>(-1);
}

// $TERM when the database knows it and it can address the cursor, else the built-in entry
// standing in for it (through TERMINFO="b64:...", which ncurses reads in place: nothing is
// written anywhere). TERM=dumb gets the same stand-in whether or not a database has "dumb".
Result<std::string> choose_terminal(std::string& note) {
  const char* env = std::getenv("TERM");
  std::string term = env ? env : "";
  int err = 0;
  bool known = false;
  if (!term.empty() && setupterm(term.c_str(), STDOUT_FILENO, &err) == OK) {
    known = true;
    bool usable = can_address_cursor();
    del_curterm(cur_term);
    if (usable) return term;
  }
  const char* stand_in = builtin_terminfo_for(term);
  const char* compiled = builtin_terminfo_entry(stand_in);
  if (!compiled) return fail(ENOENT, "terminal " + term, "no terminfo entry for it");
  ::setenv("TERMINFO", compiled, 1);
  if (setupterm(stand_in, STDOUT_FILENO, &err) != OK)
    return fail(ENOENT, "terminal " + term, "no terminfo entry for it, and the built-in failed",
                "set TERM to xterm, screen, tmux, linux or vt100");
  del_curterm(cur_term);
  if (term != stand_in)
    note = (term.empty() ? std::string("TERM is not set")
            : known      ? "TERM=" + term + " cannot move the cursor"
                         : "TERM=" + term + " is unknown here") +
           ": using the built-in " + stand_in;
  return std::string(stand_in);
}

// The terminal's INTR and QUIT characters (and SUSP, unless allowed) turned off, so they reach
// us as keys; curses' program mode is saved again with them, and endwin puts back the mode
// the terminal had (g_saved.mode, taken before curses started).
void typed_signals_as_keys(bool allow_suspend) {
  termios mode{};
  if (::tcgetattr(STDIN_FILENO, &mode) != 0) return;
  mode.c_cc[VINTR] = _POSIX_VDISABLE;
  mode.c_cc[VQUIT] = _POSIX_VDISABLE;
  if (!allow_suspend) mode.c_cc[VSUSP] = _POSIX_VDISABLE;
  if (::tcsetattr(STDIN_FILENO, TCSANOW, &mode) == 0) def_prog_mode();
}

}  // namespace

Result<std::unique_ptr<Terminal>> open_terminal(bool allow_suspend) {
  std::string note;
  auto term = choose_terminal(note);
  if (!term) return std::unexpected(term.error());
  tcgetattr(STDIN_FILENO, &g_saved.mode);
  SCREEN* s = newterm(term->c_str(), stdout, stdin);
  if (!s) return fail(EINVAL, "terminal " + *term, "curses could not start on it");
  set_term(s);
  g_saved.reset_len = 0;
  // keypad(stdscr, TRUE) sent smkx: left on, the shell's arrow keys arrive as ESC O A, which
  // readline does not take for an arrow. endwin resets it; a crash must too.
  append_cap("rmkx");
  append_cap("rmcup");
  append_cap("cnorm");
  append_cap("sgr0");
  g_saved.active = true;
  auto terminal = std::unique_ptr<Terminal>(new CursesTerminal(s, note));
  typed_signals_as_keys(allow_suspend);
  return terminal;
}

void restore_terminal_from_signal() {
  if (!g_saved.active) return;
  g_saved.active = false;
  ssize_t ignored = ::write(STDOUT_FILENO, g_saved.reset, g_saved.reset_len);
  (void)ignored;
  ::tcsetattr(STDIN_FILENO, TCSANOW, &g_saved.mode);
}

}  // namespace nsdebug::tui
