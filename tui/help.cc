// The help page: every key of every screen (kept beside the bindings in actions*.cc; a unit
// test checks each bound key of the process list is listed here).
#include "tui/actions.h"

namespace nsdebug::tui {

std::vector<HelpLine> help_lines() {
  return {
      {"Processes", "Up Down PgUp PgDn", "move the selection"},
      {"Processes", "Home End", "first, last process"},
      {"Processes", "/", "filter the command lines as you type (Enter keeps, Esc clears)"},
      {"Processes", "< > , . F6", "sort by the previous / next column"},
      {"Processes", "I", "invert the sort order"},
      {"Processes", "t F5", "tree: each process under its parent"},
      {"Processes", "c", "group by container, with totals, cgroup figures, listening ports"},
      {"Processes", "Space", "tag the process (k signals every tagged one); U untags all"},
      {"Processes", "F", "follow the selected process: keep it selected and in view"},
      {"Processes", "Z", "pause refreshing (again: resume)"},
      {"Processes", "k F9", "kill menu: send a signal to the tagged or selected processes"},
      {"Processes", "Enter", "details: exe, cwd, ids, capabilities, namespaces, fds, limits, threads"},
      {"Processes", "e", "environment, secrets masked (r reveals)"},
      {"Processes", "f", "files: the process's root filesystem, read-only"},
      {"Processes", "n", "network: the pod's sockets by container, as nsdebug net"},
      {"Processes", "d", "doctor: where nsdebug runs and what limits it"},
      {"Processes", "? h F1", "this help"},
      {"Processes", "q F10", "quit"},
      {"Processes", "Ctrl-L", "redraw the screen (any key redraws too)"},
      {"Kill menu", "Up Down PgUp PgDn", "choose a signal (TERM is preselected)"},
      {"Kill menu", "1 9 15 HUP te ...", "type a number or a name to jump to that signal"},
      {"Kill menu", "Enter", "send it, through the handles taken when the menu opened"},
      {"Kill menu", "y", "confirm a signal to PID 1, the pod sandbox or nsdebug itself"},
      {"Kill menu", "Esc F10", "close without sending"},
      {"Files", "Up Down PgUp PgDn", "move"},
      {"Files", "Enter Right", "open a directory or a file"},
      {"Files", "Backspace Left", "up one directory"},
      {"Files", ":", "type a path to go to (absolute, in the process's root)"},
      {"Pager", "Up Down PgUp PgDn Space b", "scroll"},
      {"Pager", "g G Home End", "top, bottom"},
      {"Pager", "/ n N", "search, next, previous"},
      {"Pager", "F", "follow: show what is appended (as less +F)"},
      {"Network", "Up Down PgUp PgDn", "move the selection"},
      {"Network", "/", "filter: text in any column, as you type (Enter keeps, Esc clears)"},
      {"Network", "l", "listening sockets only (again: all but TIME-WAIT)"},
      {"Network", "a", "every state, TIME-WAIT and SYN-RECV too (again: back)"},
      {"Network", "t u x w", "show or hide TCP, UDP, unix, raw sockets (TCP and UDP first)"},
      {"Network", "Enter", "the process list, on the process holding the socket"},
      {"Details, env, doctor", "Up Down PgUp PgDn", "scroll"},
      {"Details, env, doctor", "r", "env: reveal (or mask again) secret-looking values"},
      {"Every screen", "q Esc F10", "back (from the process list: quit)"},
      {"Every screen", "Ctrl-C", "quit (under the sidecar: back to its prompt)"},
  };
}

}  // namespace nsdebug::tui
