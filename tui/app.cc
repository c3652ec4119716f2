// The loop: poll() on the terminal, a signalfd (SIGINT, SIGTERM, SIGHUP end it cleanly), the
// refresh timer and the pidfds of signalled processes; key -> update -> effect -> render.
#include "tui/app.h"

#include <malloc.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>

#include <fmt/format.h>

#include "core/proc/meminfo.h"
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

// SIGINT, SIGTERM and SIGHUP blocked and read from an fd: the loop ends and restores the
// terminal as on q (a handler could not call endwin safely).
UniqueFd stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  if (::sigprocmask(SIG_BLOCK, &set, nullptr) < 0) return UniqueFd();
  return UniqueFd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
}

void install_fatal_handlers() {
  for (int sig : kFatalSignals) std::signal(sig, on_fatal);
}

// Signalled processes that exited since: reported, and the list refreshed at once.
void reap_watched(AppState& app) {
  std::string gone;
  std::erase_if(app.watched, [&](const ProcessHandle& h) {
    if (!h.exited()) return false;
    gone += (gone.empty() ? "" : " ") + std::to_string(h.pid());
    return true;
  });
  if (gone.empty()) return;
  if (!app.model.status.empty()) app.model.status += "; ";
  app.model.status += "exited: PID " + gone;
  app.refresh_now = true;
}

milliseconds until(Clock::time_point t) {
  auto d = std::chrono::duration_cast<milliseconds>(t - Clock::now());
  return std::max(d, milliseconds(0));
}

struct Loop {
  AppState& app;
  Terminal& term;
  int stop_fd;
  int stopped_by = 0;  // the signal that ended the loop
  bool full = true;
  Clock::time_point next_refresh = Clock::now() + app.options.delay;

  void draw() {
    Size size = term.size();
    app.model.list_height = list_height_for(size);
    keep_in_view(app.model);
    term.draw(render(app.model, size), full);
    full = false;
  }

  void refresh() {
    if (auto r = app.table.refresh(); !r) {
      app.model.status = "refresh: " + r.error().what + ": " + r.error().reason();
      app.model.status_error = true;
    }
    adopt_snapshot(app);
    // A refresh builds the next table beside the last one and frees the last: hand those
    // pages back, so that what we hold between refreshes is what the table needs.
    ::malloc_trim(0);
    next_refresh = Clock::now() + app.options.delay;
  }

  // false: quit.
  bool keys() {
    for (Key k = term.next_key(); k != kKeyNone; k = term.next_key()) {
      Effect e = update(app.model, k);
      full = true;  // any key repaints everything: kubectl attach shows nothing until then
      if (!carry_out(app, e)) return false;
    }
    return true;
  }

  int timeout_ms() const {
    milliseconds t = app.model.paused ? milliseconds(60000) : until(next_refresh);
    if (app.model.screen == Screen::pager && app.model.pager.follow) t = std::min(t, kFollowInterval);
    if (!app.watched.empty()) t = std::min(t, kFollowInterval);
    return static_cast<int>(t.count());
  }

  void run() {
    draw();
    for (;;) {
      std::vector<pollfd> fds{{term.input_fd(), POLLIN, 0}, {stop_fd, POLLIN, 0}};
      for (const auto& h : app.watched) fds.push_back({h.fd(), POLLIN, 0});
      int n = ::poll(fds.data(), fds.size(), timeout_ms());
      if (n < 0 && errno != EINTR) return;
      if (fds[1].revents) {
        signalfd_siginfo info{};
        if (::read(stop_fd, &info, sizeof info) == sizeof info)
          stopped_by = static_cast<int>(info.ssi_signo);
        return;
      }
      if (fds[0].revents & (POLLHUP | POLLERR)) return;  // the terminal went away
      // After EINTR (SIGWINCH) curses has a KEY_RESIZE waiting: read keys every time.
      if (!keys()) return;
      reap_watched(app);
      if (app.model.screen == Screen::pager && app.model.pager.follow) follow_pager(app);
      if (app.refresh_now || (!app.model.paused && Clock::now() >= next_refresh)) {
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
  app.model.read_only = options.read_only;
  app.model.mem_total_kb = mem_total_kb().value_or(0);
  load_doctor(app, false);
  adopt_snapshot(app);

  UniqueFd stop = stop_signals();
  install_fatal_handlers();
  // Ctrl-Z would stop us where no shell can resume us: the sidecar's container, or node mode's
  // pod side (its pty is not the operator's shell's terminal).
  auto term = open_terminal(!options.sidecar && !options.entered);
  if (!term) return std::unexpected(term.error());
  app.model.mono = (*term)->monochrome();
  if (!(*term)->note().empty()) app.model.status = (*term)->note();
  Loop loop{app, **term, stop.get()};
  loop.run();
  (*term)->restore();
  return loop.stopped_by;
}

}  // namespace nsdebug::tui
