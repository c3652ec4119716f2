// nsdebug sidecar: the image's default command. Says what it sees (doctor, the containers and
// their processes) where `kubectl logs` shows it, then sleeps until the pod stops it, so that
// `kubectl exec POD -c debug -- nsdebug ...` works. With a terminal it runs the TUI.
#include <signal.h>
#include <sys/auxv.h>
#include <spawn.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/proc/proc_mount.h"
#include "core/base/stop_signals.h"
#include "tools/command.h"
#include "tui/app.h"
#include "tools/output.h"

extern char** environ;

namespace nsdebug::cli {

struct SidecarOptions {
  bool exit_on_quit = false;
};

// The TUI, when stdin and stdout are a terminal (`kubectl attach -it POD -c debug`). It runs
// until the user quits or SIGTERM/SIGINT/SIGHUP arrives (the TUI opens core's StopSignals too:
// one pending signal, read by whichever poll sees it first, the TUI's while it runs) and returns
// 0 or the signal that ended it; the sidecar then waits for a key to run it again (run_sidecar
// below), unless --exit-on-quit. nullopt when the TUI cannot run here (its error printed): the
// sidecar then idles as it does without a terminal.
std::optional<int> sidecar_run_tui(const Context& ctx) {
  tui::AppOptions options;
  options.read_only = ctx.read_only;
  options.entered = ctx.node_mode;
  options.sidecar = true;
  auto r = tui::run_app(options);
  if (!r) {
    print_error(unless_proc_unavailable(r.error()));
    return std::nullopt;  // no TUI here (a terminal it cannot drive): idle as without one
  }
  return *r;  // 0: the user quit; else the signal that ended it
}

namespace {

// The diagnosis runs as child processes of ours (nsdebug doctor, containers, ps): the same
// code and output as those commands, and a crash there cannot take down a PID 1.
int run_self(std::vector<std::string> args) {
  std::fflush(stdout);
  std::vector<char*> argv;
  std::string self = "nsdebug";
  argv.push_back(self.data());
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, dfl;
  sigemptyset(&none);
  sigemptyset(&dfl);
  sigaddset(&dfl, SIGTERM);
  sigaddset(&dfl, SIGINT);
  sigaddset(&dfl, SIGHUP);
  sigaddset(&dfl, SIGCHLD);
  posix_spawnattr_setsigmask(&attr, &none);  // we block them; the child must not
  posix_spawnattr_setsigdefault(&attr, &dfl);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = 0;
  int e = posix_spawn(&pid, "/proc/self/exe", nullptr, &attr, argv.data(), environ);
  // Without procfs on /proc there is no /proc/self/exe: the path we were started by still
  // names us, and the diagnosis then says what is wrong with /proc.
  const char* started_as = reinterpret_cast<const char*>(::getauxval(AT_EXECFN));
  if (e == ENOENT && started_as)
    e = posix_spawn(&pid, started_as, nullptr, &attr, argv.data(), environ);
  posix_spawnattr_destroy(&attr);
  if (e != 0) {
    print_error(Error{e, "nsdebug sidecar: run nsdebug " + args.front(), {}, {}});
    return -1;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

void print_diagnosis(bool pid1) {
  fmt::print("nsdebug {} sidecar: what this container sees\n\n== doctor ==\n", NSDEBUG_VERSION);
  run_self({"doctor"});
  fmt::print("\n== containers ==\n");
  run_self({"containers"});
  fmt::print("\n== processes ==\n");
  run_self({"ps", "--tree"});
  if (pid1)
    fmt::print(
        "\nprocess sharing is off: nsdebug is PID 1 of its own PID namespace, so it sees only "
        "its own container (and reaps its zombies).\n"
        "fix: set `shareProcessNamespace: true` in the pod spec, or debug a running pod with "
        "`kubectl debug -it POD --image=IMAGE --target=CONTAINER -- nsdebug`\n");
  fmt::print(
      "\nidle: run `kubectl exec POD -c CONTAINER -- nsdebug ps` (or any subcommand), or "
      "`kubectl attach -it POD -c CONTAINER` for the TUI\n");
  std::fflush(stdout);
}

// Returns the sidecar's status once stopped, or nullopt on a key (input_fd >= 0).
std::optional<int> idle(StopSignals& signals, int input_fd = -1) {
  auto ev = signals.wait(input_fd);
  if (!ev) {
    print_error(ev.error());
    return 1;
  }
  if (ev->wake == StopSignals::Wake::input) return std::nullopt;
  fmt::print("nsdebug sidecar: SIG{}, exiting\n", sigabbrev_np(ev->signal));
  std::fflush(stdout);
  return 0;
}

// "press any key": the terminal in cbreak mode while we wait, so a key wakes us without Enter,
// and the key is taken (a 'q' must not quit the TUI it starts). nullopt on a key.
std::optional<int> wait_for_key(StopSignals& signals) {
  fmt::print("nsdebug sidecar: press any key for the TUI\n");
  std::fflush(stdout);
  termios saved{};
  bool raw = ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (raw) {
    termios cbreak = saved;
    // ISIG off: a Ctrl-C (or Ctrl-Z, Ctrl-\) typed at the prompt is a key that starts the
    // TUI, not a signal that ends or stops the container's main program.
    cbreak.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO | ISIG));
    cbreak.c_cc[VMIN] = 1;
    cbreak.c_cc[VTIME] = 0;
    ::tcsetattr(STDIN_FILENO, TCSANOW, &cbreak);
  }
  auto stopped = idle(signals, STDIN_FILENO);
  if (!stopped) {
    char key;
    (void)!::read(STDIN_FILENO, &key, 1);
  }
  if (raw) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
  return stopped;
}

int run_sidecar(const SidecarOptions& o, Context& ctx) {
  // Blocked first: a SIGTERM while the diagnosis runs must still end us, not be lost.
  // Reaping too: as PID 1 of its namespace the sidecar is every orphan's parent.
  auto signals = StopSignals::open({.reap_children = true});
  if (!signals) {
    print_error(signals.error());
    return 1;
  }
  bool pid1 = ::getpid() == 1;
  // The diagnosis first, even with a terminal: it is what `kubectl logs` shows, and `kubectl
  // attach` shows nothing until a program draws, so the TUI starts on the first key.
  print_diagnosis(pid1);
  if (::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO)) {
    if (auto stopped = wait_for_key(*signals)) return *stopped;
    while (auto status = sidecar_run_tui(ctx)) {
      if (*status != 0) return 0;  // SIGTERM/SIGINT ended the TUI: the pod is stopping us
      if (o.exit_on_quit) return 0;
      if (auto stopped = wait_for_key(*signals)) return *stopped;
    }
  }
  return idle(*signals).value_or(0);
}

}  // namespace

void setup_sidecar(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<SidecarOptions>();
  auto* sub = app.add_subcommand(
      "sidecar",
      "The image's default command: print a diagnosis, then idle (with a terminal: the TUI) "
      "until SIGTERM, SIGINT or SIGHUP");
  sub->add_flag("--exit-on-quit", o->exit_on_quit,
                "With a terminal: end when the TUI quits, instead of waiting for a key to "
                "start it again");
  sub->callback([o, &ctx] { ctx.exit_code = run_sidecar(*o, ctx); });
}

}  // namespace nsdebug::cli
