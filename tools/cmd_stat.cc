// nsdebug stat: one file of another container, and what its path resolved to in that root.
#include <fcntl.h>
#include <sys/sysmacros.h>

#include <ctime>
#include <memory>

#include <fmt/format.h>

#include "core/containers/identity.h"
#include "core/proc/proc_parse.h"
#include "core/files/file_mode.h"
#include "core/files/rooted_fs.h"
#include "tools/command.h"
#include "tools/output.h"
#include "tools/target.h"

namespace nsdebug::cli {
namespace {

struct StatOptions {
  std::string path;
};

std::string id_text(const IdNames& names, std::uint32_t id) {
  const std::string* name = find_id_name(names, id);
  return name ? fmt::format("{} ({})", id, *name) : std::to_string(id);
}

// "2026-12-01 07:00:00.123456789 +0000", nanoseconds as coreutils stat prints them.
std::string time_text(const struct timespec& ts) {
  std::tm tm{};
  ::localtime_r(&ts.tv_sec, &tm);
  char day[32], zone[16];
  std::strftime(day, sizeof day, "%Y-%m-%d %H:%M:%S", &tm);
  std::strftime(zone, sizeof zone, "%z", &tm);
  return fmt::format("{}.{:09} {}", day, ts.tv_nsec, zone);
}

// Where the path ends up once every symlink is followed inside the root.
std::string resolved(const RootedFs& root, const std::string& path) {
  auto fd = root.open_path(path, true);
  if (!fd) return fmt::format("(does not resolve: {})", fd.error().reason());
  return root.path_of(fd->get()).value_or("?");
}

void print_stat(const RootedFs& root, const std::string& what, const std::string& path,
                const struct stat& st) {
  // Names, link targets and owners are the target's bytes: escaped.
  auto esc = [](std::string_view raw) { return escape_for_terminal(raw); };
  fmt::print("  File: {}", esc(what));
  if (S_ISLNK(st.st_mode)) fmt::print(" -> {}", esc(root.readlink(path).value_or("?")));
  fmt::print("\n  Resolved: {}\n", esc(resolved(root, path)));
  fmt::print("  Type: {}\n  Size: {}\n", file_type_description(st.st_mode), st.st_size);
  // Blocks as st_blocks counts them (512 bytes each), as coreutils stat's Blocks.
  fmt::print("  Blocks: {}  IO Block: {}\n", st.st_blocks, st.st_blksize);
  fmt::print("  Mode: {:04o} ({})\n", st.st_mode & 07777, file_mode_string(st.st_mode));
  IdTables names = read_id_tables(root);
  fmt::print("  Owner: {}\n  Group: {}\n", esc(id_text(names.users, st.st_uid)),
             esc(id_text(names.groups, st.st_gid)));
  fmt::print("  Inode: {}  Links: {}  Device: {},{}", st.st_ino, st.st_nlink, major(st.st_dev),
             minor(st.st_dev));
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
    fmt::print("  Device type: {},{}", major(st.st_rdev), minor(st.st_rdev));
  fmt::print("\n");
  fmt::print("  Access: {}\n  Modify: {}\n  Change: {}\n", time_text(st.st_atim),
             time_text(st.st_mtim), time_text(st.st_ctim));
}

int run_stat(const StatOptions& o) {
  auto tp = parse_target_path(o.path);
  if (!tp) return exit_usage(tp.error());
  auto root = open_target_root(tp->target);
  if (!root) return exit_failure(root.error());
  auto st = root->stat(tp->path, false);
  if (!st) {
    Error e = root->explained(st.error());
    e.what = o.path;
    print_error(e);
    return 1;
  }
  print_stat(*root, o.path, tp->path, *st);
  return 0;
}

}  // namespace

void setup_stat(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<StatOptions>();
  auto* sub = app.add_subcommand(
      "stat", "Describe a file of another container and where its path resolves in that root");
  sub->add_option("path", o->path, "TARGET:PATH, TARGET a pod PID or a container name")
      ->required();
  sub->callback([o, &ctx] { ctx.exit_code = run_stat(*o); });
}

}  // namespace nsdebug::cli
