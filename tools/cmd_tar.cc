// nsdebug tar: a tar stream of another container's file or tree, for `| tar x` on the other
// end of kubectl exec; works where the target has no tar (distroless), unlike kubectl cp.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <memory>

#include <fmt/format.h>

#include "core/files/archive.h"
#include "tools/command.h"
#include "tools/file_access.h"
#include "tools/output.h"

namespace nsdebug::cli {
namespace {

struct TarOptions {
  std::string source;
  std::string file;  // empty or "-": stdout
  bool force = false;
};

Result<UniqueFd> open_output(const TarOptions& o) {
  if (o.file.empty() || o.file == "-") return UniqueFd(::dup(STDOUT_FILENO));
  int excl = o.force ? O_TRUNC : O_EXCL;
  UniqueFd fd(::open(o.file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | excl, 0644));
  if (!fd && errno == EEXIST)
    return fail(EEXIST, o.file, {}, "choose a new name, or --force to overwrite it");
  if (!fd) return fail_errno(o.file);
  return fd;
}

int run_tar(const TarOptions& o, const Context& ctx) {
  // In node mode we run inside the pod and hold nothing of the node: not even a file to write.
  if (ctx.node_mode && !(o.file.empty() || o.file == "-")) {
    print_error(Error{0, "tar -f " + o.file, "node mode writes no file from inside the pod",
                      "redirect the stream on the node: nsdebug --pod POD tar TARGET:PATH > " +
                          o.file});
    return kExitUsage;
  }
  if ((o.file.empty() || o.file == "-") && ::isatty(STDOUT_FILENO)) {
    print_error(Error{0, "tar", "refusing to write a tar stream to a terminal",
                      "redirect it (| tar x, > file.tar) or use -f FILE"});
    return kExitUsage;
  }
  auto opened = open_target_path(o.source);
  if (!opened) return opened.error();
  auto& [tp, root] = *opened;
  auto out = open_output(o);
  if (!out) {
    print_error(out.error());
    return 1;
  }
  ::signal(SIGPIPE, SIG_IGN);
  std::string out_name = o.file.empty() ? "stdout" : o.file;
  auto report = write_tar(root, tp.path, out->get(), out_name);
  if (!report) {
    if (report.error().code == EPIPE) return 1;  // the reader went away: the tar is cut short
    print_error(explained(report.error(), root.pid()));
    return 1;
  }
  // Per entry, inside a root already open: a denial is the file's own permission, not ptrace's.
  for (const auto& p : report->problems) print_error(p);
  if (report->problems.empty()) return 0;
  // As GNU tar's "Exiting with failure status": the stream is complete, but not the tree.
  print_error(Error{0, "tar", fmt::format("{} entries stored; {} not stored or stored as changed",
                                          report->entries, report->problems.size()),
                    {}});
  return 1;
}

}  // namespace

void setup_tar(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<TarOptions>();
  auto* sub = app.add_subcommand(
      "tar", "Write a tar stream of a file or tree in another container (TARGET:PATH)");
  sub->add_option("source", o->source, "TARGET:PATH, TARGET a pod PID or a container name")
      ->required();
  sub->add_option("-f,--file", o->file, "Write to FILE instead of stdout");
  sub->add_flag("--force", o->force, "Overwrite an existing FILE");
  sub->callback([o, &ctx] { ctx.exit_code = run_tar(*o, ctx); });
}

}  // namespace nsdebug::cli
