// The loop: poll() on the terminal, a signalfd (SIGINT, SIGTERM, SIGHUP end it cleanly), the
// refresh timer and the pidfds of signalled processes; key -> update -> effect -> render.
#include "tui/app.h"

#include <malloc.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>

#include <fmt/format.h>

#include "core/proc/meminfo.h"
#include "core/base/stop_signals.h"
#include "core/base/sys.h"
#include "tui/app_state.h"
#include "tui/screen.h"

namespace nsdebug::tui {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
constexpr milliseconds kFollowInterval{250};  // the pager following a log, as tail -f polls

constexpr int kFatalSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGQUIT};

// A crash leaves the terminal usable: reset it, then die of the same signal.
void on_fatal(int sig) {
  restore_terminal_from_signal();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void install_fatal_handlers() {
  for (int sig : kFatalSignals) std::signal(sig, on_fatal);
}

milliseconds until(Clock::time_point t) {
  auto d = std::chrono::duration_cast<milliseconds>(t - Clock::now());
  return std::max(d, milliseconds(0));
}

// The loop holds the model apart from the app's handles: an effect reads the model, and only
// apply() (what the effect found) and update() (a key) change it.
struct Loop {
  AppState& app;
  Model& model;
  Terminal& term;
  StopSignals& stop;  // SIGINT, SIGTERM, SIGHUP: the loop ends and restores the terminal as on q
  int stopped_by = 0;  // the signal that ended the loop
  bool full = true;
  Clock::time_point next_refresh = Clock::now() + app.options.delay;

  void draw() {
    Size size = term.size();
    fit_lists(model, size);
    term.draw(render(model, size), full);
    full = false;
  }

  void take(std::optional<Outcome> outcome) {
    if (outcome) apply(model, std::move(*outcome));
  }

  void refresh() {
    std::optional<Error> error;
    if (auto r = app.table.refresh(); !r) error = r.error();
    apply(model, listed(app, std::move(error)));
    // Only while a screen shows them: the network screen, the container view's ports.
    take(read_sockets(app, model));
    // A refresh builds the next table beside the last one and frees the last: hand those
    // pages back, so that what we hold between refreshes is what the table needs.
    ::malloc_trim(0);
    next_refresh = Clock::now() + app.options.delay;
  }

  // false: quit.
  bool keys() {
    for (Key k = term.next_key(); k != kKeyNone; k = term.next_key()) {
      Effect e = update(model, k);
      full = true;  // any key repaints everything: kubectl attach shows nothing until then
      if (e.kind == EffectKind::quit) return false;
      take(carry_out(app, model, e));
    }
    return true;
  }

  int timeout_ms() const {
    milliseconds t = model.paused ? milliseconds(60000) : until(next_refresh);
    if (model.screen == Screen::pager && model.pager.follow) t = std::min(t, kFollowInterval);
    if (!app.watched.empty()) t = std::min(t, kFollowInterval);
    return static_cast<int>(t.count());
  }

  void run() {
    draw();
    for (;;) {
      std::vector<pollfd> fds{{term.input_fd(), POLLIN, 0}, {stop.fd(), POLLIN, 0}};
      for (const auto& h : app.watched) fds.push_back({h.fd(), POLLIN, 0});
      int n = ::poll(fds.data(), fds.size(), timeout_ms());
      if (n < 0 && errno != EINTR) return;
      if (fds[1].revents && (stopped_by = stop.take())) return;
      if (fds[0].revents & (POLLHUP | POLLERR)) return;  // the terminal went away
      // After EINTR (SIGWINCH) curses has a KEY_RESIZE waiting: read keys every time.
      if (!keys()) return;
      take(reap_watched(app));
      if (model.screen == Screen::pager && model.pager.follow) take(follow_pager(app, model));
      if (app.refresh_now || (!model.paused && Clock::now() >= next_refresh)) {
        app.refresh_now = false;
        refresh();
      }
      draw();
    }
  }
};

// Stat files the table may keep open: what the fd limit leaves after a reserve for the pager,
// the files view, pidfds and libraries, and never more than kMaxHeld: each costs the kernel
// a page, charged to our memory cgroup, and past a pod's size the spared syscalls matter less
// than the memory (core/proc/stat_reader.h).
std::size_t held_file_budget() {
  constexpr std::size_t kReserve = 256, kMaxHeld = 16384;
  std::size_t limit = sys::raise_open_file_limit();
  return limit > kReserve ? std::min(limit - kReserve, kMaxHeld) : 0;
}

}  // namespace

Result<int> run_app(const AppOptions& options) {
  ProcessTableOptions table_options;
  table_options.cgroup_stats = true;
  table_options.held_files = held_file_budget();
  AppState app{options, ProcessTable(table_options), {}, {}, {}, {}, false};
  if (auto r = app.table.refresh(); !r) return std::unexpected(r.error());
  Model model;
  model.read_only = options.read_only;
  model.mem_total_kb = mem_total_kb().value_or(0);
  apply(model, load_doctor(app, false));
  apply(model, listed(app, std::nullopt));

  auto stop = StopSignals::open();
  if (!stop) return std::unexpected(stop.error());
  install_fatal_handlers();
  // Ctrl-Z would stop us where no shell can resume us: the sidecar's container, or node mode's
  // pod side (its pty is not the operator's shell's terminal).
  auto term = open_terminal(!options.sidecar && !options.entered);
  if (!term) return std::unexpected(term.error());
  model.mono = (*term)->monochrome();
  if (!(*term)->note().empty()) model.status = (*term)->note();
  Loop loop{app, model, **term, *stop};
  loop.run();
  (*term)->restore();
  return loop.stopped_by;
}

}  // namespace nsdebug::tui
