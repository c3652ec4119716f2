// nsdebug tui (and nsdebug with no subcommand on a terminal): the interactive face.
#include <unistd.h>

#include <cmath>
#include <memory>

#include "core/proc/proc_mount.h"
#include "tools/command.h"
#include "tools/output.h"
#include "tui/app.h"

namespace nsdebug::cli {
namespace {

struct TuiOptions {
  double delay_s = 1.5;
  bool read_only = false;
};

// The TUI needs a terminal on both ends; say which one is missing.
std::optional<Error> not_a_terminal() {
  const char* which = !::isatty(STDIN_FILENO) ? "stdin" : !::isatty(STDOUT_FILENO) ? "stdout" : nullptr;
  if (!which) return std::nullopt;
  return Error{ENOTTY, "tui", std::string(which) + " is not a terminal",
               "run it on a terminal (kubectl exec -it, kubectl attach -it, ssh -t); for a listing "
               "without one use: nsdebug ps"};
}

}  // namespace

int run_tui(const TuiOptions& o, Context& ctx) {
  if (auto e = not_a_terminal()) {
    print_error(*e);
    return kExitUsage;
  }
  tui::AppOptions options;
  options.delay = std::chrono::milliseconds(std::lround(o.delay_s * 1000));
  options.read_only = o.read_only || ctx.read_only;
  options.entered = ctx.node_mode;
  auto r = tui::run_app(options);
  if (!r) {
    // No procfs on /proc: the first refresh finds nothing to read, and the fix is the mount.
    print_error(unless_proc_unavailable(r.error()));
    return 1;
  }
  // Ended by SIGTERM, SIGINT or SIGHUP: the status a shell reports for a death by it.
  return *r ? 128 + *r : 0;
}

int run_default_tui(Context& ctx) { return run_tui(TuiOptions{}, ctx); }

void setup_tui(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<TuiOptions>();
  auto* sub = app.add_subcommand(
      "tui", "Interactive view of the pod's processes, containers and files (the default on a "
             "terminal)");
  sub->add_option("--delay", o->delay_s, "Seconds between refreshes (default 1.5)")
      ->check(CLI::Range(0.1, 3600.0));
  sub->add_flag("--read-only", o->read_only, "No kill menu: nothing is signalled");
  sub->callback([o, &ctx] { ctx.exit_code = run_tui(*o, ctx); });
}

}  // namespace nsdebug::cli
