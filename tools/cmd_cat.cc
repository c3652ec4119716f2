// nsdebug cat: another container's files on stdout, resolved inside that container's root.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>

#include <map>
#include <memory>

#include <fmt/format.h>

#include "core/files/stream.h"
#include "tools/command.h"
#include "tools/file_access.h"
#include "tools/output.h"

namespace nsdebug::cli {
namespace {

struct CatOptions {
  std::vector<std::string> paths;
  bool force = false;
};

enum class Outcome { kOk, kFailed, kStdoutClosed, kStdoutFailed };

// Opening a FIFO would block or steal another container's data; a device read may have side
// effects (a tape rewinds). Only regular files, unless the user insists.
Result<void> check_type(mode_t mode, const std::string& what, bool force) {
  if (S_ISDIR(mode))
    return fail(EISDIR, what, {}, "to list a directory use: nsdebug ls " + what);
  if (!S_ISREG(mode) && !force)
    return fail(EINVAL, what, "a " + file_type_description(mode) + ", not a regular file",
                "reading it may block or take data from its owner; --force reads it anyway");
  return {};
}

Result<UniqueFd> open_for_cat(const RootedFs& root, const std::string& path,
                              const std::string& what, bool force) {
  auto st = root.stat(path, true);
  if (!st) return std::unexpected(explained(st.error(), root.pid()));
  if (auto ok = check_type(st->st_mode, what, force); !ok) return std::unexpected(ok.error());
  int flags = S_ISREG(st->st_mode) ? O_NONBLOCK : 0;
  auto fd = root.open_file(path, flags);
  if (!fd) return std::unexpected(explained(fd.error(), root.pid()));
  // The path may have been swapped for a FIFO between the stat and the open.
  struct stat now {};
  if (::fstat(fd->get(), &now) == 0 && (now.st_dev != st->st_dev || now.st_ino != st->st_ino))
    return fail(EAGAIN, what, "the file was replaced while opening it", "try again");
  return fd;
}

Outcome cat_one(const TargetPath& tp, std::map<std::string, RootedFs>& roots, bool force) {
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
  auto fd = open_for_cat(it->second, tp.path, what, force);
  if (!fd) {
    fd.error().what = what;
    print_error(fd.error());
    return Outcome::kFailed;
  }
  auto copied = copy_fd(fd->get(), STDOUT_FILENO, what, "stdout");
  if (copied) return Outcome::kOk;
  if (copied.error().code == EPIPE) return Outcome::kStdoutClosed;
  print_error(copied.error());
  return copied.error().what.starts_with("write") ? Outcome::kStdoutFailed : Outcome::kFailed;
}

int run_cat(const CatOptions& o) {
  std::vector<TargetPath> targets;
  for (const auto& arg : o.paths) {
    auto tp = parse_target_path(arg);
    if (!tp) {
      print_error(tp.error());
      return kExitUsage;
    }
    targets.push_back(std::move(*tp));
  }
  // A closed pipe (| head) ends quietly with 0, as cat's readers expect; we see EPIPE, not die.
  ::signal(SIGPIPE, SIG_IGN);
  std::fflush(stdout);
  std::map<std::string, RootedFs> roots;
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
