// nsdebug cat: another container's files on stdout, resolved inside that container's root.
#include <signal.h>
#include <unistd.h>

#include <map>
#include <memory>

#include <fmt/format.h>

#include "core/files/file_mode.h"
#include "core/files/rooted_fs.h"
#include "core/files/stream.h"
#include "tools/cat.h"
#include "tools/command.h"
#include "tools/output.h"
#include "tools/target.h"

namespace nsdebug::cli {
namespace {

struct CatOptions {
  std::vector<std::string> paths;
  bool force = false;
};

enum class Outcome { kOk, kFailed, kStdoutClosed, kStdoutFailed };

// One target's root per name, reached once however many of its files are asked for.
using Roots = std::map<std::string, RootedFs>;

Outcome cat_one(const TargetPath& tp, Roots& roots, bool force) {
  std::string what = tp.target.name + ":" + tp.path;
  auto it = roots.find(tp.target.name);
  if (it == roots.end()) {
    auto root = open_target_root(tp.target);
    if (!root) {
      print_error(root.error());
      return Outcome::kFailed;
    }
    it = roots.emplace(tp.target.name, std::move(*root)).first;
  }
  auto file = open_for_cat(it->second, tp.path, what, force);
  if (!file) {
    print_error(file.error());
    return Outcome::kFailed;
  }
  auto copied = copy_fd(file->get(), STDOUT_FILENO, what, "stdout");
  if (copied) return Outcome::kOk;
  bool stdout_failed = copied.error().end == StreamEnd::kSink;
  if (stdout_failed && copied.error().code == EPIPE) return Outcome::kStdoutClosed;
  print_error(copied.error());
  return stdout_failed ? Outcome::kStdoutFailed : Outcome::kFailed;
}

int run_cat(const CatOptions& o) {
  std::vector<TargetPath> targets;
  for (const auto& arg : o.paths) {
    auto tp = parse_target_path(arg);
    if (!tp) return exit_usage(tp.error());
    targets.push_back(std::move(*tp));
  }
  // A closed pipe (| head) ends quietly with 0, as cat's readers expect; we see EPIPE, not die.
  ::signal(SIGPIPE, SIG_IGN);
  std::fflush(stdout);
  Roots roots;
  int status = 0;
  for (const auto& tp : targets) {
    Outcome r = cat_one(tp, roots, o.force);
    if (r == Outcome::kStdoutClosed) return status;
    if (r == Outcome::kStdoutFailed) return 1;
    if (r == Outcome::kFailed) status = 1;
  }
  return status;
}

}  // namespace

// Opening a FIFO would block or steal another container's data; a device read may have side
// effects (a tape rewinds). Only regular files, unless the user insists.
Result<UniqueFd> open_for_cat(const FileLookup& fs, std::string_view path,
                              const std::string& what, bool force) {
  auto file = open_regular(fs, path, what, force);
  if (file) return std::move(file->fd);
  Error e = std::move(file.error().error);
  e.what = what;
  switch (file.error().refusal) {
    case OpenRefusal::kDirectory:
      return fail(EISDIR, what, {}, "to list a directory use: nsdebug ls " + what);
    case OpenRefusal::kNotRegular:
      return fail(EINVAL, what,
                  "a " + file_type_description(file.error().mode) + ", not a regular file",
                  "reading it may block or take data from its owner; --force reads it anyway");
    case OpenRefusal::kReplaced: e.hint = "try again"; break;
    case OpenRefusal::kFailed: break;
  }
  return std::unexpected(std::move(e));
}

void setup_cat(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<CatOptions>();
  auto* sub = app.add_subcommand(
      "cat", "Print files of another container, resolved inside its root (TARGET:PATH)");
  sub->add_option("paths", o->paths, "TARGET:PATH, TARGET a pod PID or a container name")
      ->required();
  sub->add_flag("--force", o->force, "Also read FIFOs, sockets and devices");
  sub->callback([o, &ctx] { ctx.exit_code = run_cat(*o); });
}

}  // namespace nsdebug::cli
