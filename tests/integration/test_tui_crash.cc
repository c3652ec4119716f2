// A TUI that dies of a crash signal gives the terminal back as q does (tui/app.cc's fatal
// handler, tui/curses_screen.cc's restore_terminal_from_signal): out of the alternate screen,
// the cursor shown, the line discipline cooked, and keypad (application cursor keys) mode off.
// With it left on, the shell's arrow keys arrive as ESC O A and readline prints "OA".
#include <sys/resource.h>
#include <termios.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <string>

#include "pty.h"

using namespace std::chrono_literals;
using nsdebug::testing::environment;
using nsdebug::testing::PtyRun;

namespace {

// xterm's smkx and rmkx, as its terminfo entry has them.
constexpr std::string_view kKeypadOn = "\x1b[?1h\x1b=";
constexpr std::string_view kKeypadOff = "\x1b[?1l\x1b>";

// A sequence turned on must have been turned off after its last switch on.
bool left_off(const std::string& out, std::string_view on, std::string_view off) {
  auto set = out.rfind(on);
  if (set == std::string::npos) return true;
  auto reset = out.rfind(off);
  return reset != std::string::npos && reset > set;
}

}  // namespace

TEST_CASE("tui killed by SIGSEGV or SIGABRT resets keypad mode, the screen and the tty") {
  rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);  // the re-raised signal would dump one per run
  for (int sig : {SIGSEGV, SIGABRT}) {
    INFO("signal " << sig);
    PtyRun t({NSDEBUG_BIN, "tui", "--delay", "0.5"}, environment({}, {"TERM=xterm"}), 100, 30);
    bool drawn = t.wait_for("COMMAND", 20s);
    INFO(t.output());
    REQUIRE(drawn);
    REQUIRE(t.output().find(kKeypadOn) != std::string::npos);  // curses turned it on
    ::kill(t.pid(), sig);
    CHECK(t.wait_exit(5s) == 128 + sig);
    const std::string& out = t.output();
    CHECK(left_off(out, kKeypadOn, kKeypadOff));
    CHECK(left_off(out, "\x1b[?1049h", "\x1b[?1049l"));
    CHECK(left_off(out, "\x1b[?25l", "\x1b[?25h"));
    termios now = t.mode_now(), before = t.mode_before();
    CHECK((now.c_lflag & (ICANON | ECHO | ISIG)) == (before.c_lflag & (ICANON | ECHO | ISIG)));
  }
}
