#include "core/walk.h"

#include <limits.h>

#include <algorithm>

#include <fmt/format.h>

namespace nsdebug {
namespace {

std::string join(std::string_view dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  if (dir.back() == '/') return fmt::format("{}{}", dir, name);
  return fmt::format("{}/{}", dir, name);
}

// The entry as the walk hands it on, or why it cannot be: its lstat or readlink failed, or its
// path is too long for any syscall (and for tar to extract).
Result<WalkEntry> walk_entry(const RootedFs& root, const WalkEntry& dir, DirEntry& d) {
  WalkEntry e{join(dir.path, d.name), join(dir.rel, d.name), {}, {}, dir.depth + 1};
  if (e.path.size() >= PATH_MAX)
    return fail(ENAMETOOLONG, fmt::format("{}:{}", root.pid(), e.path),
                fmt::format("path longer than PATH_MAX ({}): skipped with all below it", PATH_MAX));
  if (!d.st) return std::unexpected(d.st.error());
  if (!d.link_target) return std::unexpected(d.link_target.error());
  e.st = *d.st;
  e.link_target = std::move(*d.link_target);
  return e;
}

void walk_dir(const RootedFs& root, const WalkEntry& dir, const WalkHandler& h) {
  auto entries = root.list(dir.path);
  if (!entries) {
    h.problem(entries.error());
    return;
  }
  // Sorted: the same tree gives the same copy order and the same tar stream.
  std::ranges::sort(*entries, {}, &DirEntry::name);
  for (auto& d : *entries) {
    if (d.name == "." || d.name == "..") continue;
    auto e = walk_entry(root, dir, d);
    if (!e) {
      h.problem(e.error());
      continue;
    }
    if (auto ok = h.visit(*e); !ok) {
      h.problem(ok.error());
      continue;
    }
    if (S_ISDIR(e->st.st_mode)) {
      walk_dir(root, *e, h);
      h.leave_dir(*e);
    }
  }
}

}  // namespace

Result<void> walk_tree(const RootedFs& root, std::string_view start, const WalkHandler& h) {
  auto st = root.stat(start, true);
  if (!st) return std::unexpected(st.error());
  WalkEntry top{std::string(start), "", *st, "", 0};
  if (auto ok = h.visit(top); !ok) return std::unexpected(ok.error());
  if (S_ISDIR(st->st_mode)) {
    walk_dir(root, top, h);
    h.leave_dir(top);
  }
  return {};
}

}  // namespace nsdebug
