// nsdebug ls: list another container's directory, owners named from that container's
// /etc/passwd and /etc/group.
#include <dirent.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <ctime>
#include <memory>
#include <unordered_map>

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

struct LsOptions {
  std::string path;
  bool long_format = false;
  bool all = false;
  bool recursive = false;
};

std::string mtime_text(const struct stat& st) {
  std::tm tm{};
  ::localtime_r(&st.st_mtime, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

// An entry whose lstat failed, as GNU ls shows it: the type readdir gave, '?' for the rest.
std::vector<std::string> unknown_row(const DirEntry& e) {
  char type = e.type == DT_DIR ? 'd' : e.type == DT_LNK ? 'l' : e.type == DT_REG ? '-'
            : e.type == DT_CHR ? 'c' : e.type == DT_BLK ? 'b' : e.type == DT_FIFO ? 'p'
            : e.type == DT_SOCK ? 's' : '?';
  return {std::string(1, type) + "?????????", "?", "?", "?", "?", "?", e.name};
}

std::string join(const std::string& dir, const std::string& name) {
  return dir.ends_with('/') ? dir + name : dir + "/" + name;
}

// Devices have no size worth showing: "major, minor" instead, as ls -l prints them.
std::string size_text(const struct stat& st) {
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
    return fmt::format("{}, {}", major(st.st_rdev), minor(st.st_rdev));
  return std::to_string(st.st_size);
}

// The mode as coreutils ls -l shows it: a '+' after it for an ACL beyond the mode bits. The
// entry is opened O_PATH without following, so asking opens no FIFO or device.
std::string mode_text(const RootedFs& root, const std::string& path, const struct stat& st) {
  auto fd = root.open_path(path, false);
  bool acl = fd && has_extended_acl(fd->get(), st.st_mode);
  return file_mode_string(st.st_mode) + (acl ? "+" : "");
}

// `dir` is where the entries are ("" when an entry's name is its whole path).
Table entries_table(const RootedFs& root, const std::string& dir,
                    const std::vector<DirEntry>& entries, const IdTables& names) {
  Table t;
  t.show_headers = false;
  t.headers.assign(7, "");  // print_table sizes its columns by the header row
  t.right_aligned = {false, true, false, false, true, false, false};
  for (const auto& e : entries) {
    if (!e.st) {
      t.rows.push_back(unknown_row(e));
      continue;
    }
    const struct stat& st = *e.st;
    std::string name = e.name;
    if (S_ISLNK(st.st_mode) && e.link_target) name += " -> " + *e.link_target;
    auto path = dir.empty() ? e.name : join(dir, e.name);
    t.rows.push_back({mode_text(root, path, st), std::to_string(st.st_nlink),
                      id_name_or_number(names.users, st.st_uid),
                      id_name_or_number(names.groups, st.st_gid),
                      size_text(st), mtime_text(st), name});
  }
  return t;
}

// Entries ls -l could not describe, one line each (as GNU ls: "cannot access", "cannot read
// symbolic link"); the listing still shows them. Returns whether there was one.
bool report_unknown(const std::vector<DirEntry>& entries) {
  bool any = false;
  for (const auto& e : entries) {
    const Error* err = !e.st ? &e.st.error() : !e.link_target ? &e.link_target.error() : nullptr;
    if (!err) continue;
    // Not explained as a ptrace denial: the root is open, so this is the file's own permission.
    Error shown = *err;
    shown.what = (e.st ? "cannot read symbolic link " : "cannot access ") + shown.what;
    print_error(shown);
    any = true;
  }
  return any;
}

void print_entries(const RootedFs& root, const std::string& dir,
                   const std::vector<DirEntry>& entries, const IdTables& names, bool long_format) {
  if (long_format) {
    print_table(stdout, entries_table(root, dir, entries, names), 0);
    return;
  }
  for (const auto& e : entries) print_line(e.name);  // a target's name: escaped
}

// -R goes into directories, never through symlinks; one that could not be described goes by
// readdir's type, and then says why it cannot be listed, as GNU ls -R does.
bool is_dir(const DirEntry& e) {
  if (e.name == "." || e.name == "..") return false;
  return e.st ? S_ISDIR(e.st->st_mode) : e.type == DT_DIR;
}

// One directory; with -R then its subdirectories (never through symlinks), as ls -R does.
int list_dir(const RootedFs& root, const std::string& path, const LsOptions& o,
             const IdTables& names, bool header) {
  auto entries = root.list(path);
  if (!entries) {
    Error e = root.explained(entries.error());
    print_error(e);
    return 1;
  }
  std::erase_if(*entries, [&](const DirEntry& e) { return !o.all && e.name.starts_with('.'); });
  std::ranges::sort(*entries, {}, &DirEntry::name);
  // Plain names need no lstat (GNU ls does not report them either); -l shows what failed.
  int status = o.long_format && report_unknown(*entries) ? 1 : 0;
  if (header) print_line(path + ":");
  print_entries(root, path, *entries, names, o.long_format);
  if (!o.recursive) return status;
  for (const auto& e : *entries) {
    if (!is_dir(e)) continue;
    fmt::print("\n");
    status |= list_dir(root, join(path, e.name), o, names, true);
  }
  return status;
}

int run_ls(const LsOptions& o) {
  auto tp = parse_target_path(o.path);
  if (!tp) return exit_usage(tp.error());
  auto root = open_target_root(tp->target);
  if (!root) return exit_failure(root.error());
  auto st = root->stat(tp->path, false);
  if (!st) {
    print_error(root->explained(st.error()));
    return 1;
  }
  IdTables names = o.long_format ? read_id_tables(*root) : IdTables{};
  if (!S_ISDIR(st->st_mode)) {
    DirEntry e{tp->path, 0, *st, S_ISLNK(st->st_mode) ? root->readlink(tp->path) : std::string()};
    int status = o.long_format && report_unknown({e}) ? 1 : 0;
    print_entries(*root, "", {e}, names, o.long_format);
    return status;
  }
  return list_dir(*root, tp->path, o, names, o.recursive);
}

}  // namespace

void setup_ls(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<LsOptions>();
  auto* sub = app.add_subcommand(
      "ls", "List a directory of another container, owners named as that container names them");
  sub->add_option("path", o->path, "TARGET:PATH, TARGET a pod PID or a container name")
      ->required();
  sub->add_flag("-l", o->long_format, "Long format: mode, links, owner, group, size, time");
  sub->add_flag("-a,--all", o->all, "Include entries starting with '.'");
  sub->add_flag("-R,--recursive", o->recursive, "List subdirectories too");
  sub->callback([o, &ctx] { ctx.exit_code = run_ls(*o); });
}

}  // namespace nsdebug::cli
