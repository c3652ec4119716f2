// nsdebug cp: a file or a tree out of another container, read through its root; kubectl cp
// without a tar in the target.
#include <memory>

#include <fmt/format.h>

#include "core/copy_tree.h"
#include "tools/command.h"
#include "tools/file_access.h"
#include "tools/output.h"

namespace nsdebug::cli {
namespace {

struct CpOptions {
  std::string source;
  std::string dest;
  bool force = false;
  bool verbose = false;
};

int run_cp(const CpOptions& o) {
  auto opened = open_target_path(o.source);
  if (!opened) return opened.error();
  auto& [tp, root] = *opened;
  auto report = copy_out(root, tp.path, o.dest, o.force);
  if (!report) {
    print_error(explained(report.error(), root.pid()));
    return 1;
  }
  // Per entry, inside a root already open: a denial is the file's own permission, not ptrace's.
  for (const auto& p : report->problems) print_error(p);
  if (o.verbose)
    fmt::print(stderr,
               "copied {} files ({} bytes), {} hard links, {} directories, {} symlinks; "
               "{} not copied\n",
               report->files, report->bytes, report->hard_links, report->dirs, report->links,
               report->problems.size());
  return report->problems.empty() ? 0 : 1;
}

}  // namespace

void setup_cp(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<CpOptions>();
  auto* sub = app.add_subcommand(
      "cp", "Copy a file or directory tree out of another container (TARGET:PATH DEST)");
  sub->add_option("source", o->source, "TARGET:PATH, TARGET a pod PID or a container name")
      ->required();
  sub->add_option("dest", o->dest, "The name the copy gets here")->required();
  sub->add_flag("--force", o->force, "Overwrite an existing DEST (files replaced, dirs merged)");
  sub->add_flag("-v,--verbose", o->verbose, "Say how much was copied, on stderr");
  sub->callback([o, &ctx] { ctx.exit_code = run_cp(*o); });
}

}  // namespace nsdebug::cli
