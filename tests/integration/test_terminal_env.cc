// The environment row of issue 10's bad-input matrix, terminal half: no TERM, TERM=dumb and a
// 20x5 terminal, on a real pseudo-terminal (tests/integration/pty.h). The CLI never looks at
// TERM; the TUI draws with a built-in terminfo entry when $TERM cannot serve
// (tui/curses_screen.cc), says so on its status line, and leaves the terminal as it found it.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

#include "pty.h"

using namespace std::chrono_literals;
using nsdebug::testing::environment;
using nsdebug::testing::PtyRun;

namespace {

constexpr int kCols = 100, kRows = 30;

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// The text a terminal shows of `raw`: escape sequences (CSI, OSC, charset picks) and CRs out.
std::string visible(const std::string& raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\r') continue;
    if (raw[i] != '\x1b') {
      out += raw[i];
      continue;
    }
    if (i + 1 >= raw.size()) break;
    char kind = raw[++i];
    if (kind == '[') {
      while (i + 1 < raw.size() && !(raw[i + 1] >= 0x40 && raw[i + 1] <= 0x7e)) ++i;
      ++i;  // the final byte
    } else if (kind == ']') {
      while (i + 1 < raw.size() && raw[i + 1] != '\a' && raw[i + 1] != '\x1b') ++i;
      ++i;
    } else if (kind == '(' || kind == ')') {
      ++i;
    }
  }
  return out;
}

// TERM as each case sets it: unset, or NAME.
std::vector<std::string> env_with_term(const std::string& term) {
  if (term.empty()) return environment({"TERM"});
  return environment({}, {"TERM=" + term});
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

// What must hold after the TUI ended, whatever TERM was: the line discipline as before (cooked,
// echoing), out of the alternate screen if it entered one, the cursor shown if it hid it.
void check_terminal_restored(const PtyRun& t) {
  termios before = t.mode_before(), now = t.mode_now();
  CHECK((now.c_lflag & (ICANON | ECHO | ISIG)) == (before.c_lflag & (ICANON | ECHO | ISIG)));
  CHECK((now.c_iflag & ICRNL) == (before.c_iflag & ICRNL));
  CHECK((now.c_oflag & (OPOST | ONLCR)) == (before.c_oflag & (OPOST | ONLCR)));
  const std::string& out = t.output();
  auto entered = out.rfind("\x1b[?1049h"), left = out.rfind("\x1b[?1049l");
  if (entered != std::string::npos) CHECK((left != std::string::npos && left > entered));
  auto hidden = out.rfind("\x1b[?25l"), shown = out.rfind("\x1b[?25h");
  if (hidden != std::string::npos) CHECK((shown != std::string::npos && shown > hidden));
}

// nsdebug tui as PID 1 of a PID namespace of its own: a short list, whatever else the machine
// runs.
std::vector<std::string> tui_argv() {
  return {"/usr/bin/unshare", "--pid", "--fork", "--mount-proc", "--kill-child", NSDEBUG_BIN,
          "tui", "--delay", "0.5"};
}

}  // namespace

TEST_CASE("ps, containers and cat work on a terminal without TERM and with TERM=dumb") {
  std::string self = std::to_string(::getpid());
  std::string hostname = read_file("/etc/hostname");
  REQUIRE(!hostname.empty());
  for (std::string term : {"", "dumb"}) {
    INFO("TERM=" << (term.empty() ? "(unset)" : term));
    struct Case {
      std::vector<std::string> args;
      std::string expected;
    };
    for (const auto& c : std::vector<Case>{{{"ps"}, "COMMAND"},
                                           {{"ps", "-o", "pid", "--no-headers"}, self + "\n"},
                                           {{"containers"}, "MAIN-PID"},
                                           {{"cat", self + ":/etc/hostname"}, hostname}}) {
      auto argv = c.args;
      argv.insert(argv.begin(), NSDEBUG_BIN);
      PtyRun t(argv, env_with_term(term), kCols, kRows);
      int status = t.wait_exit(5s);
      std::string shown = visible(t.output());
      INFO("nsdebug " << c.args[0] << ": " << status << "\n" << t.output());
      CHECK(status == 0);
      CHECK(has(shown, c.expected));
      CHECK(!has(shown, "nsdebug: "));  // no error
      CHECK(!has(t.output(), "\x1b"));  // a table, never terminal control, whatever TERM says
      check_terminal_restored(t);
    }
  }
}

// With no TERM the built-in xterm-256color draws (TERM is unset in many a kubectl exec). With
// TERM=dumb, whose entry cannot move the cursor, curses printed screenfuls of spaces and the
// status line, never the list: the built-in entry stands in for it as when no database knows
// "dumb" (busybox). Both say so on the status line, and q leaves a working terminal.
TEST_CASE("tui without TERM or with TERM=dumb draws with the built-in xterm and says so") {
  struct Case {
    std::string term, note;
  };
  for (const auto& c : std::vector<Case>{
           {"", "TERM is not set: using the built-in xterm-256color"},
           {"dumb", "TERM=dumb cannot move the cursor: using the built-in xterm-256color"}}) {
    INFO("TERM=" << (c.term.empty() ? "(unset)" : c.term));
    PtyRun t(tui_argv(), env_with_term(c.term), kCols, kRows);
    bool drawn = t.wait_for("COMMAND", 5s) && t.wait_for("256color", 2s);
    INFO(visible(t.output()));
    CHECK(drawn);
    CHECK(has(visible(t.output()), c.note));  // the status line
    CHECK(has(t.output(), "\x1b[?1049h"));  // full-screen, on the alternate screen
    // A row of the list: its PID 1, nsdebug itself, running. Not its command line: a long
    // build path leaves no room for it in 100 columns.
    CHECK(std::regex_search(visible(t.output()), std::regex(R"(\b1 +nsdebug +root +R\+ )")));
    t.send("q");
    CHECK(t.wait_exit(5s) == 0);
    check_terminal_restored(t);
  }
}

// Checked at 60x20 by a resize in tests/e2e/test_tui.cc and as frames in the unit tests; here
// the TUI starts on a terminal that small, and a 20-column one at that.
TEST_CASE("tui on a 20x5 terminal shows the too-small screen, and q quits it") {
  PtyRun t(tui_argv(), env_with_term("xterm"), 20, 5);
  bool shown = t.wait_for("20x5", 5s) && t.wait_for("quit", 2s);
  std::string screen = visible(t.output());
  INFO(screen);
  CHECK(shown);
  CHECK(has(screen, "terminal too small:"));
  CHECK(has(screen, "q to quit"));
  CHECK(!has(screen, "COMMAND"));
  t.send("q");
  CHECK(t.wait_exit(5s) == 0);
  check_terminal_restored(t);
}
