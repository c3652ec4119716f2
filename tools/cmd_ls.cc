// nsdebug ls: list another container's directory, owners named from that container's
// /etc/passwd and /etc/group.
#include <algorithm>
#include <ctime>
#include <memory>
#include <unordered_map>

#include <fmt/format.h>

#include "core/proc_parse.h"
#include "tools/command.h"
#include "tools/file_access.h"
#include "tools/output.h"

namespace nsdebug::cli {
namespace {

struct LsOptions {
  std::string path;
  bool long_format = false;
  bool all = false;
  bool recursive = false;
};

using IdNames = std::unordered_map<std::uint32_t, std::string>;

struct Names {
  IdNames users, groups;
};

// The target's own tables: in a busybox sidecar uid 101 has no name, in nginx it is "nginx".
Names names_in(const RootedFs& root) {
  Names n;
  if (auto t = root.read_small("/etc/passwd")) n.users = parse_id_names(*t);
  if (auto t = root.read_small("/etc/group")) n.groups = parse_id_names(*t);
  return n;
}

std::string name_of(const IdNames& names, std::uint32_t id) {
  auto it = names.find(id);
  return it == names.end() ? std::to_string(id) : it->second;
}

std::string mtime_text(const struct stat& st) {
  std::tm tm{};
  ::localtime_r(&st.st_mtime, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

Table entries_table(const std::vector<DirEntry>& entries, const Names& names) {
  Table t;
  t.show_headers = false;
  t.headers.assign(7, "");  // print_table sizes its columns by the header row
  t.right_aligned = {false, true, false, false, true, false, false};
  for (const auto& e : entries) {
    std::string name = e.name;
    if (S_ISLNK(e.st.st_mode)) name += " -> " + e.link_target;
    t.rows.push_back({mode_string(e.st.st_mode), std::to_string(e.st.st_nlink),
                      name_of(names.users, e.st.st_uid), name_of(names.groups, e.st.st_gid),
                      std::to_string(e.st.st_size), mtime_text(e.st), name});
  }
  return t;
}

void print_entries(const std::vector<DirEntry>& entries, const Names& names, bool long_format) {
  if (long_format) {
    print_table(stdout, entries_table(entries, names), 0);
    return;
  }
  for (const auto& e : entries) print_line(e.name);  // a target's name: escaped
}

std::string join(const std::string& dir, const std::string& name) {
  return dir.ends_with('/') ? dir + name : dir + "/" + name;
}

// One directory; with -R then its subdirectories (never through symlinks), as ls -R does.
int list_dir(const RootedFs& root, const std::string& path, const LsOptions& o,
             const Names& names, bool header) {
  auto entries = root.list(path);
  if (!entries) {
    Error e = explained(entries.error(), root.pid());
    print_error(e);
    return 1;
  }
  std::erase_if(*entries, [&](const DirEntry& e) { return !o.all && e.name.starts_with('.'); });
  std::ranges::sort(*entries, {}, &DirEntry::name);
  if (header) print_line(path + ":");
  print_entries(*entries, names, o.long_format);
  int status = 0;
  if (!o.recursive) return status;
  for (const auto& e : *entries) {
    if (!S_ISDIR(e.st.st_mode) || e.name == "." || e.name == "..") continue;
    fmt::print("\n");
    status |= list_dir(root, join(path, e.name), o, names, true);
  }
  return status;
}

int run_ls(const LsOptions& o) {
  auto opened = open_target_path(o.path);
  if (!opened) return opened.error();
  auto& [tp, root] = *opened;
  auto st = root.stat(tp.path, false);
  if (!st) {
    print_error(explained(st.error(), root.pid()));
    return 1;
  }
  Names names = o.long_format ? names_in(root) : Names{};
  if (!S_ISDIR(st->st_mode)) {
    DirEntry e{tp.path, *st, S_ISLNK(st->st_mode) ? root.readlink(tp.path).value_or("") : ""};
    print_entries({e}, names, o.long_format);
    return 0;
  }
  return list_dir(root, tp.path, o, names, o.recursive);
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
