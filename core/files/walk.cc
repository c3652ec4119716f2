#include "core/files/walk.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "core/base/sys.h"

namespace nsdebug {
namespace {

std::string join(std::string_view dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  if (dir.back() == '/') return fmt::format("{}{}", dir, name);
  return fmt::format("{}/{}", dir, name);
}

std::string where(const RootedFs& root, const std::string& path) {
  return fmt::format("{}:{}", root.pid(), path);
}

// The names in an open directory, "." and ".." left out, sorted: the same tree gives the same
// copy order and the same tar stream. The stream is read through a duplicate and closed here,
// so a walk holds one descriptor per level, not a DIR buffer too.
Result<std::vector<std::string>> names_in(int dirfd, const std::string& what) {
  int dup = ::fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
  DIR* dir = dup < 0 ? nullptr : ::fdopendir(dup);
  if (!dir) {
    if (dup >= 0) ::close(dup);
    return fail_errno(what);
  }
  std::vector<std::string> names;
  errno = 0;
  while (dirent* d = ::readdir(dir)) {
    std::string_view n = d->d_name;
    if (n != "." && n != "..") names.emplace_back(n);
    errno = 0;
  }
  int err = errno;
  ::closedir(dir);
  if (err) return fail(err, what);
  std::ranges::sort(names);
  return names;
}

// A symlink's target as written, read through its own O_PATH descriptor.
Result<std::string> link_target_of(int fd, const std::string& what) {
  std::string buf(256, '\0');
  while (true) {
    ssize_t n = ::readlinkat(fd, "", buf.data(), buf.size());
    if (n < 0) return fail_errno(what);
    if (static_cast<std::size_t>(n) < buf.size()) {
      buf.resize(static_cast<std::size_t>(n));
      return buf;
    }
    buf.resize(buf.size() * 2);
  }
}

// Fills e.st (and e.link_target) from the entry's own descriptor.
Result<void> describe(int fd, WalkEntry& e, const std::string& what) {
  if (::fstat(fd, &e.st) < 0) return fail_errno(what);
  if (!S_ISLNK(e.st.st_mode)) return {};
  auto target = link_target_of(fd, what);
  if (!target) return std::unexpected(target.error());
  e.link_target = std::move(*target);
  return {};
}

// The directory the walk described (through `path_fd`, its O_PATH descriptor), opened for
// reading. "." from that descriptor is the same inode whatever its name has become since, but
// needs search permission on the directory itself; without it (a directory we may list but not
// enter), it is opened by name as a listing by path would be, never through a symlink, and must
// still be the directory the walk described.
Result<UniqueFd> open_dir(const RootedFs& root, const WalkEntry& e, int path_fd) {
  auto what = where(root, e.path);
  UniqueFd fd(::openat(path_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd) return fd;
  if (errno != EACCES) return fail_errno(what);
  if (e.parent_fd >= 0) {
    fd = UniqueFd(::openat(e.parent_fd, e.name.c_str(),
                           O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) return fail_errno(what);
  } else {
    auto opened = root.open_file(e.path, O_DIRECTORY);
    if (!opened) return std::unexpected(opened.error());
    fd = std::move(*opened);
  }
  struct stat now {};
  if (::fstat(fd.get(), &now) < 0) return fail_errno(what);
  if (now.st_dev != e.st.st_dev || now.st_ino != e.st.st_ino)
    return fail(EAGAIN, what, "replaced while walking it: not entered");
  return fd;
}

void walk_dir(const RootedFs& root, const WalkEntry& dir, int dirfd, const WalkHandler& h);

// One entry of the directory open as `dirfd`: opened without following, described, visited,
// and entered when it is a directory.
void walk_entry(const RootedFs& root, const WalkEntry& dir, int dirfd, const std::string& name,
                const WalkHandler& h) {
  WalkEntry e{join(dir.path, name), join(dir.rel, name), {}, {}, dir.depth + 1, dirfd, name};
  auto what = where(root, e.path);
  // Too long for any path syscall later (and for tar to extract): left out with all below it.
  if (e.path.size() >= PATH_MAX)
    return h.problem(Error{ENAMETOOLONG, what,
                           fmt::format("path longer than PATH_MAX ({}): skipped with all below "
                                       "it", PATH_MAX), {}});
  UniqueFd fd(::openat(dirfd, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) return h.problem(Error{errno, what, {}, {}});
  if (auto ok = describe(fd.get(), e, what); !ok) return h.problem(ok.error());
  if (auto ok = h.visit(e); !ok) return h.problem(ok.error());
  if (!S_ISDIR(e.st.st_mode)) return;
  auto sub = open_dir(root, e, fd.get());
  fd.reset();
  if (!sub) {
    h.problem(sub.error());
  } else {
    walk_dir(root, e, sub->get(), h);
  }
  h.leave_dir(e);
}

void walk_dir(const RootedFs& root, const WalkEntry& dir, int dirfd, const WalkHandler& h) {
  auto names = names_in(dirfd, where(root, dir.path));
  if (!names) return h.problem(names.error());
  for (const auto& name : *names) walk_entry(root, dir, dirfd, name, h);
}

}  // namespace

Result<void> walk_tree(const RootedFs& root, std::string_view start, const WalkHandler& h) {
  // One descriptor per level of the tree: room for a deep one.
  sys::raise_open_file_limit();
  WalkEntry top{std::string(start), "", {}, "", 0, -1, ""};
  auto fd = root.open_path(start, true);
  if (!fd) return std::unexpected(fd.error());
  if (auto ok = describe(fd->get(), top, where(root, top.path)); !ok) return ok;
  if (auto ok = h.visit(top); !ok) return ok;
  if (S_ISDIR(top.st.st_mode)) {
    auto dir = open_dir(root, top, fd->get());
    if (!dir) return std::unexpected(dir.error());
    fd->reset();
    walk_dir(root, top, dir->get(), h);
    h.leave_dir(top);
  }
  return {};
}

Result<UniqueFd> open_entry(const RootedFs& root, const WalkEntry& e) {
  constexpr int kFlags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
  auto what = where(root, e.path);
  UniqueFd fd;
  if (e.parent_fd < 0) {
    auto opened = root.open_file(e.path, O_NONBLOCK);
    if (!opened) return std::unexpected(opened.error());
    fd = std::move(*opened);
  } else {
    fd = UniqueFd(::openat(e.parent_fd, e.name.c_str(), kFlags | O_NOFOLLOW));
    if (!fd) return fail_errno(what);
  }
  // Below the root the walk opens by descriptor, not through RootedFs::open_file: the same
  // refusal of procfs, sysfs and their kin, here.
  if (auto ok = refuse_reader_filesystem(fd.get(), what); !ok) return std::unexpected(ok.error());
  struct stat now {};
  if (::fstat(fd.get(), &now) < 0) return fail_errno(what);
  if (!S_ISREG(now.st_mode) || now.st_dev != e.st.st_dev || now.st_ino != e.st.st_ino)
    return fail(EAGAIN, what, "replaced while reading it");
  return fd;
}

}  // namespace nsdebug
