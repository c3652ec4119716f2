#pragma once
// `nsdebug tui`: the loop that reads /proc, the terminal and held pidfds, carries effects out
// through core, and draws.
#include <chrono>

#include "core/base/error.h"

namespace nsdebug::tui {

struct AppOptions {
  std::chrono::milliseconds delay{1500};  // between refreshes
  bool read_only = false;                 // no kill menu
  bool entered = false;                   // node mode: inside a pod's PID namespace
  // Under `nsdebug sidecar`, the container's main program: Ctrl-Z must not stop it (that hangs
  // `kubectl attach`), so it is a key like any other.
  bool sidecar = false;
};

// Runs until the user quits (0) or SIGINT/SIGTERM/SIGHUP (that signal's number); the terminal
// is put back in every case.
Result<int> run_app(const AppOptions& options);

}  // namespace nsdebug::tui
