// nsdebug tail: the end of a file in another container, and with -f what is appended to it,
// followed by name as GNU tail -F follows it (truncation, rotation, disappearance and return,
// each said on stderr), until ^C, SIGTERM or the target's exit.
#include <signal.h>

#include <memory>

#include <fmt/format.h>

#include "core/base/stop_signals.h"
#include "core/files/follow.h"
#include "core/base/sys.h"
#include "tools/command.h"
#include "tools/output.h"
#include "tools/target.h"

namespace nsdebug::cli {
namespace {

struct TailOptions {
  std::string path;
  std::size_t lines = 10;
  bool follow = false;
};

int run_tail(const TailOptions& o) {
  auto tp = parse_target_path(o.path);
  if (!tp) return exit_usage(tp.error());
  auto root = open_target_root(tp->target);
  if (!root) return exit_failure(root.error());
  std::string what = tp->target.name + ":" + tp->path;
  FollowOptions fo;
  fo.lines = o.lines;
  fo.follow = o.follow;
  // Following ends on a stop signal (core/base/stop_signals.h): we exit 0 having flushed what
  // we read, instead of dying mid-write.
  std::optional<StopSignals> stop;
  if (o.follow) {
    auto opened_stop = StopSignals::open();
    if (!opened_stop) return exit_failure(opened_stop.error());
    stop.emplace(std::move(*opened_stop));
    fo.target_pidfd = root->pidfd();  // taken before the root was opened: never a recycled PID
    fo.stop_fd = stop->fd();
    // As GNU tail -F: each event on stderr as it happens, the bytes on stdout after it.
    fo.on_event = [what](const FollowEvent& e) {
      print_error(Error{0, what, follow_notice_text(e), {}});
    };
  }
  ::signal(SIGPIPE, SIG_IGN);
  std::fflush(stdout);
  auto end = follow_file(*root, tp->path, STDOUT_FILENO, "stdout", fo);
  if (end) return 0;
  bool stdout_failed = end.error().end == StreamEnd::kSink;
  if (stdout_failed && end.error().code == EPIPE) return 0;  // | head: ends quietly, as tail does
  Error e = root->explained(std::move(end.error()));
  if (!stdout_failed) e.what = what;
  return exit_failure(e);
}

}  // namespace

void setup_tail(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<TailOptions>();
  auto* sub = app.add_subcommand(
      "tail", "Print the end of a file in another container; -f follows it across rotation");
  sub->add_option("path", o->path, "TARGET:PATH, TARGET a pod PID or a container name")
      ->required();
  sub->add_option("-n,--lines", o->lines, "Start with the last N lines (default 10)");
  sub->add_flag("-f,--follow", o->follow,
                "Keep printing what is appended, reopening a rotated or truncated file, until "
                "interrupted or the target exits");
  sub->callback([o, &ctx] { ctx.exit_code = run_tail(*o); });
}

}  // namespace nsdebug::cli
