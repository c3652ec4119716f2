// nsdebug cp: a file or a tree out of another container, read through its root; kubectl cp
// without a tar in the target.
#include <memory>

#include <fmt/format.h>

#include "core/files/copy_tree.h"
#include "core/node/pod_channel.h"
#include "core/files/rooted_fs.h"
#include "tools/command.h"
#include "tools/output.h"
#include "tools/target.h"

namespace nsdebug::cli {
namespace {

struct CpOptions {
  std::string source;
  std::string dest;
  bool force = false;
  bool verbose = false;
};

int copy_and_report(const RootedFs& root, const std::string& path, const std::string& dest,
                    bool force, bool verbose, bool explain) {
  auto report = copy_out(root, path, dest, force);
  if (!report) {
    print_error(explain ? root.explained(report.error()) : report.error());
    return 1;
  }
  // Per entry, inside a root already open: a denial is the file's own permission, not ptrace's.
  for (const auto& p : report->problems) print_error(p);
  if (verbose)
    fmt::print(stderr,
               "copied {} files ({} bytes), {} hard links, {} directories, {} symlinks; "
               "{} not copied\n",
               report->files, report->bytes, report->hard_links, report->dirs, report->links,
               report->problems.size());
  return report->problems.empty() ? 0 : 1;
}

// Node mode: the pod side reached the target and opened its root; DEST is written by the
// node side (which holds the node's files), from those descriptors.
int hand_to_node(const Context& ctx, const RootedFs& root, const std::string& path,
                 const CpOptions& o) {
  std::string fields[] = {std::to_string(root.pid()), path, o.dest, o.force ? "1" : "0",
                          o.verbose ? "1" : "0"};
  int fds[] = {root.fd(), root.pidfd()};
  if (auto r = send_pod_message(ctx.node_channel.get(), PodMessage::kCopy, join_fields(fields),
                                fds);
      !r) {
    print_error(r.error());
    return 1;
  }
  auto answer = receive_pod_message(ctx.node_channel.get());
  if (!answer || answer->kind != PodMessage::kStatus) {
    print_error(answer ? Error{EPROTO, "cp", "no answer from the node side", {}} : answer.error());
    return 1;
  }
  return std::atoi(answer->body.c_str());
}

int run_cp(const CpOptions& o, const Context& ctx) {
  auto tp = parse_target_path(o.source);
  if (!tp) return exit_usage(tp.error());
  auto root = open_target_root(tp->target);
  if (!root) return exit_failure(root.error());
  if (ctx.node_mode) return hand_to_node(ctx, *root, tp->path, o);
  return copy_and_report(*root, tp->path, o.dest, o.force, o.verbose, true);
}

}  // namespace

// A root opened in the pod, whose PIDs are not ours: a failure is not explained from our /proc.
int copy_on_node(CopyRequest& r) {
  auto root = RootedFs::adopt(r.pid, std::move(r.root), std::move(r.pidfd));
  return copy_and_report(root, r.path, r.dest, r.force, r.verbose, false);
}

void setup_cp(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<CpOptions>();
  auto* sub = app.add_subcommand(
      "cp", "Copy a file or directory tree out of another container (TARGET:PATH DEST)");
  sub->add_option("source", o->source, "TARGET:PATH, TARGET a pod PID or a container name")
      ->required();
  sub->add_option("dest", o->dest, "The name the copy gets here")->required();
  sub->add_flag("--force", o->force, "Overwrite an existing DEST (files replaced, dirs merged)");
  sub->add_flag("-v,--verbose", o->verbose, "Say how much was copied, on stderr");
  sub->callback([o, &ctx] { ctx.exit_code = run_cp(*o, ctx); });
}

}  // namespace nsdebug::cli
