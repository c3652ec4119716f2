#include "core/copy_tree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>

#include "core/stream.h"
#include "core/walk.h"

namespace nsdebug {
namespace {

// Ownership is not copied, so setuid/setgid would grant our user's rights: dropped, as cp does.
constexpr mode_t kKeptBits = 01777;

class Copier {
 public:
  Copier(const RootedFs& root, UniqueFd parent, std::string dest, bool force)
      : root_(root), parent_(std::move(parent)), dest_(std::move(dest)), force_(force) {}

  Result<void> visit(const WalkEntry& e) {
    if (S_ISDIR(e.st.st_mode)) return make_dir(e);
    if (S_ISLNK(e.st.st_mode)) return make_link(e);
    if (S_ISREG(e.st.st_mode)) return copy_file(e);
    return fail(EINVAL, e.path, "not a regular file, directory or symlink: not copied");
  }

  void leave_dir(const WalkEntry& e) {
    auto& fd = dirs_.at(static_cast<std::size_t>(e.depth));
    const timespec times[2] = {e.st.st_atim, e.st.st_mtim};
    // After its contents: a read-only directory's mode would have kept them out.
    if (::fchmod(fd.get(), e.st.st_mode & kKeptBits) < 0 || ::futimens(fd.get(), times) < 0)
      report_.problems.push_back(Error{errno, dest_of(e), "setting mode and times", {}});
    fd.reset();
  }

  CopyReport& report() { return report_; }

 private:
  int parent_fd(const WalkEntry& e) const {
    return e.depth == 0 ? parent_.get() : dirs_.at(static_cast<std::size_t>(e.depth - 1)).get();
  }
  std::string name_of(const WalkEntry& e) const {
    if (e.depth == 0) return std::filesystem::path(dest_).filename().string();
    return std::filesystem::path(e.rel).filename().string();
  }
  std::string dest_of(const WalkEntry& e) const {
    return e.rel.empty() ? dest_ : dest_ + "/" + e.rel;
  }
  // With --force an existing non-directory gives way; without, creating it fails with EEXIST.
  void clear_for(const WalkEntry& e) {
    if (force_) ::unlinkat(parent_fd(e), name_of(e).c_str(), 0);
  }

  Result<void> make_dir(const WalkEntry& e) {
    int parent = parent_fd(e);
    auto name = name_of(e);
    if (::mkdirat(parent, name.c_str(), 0700) < 0 && !(errno == EEXIST && force_))
      return fail_errno(dest_of(e));
    // O_NOFOLLOW: an existing symlink where the directory goes is not a way out of DEST.
    UniqueFd fd(::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) return fail_errno(dest_of(e));
    dirs_.resize(static_cast<std::size_t>(e.depth) + 1);
    dirs_.back() = std::move(fd);
    ++report_.dirs;
    return {};
  }

  Result<void> make_link(const WalkEntry& e) {
    clear_for(e);
    auto name = name_of(e);
    if (::symlinkat(e.link_target.c_str(), parent_fd(e), name.c_str()) < 0)
      return fail_errno(dest_of(e));
    const timespec times[2] = {e.st.st_atim, e.st.st_mtim};
    ::utimensat(parent_fd(e), name.c_str(), times, AT_SYMLINK_NOFOLLOW);
    ++report_.links;
    return {};
  }

  Result<void> copy_file(const WalkEntry& e);

  const RootedFs& root_;
  UniqueFd parent_;
  std::string dest_;
  bool force_;
  std::vector<UniqueFd> dirs_;  // by depth: the destination directories being filled
  CopyReport report_;
};

Result<void> Copier::copy_file(const WalkEntry& e) {
  // The start was named by the user and may be a symlink; below it nothing is followed.
  auto src = root_.open_file(e.path, O_NONBLOCK | (e.depth > 0 ? O_NOFOLLOW : 0));
  if (!src) return std::unexpected(src.error());
  struct stat now {};
  if (::fstat(src->get(), &now) < 0 || !S_ISREG(now.st_mode) || now.st_ino != e.st.st_ino)
    return fail(EAGAIN, e.path, "replaced while copying it");
  clear_for(e);
  auto name = name_of(e);
  UniqueFd out(::openat(parent_fd(e), name.c_str(),
                        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!out) return fail_errno(dest_of(e));
  auto n = copy_fd(src->get(), out.get(), e.path, dest_of(e));
  if (!n) return std::unexpected(n.error());
  const timespec times[2] = {now.st_atim, now.st_mtim};
  if (::fchmod(out.get(), now.st_mode & kKeptBits) < 0 || ::futimens(out.get(), times) < 0)
    return fail_errno(dest_of(e));
  ++report_.files;
  report_.bytes += *n;
  return {};
}

}  // namespace

Result<CopyReport> copy_out(const RootedFs& root, std::string_view start, const std::string& dest,
                            bool force) {
  std::filesystem::path d(dest);
  if (d.filename().empty() || d.filename() == "." || d.filename() == "..")
    return fail(EINVAL, dest, "DEST must name the copy", "e.g. ./nginx-conf");
  auto parent_path = d.parent_path().empty() ? std::filesystem::path(".") : d.parent_path();
  UniqueFd parent(::open(parent_path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!parent) return fail_errno(parent_path.string());
  struct stat st {};
  if (!force && ::fstatat(parent.get(), d.filename().c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0)
    return fail(EEXIST, dest, {}, "choose a new name, or --force to overwrite it");
  Copier copier(root, std::move(parent), dest, force);
  WalkHandler h{[&](const WalkEntry& e) { return copier.visit(e); },
                [&](const WalkEntry& e) { copier.leave_dir(e); },
                [&](Error e) { copier.report().problems.push_back(std::move(e)); }};
  if (auto ok = walk_tree(root, start, h); !ok) return std::unexpected(ok.error());
  return std::move(copier.report());
}

}  // namespace nsdebug
