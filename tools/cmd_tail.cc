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
#include "tools/file_access.h"
#include "tools/output.h"

namespace nsdebug::cli {
namespace {

struct TailOptions {
  std::string path;
  std::size_t lines = 10;
  bool follow = false;
};

int run_tail(const TailOptions& o) {
  auto opened = open_target_path(o.path);
  if (!opened) return opened.error();
  auto& [tp, root] = *opened;
  FollowOptions fo;
  fo.lines = o.lines;
  fo.follow = o.follow;
  // Following ends on a stop signal (core/base/stop_signals.h): we exit 0 having flushed what
  // we read, instead of dying mid-write.
  std::optional<StopSignals> stop;
  if (o.follow) {
    auto opened_stop = StopSignals::open();
    if (!opened_stop) return print_error(opened_stop.error()), 1;
    stop.emplace(std::move(*opened_stop));
    fo.target_pidfd = root.pidfd();  // taken before the root was opened: never a recycled PID
    fo.stop_fd = stop->fd();
    // As GNU tail -F: each event on stderr as it happens, the bytes on stdout after it.
    fo.on_event = [name = tp.target.name + ":" + tp.path](const FollowEvent& e) {
      print_error(Error{0, name, follow_notice_text(e), {}});
    };
  }
  ::signal(SIGPIPE, SIG_IGN);
  std::fflush(stdout);
  auto end = follow_file(root, tp.path, STDOUT_FILENO, "stdout", fo);
  if (end) return 0;
  if (end.error().code == EPIPE) return 0;  // | head: ends quietly, as tail does
  Error e = explained(end.error(), root.pid());
  if (!e.what.starts_with("write")) e.what = tp.target.name + ":" + tp.path;
  print_error(e);
  return 1;
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
