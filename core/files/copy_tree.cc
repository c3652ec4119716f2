#include "core/files/copy_tree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "core/proc/procfs.h"
#include "core/files/stream.h"
#include "core/files/walk.h"

namespace nsdebug {
namespace {

// Ownership is not copied, so setuid/setgid would grant our user's rights: dropped, as cp does.
constexpr mode_t kKeptBits = 01777;

std::string kind_of(mode_t mode) {
  if (S_ISREG(mode)) return "regular file";
  if (S_ISDIR(mode)) return "directory";
  if (S_ISLNK(mode)) return "symbolic link";
  if (S_ISCHR(mode)) return "character device";
  if (S_ISBLK(mode)) return "block device";
  if (S_ISFIFO(mode)) return "FIFO";
  if (S_ISSOCK(mode)) return "socket";
  return "special file";
}

class Copier {
 public:
  Copier(const RootedFs& root, UniqueFd parent, std::string dest, bool force)
      : root_(root), parent_(std::move(parent)), dest_(std::move(dest)), force_(force) {}

  Result<void> visit(const WalkEntry& e) {
    if (S_ISDIR(e.st.st_mode)) return make_dir(e);
    if (S_ISLNK(e.st.st_mode)) return make_link(e);
    if (S_ISREG(e.st.st_mode)) return copy_file(e);
    return fail(EINVAL, e.path,
                fmt::format("a {}, not a regular file, directory or symlink: not copied",
                            kind_of(e.st.st_mode)));
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
  // DEST's entry for e, relative to DEST's parent: where a later hard link finds it.
  std::string rel_to_parent(const WalkEntry& e) const {
    auto top = std::filesystem::path(dest_).filename().string();
    return e.rel.empty() ? top : top + "/" + e.rel;
  }

  Result<std::optional<struct stat>> existing(const WalkEntry& e) const;
  Result<void> make_dir(const WalkEntry& e);
  Result<void> make_link(const WalkEntry& e);
  Result<void> copy_file(const WalkEntry& e);
  Result<bool> link_to_earlier(const WalkEntry& e);
  Result<UniqueFd> open_dest(const WalkEntry& e, const std::optional<struct stat>& old);

  const RootedFs& root_;
  UniqueFd parent_;
  std::string dest_;
  bool force_;
  std::vector<UniqueFd> dirs_;  // by depth: the destination directories being filled
  // Files with more than one link, by source (dev, ino): the copy's path for later links.
  std::map<std::pair<dev_t, ino_t>, std::string> linked_;
  CopyReport report_;
};

// What is already at e's place in DEST (nothing: nullopt), when it may stay there: with --force
// a regular file for a regular file (overwritten in place) and a directory for a directory
// (merged). Anything else is refused: nsdebug never unlinks what it did not create, and never
// writes through a symlink, into a FIFO or onto a device.
Result<std::optional<struct stat>> Copier::existing(const WalkEntry& e) const {
  struct stat st {};
  if (::fstatat(parent_fd(e), name_of(e).c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
    if (errno == ENOENT) return std::nullopt;
    return fail_errno(dest_of(e));
  }
  if (!force_) return fail(EEXIST, dest_of(e), {}, "choose a new name, or --force to overwrite it");
  auto want = e.st.st_mode & S_IFMT;
  if ((st.st_mode & S_IFMT) == want && (S_ISREG(want) || S_ISDIR(want))) return st;
  return fail(EEXIST, dest_of(e),
              fmt::format("exists as a {}: not replaced", kind_of(st.st_mode)),
              "--force only overwrites regular files and merges directories; remove it "
              "yourself or choose another DEST");
}

Result<void> Copier::make_dir(const WalkEntry& e) {
  auto old = existing(e);
  if (!old) return std::unexpected(old.error());
  int parent = parent_fd(e);
  auto name = name_of(e);
  if (!*old && ::mkdirat(parent, name.c_str(), 0700) < 0) return fail_errno(dest_of(e));
  // O_NOFOLLOW: a symlink swapped in where the directory goes is not a way out of DEST.
  UniqueFd fd(::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) return fail_errno(dest_of(e));
  dirs_.resize(static_cast<std::size_t>(e.depth) + 1);
  dirs_.back() = std::move(fd);
  ++report_.dirs;
  return {};
}

// A symlink already at DEST saying the same (a copy made before) is this copy.
bool same_link(int dirfd, const std::string& name, const std::string& target) {
  std::string old(target.size() + 1, '\0');
  ssize_t n = ::readlinkat(dirfd, name.c_str(), old.data(), old.size());
  return n == static_cast<ssize_t>(target.size()) && old.compare(0, target.size(), target) == 0;
}

Result<void> Copier::make_link(const WalkEntry& e) {
  auto name = name_of(e);
  if (::symlinkat(e.link_target.c_str(), parent_fd(e), name.c_str()) < 0) {
    if (errno != EEXIST) return fail_errno(dest_of(e));
    if (!force_ || !same_link(parent_fd(e), name, e.link_target)) {
      // Not ours to replace: existing() says why (a symlink is never one it lets stay).
      auto old = existing(e);
      return old ? fail(EEXIST, dest_of(e)) : std::unexpected(old.error());
    }
  }
  const timespec times[2] = {e.st.st_atim, e.st.st_mtim};
  ::utimensat(parent_fd(e), name.c_str(), times, AT_SYMLINK_NOFOLLOW);
  ++report_.links;
  return {};
}

// A later link to a file already copied in this run becomes a link to that copy, as cp -a and
// GNU tar keep them. Returns whether it did.
Result<bool> Copier::link_to_earlier(const WalkEntry& e) {
  if (e.st.st_nlink < 2) return false;
  auto it = linked_.find({e.st.st_dev, e.st.st_ino});
  if (it == linked_.end()) return false;
  if (::linkat(parent_.get(), it->second.c_str(), parent_fd(e), name_of(e).c_str(), 0) < 0)
    return fail_errno(dest_of(e));
  ++report_.hard_links;
  return true;
}

Result<UniqueFd> Copier::open_dest(const WalkEntry& e, const std::optional<struct stat>& old) {
  auto name = name_of(e);
  if (!old) {
    UniqueFd out(::openat(parent_fd(e), name.c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out) return fail_errno(dest_of(e));
    return out;
  }
  // Overwritten in place, never unlinked; O_NONBLOCK and the recheck: a FIFO or device swapped
  // in since existing() looked is neither waited on nor written.
  UniqueFd out(::openat(parent_fd(e), name.c_str(),
                        O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  struct stat now {};
  if (!out || ::fstat(out.get(), &now) < 0) return fail_errno(dest_of(e));
  if (!S_ISREG(now.st_mode) || now.st_ino != old->st_ino || now.st_dev != old->st_dev)
    return fail(EAGAIN, dest_of(e), "replaced while copying onto it: not written");
  if (::ftruncate(out.get(), 0) < 0) return fail_errno(dest_of(e));
  return out;
}

// How a file's content is copied. Pseudo files (cgroup files and the like) say size 0 and make
// their content on read: read whole before DEST is touched, so that a read that fails leaves no
// empty DEST. One with a size but whose llseek knows no SEEK_DATA: read to its end. Any other:
// its data extents, so that holes stay holes.
enum class How { kExtents, kToEnd, kWhole };

How how_to_copy(int fd, const struct stat& st) {
  if (st.st_size == 0) return How::kWhole;
  if (::lseek(fd, 0, SEEK_DATA) < 0 && errno != ENXIO) return How::kToEnd;
  return How::kExtents;
}

// Bounded: a file that says size 0 and never ends must not fill our disk.
constexpr std::size_t kWholeLimit = std::size_t{64} << 20;

Result<std::string> read_whole(int fd, const std::string& path) {
  auto text = read_fd(fd, kWholeLimit + 1);
  if (!text) return fail(text.error().code, path, "reading it: not copied");
  if (text->size() > kWholeLimit)
    return fail(EFBIG, path, "its size says 0 but reading it gave more than 64 MiB: not copied");
  return text;
}

Result<std::uint64_t> fill(How how, int src, int out, const std::string& whole,
                           const std::string& from, const std::string& to) {
  if (how == How::kWhole) return write_bytes(out, whole, to);
  if (how == How::kToEnd) return copy_fd(src, out, from, to);
  return copy_sparse(src, out, from, to);
}

// A copy that failed part-way leaves no DEST behind that looks like a good copy: the file it
// created is removed, if it is still the one it created.
void remove_created(int dirfd, const std::string& name, int out) {
  struct stat mine {}, there {};
  if (::fstat(out, &mine) == 0 &&
      ::fstatat(dirfd, name.c_str(), &there, AT_SYMLINK_NOFOLLOW) == 0 &&
      mine.st_dev == there.st_dev && mine.st_ino == there.st_ino)
    ::unlinkat(dirfd, name.c_str(), 0);
}

Result<void> Copier::copy_file(const WalkEntry& e) {
  auto old = existing(e);
  if (!old) return std::unexpected(old.error());
  if (!*old) {
    auto linked = link_to_earlier(e);
    if (!linked) return std::unexpected(linked.error());
    if (*linked) return {};
  }
  // The very file the walk described, opened relative to its parent, never through a symlink.
  auto src = open_entry(root_, e);
  if (!src) return std::unexpected(src.error());
  struct stat now {};
  if (::fstat(src->get(), &now) < 0) return fail_errno(e.path);
  How how = how_to_copy(src->get(), now);
  std::string whole;
  if (how == How::kWhole) {
    auto text = read_whole(src->get(), e.path);
    if (!text) return std::unexpected(text.error());
    whole = std::move(*text);
  }
  auto out = open_dest(e, *old);
  if (!out) return std::unexpected(out.error());
  auto n = fill(how, src->get(), out->get(), whole, e.path, dest_of(e));
  if (!n) {
    if (!*old) remove_created(parent_fd(e), name_of(e), out->get());
    return std::unexpected(n.error());
  }
  const timespec times[2] = {now.st_atim, now.st_mtim};
  if (::fchmod(out->get(), now.st_mode & kKeptBits) < 0 || ::futimens(out->get(), times) < 0)
    return fail_errno(dest_of(e));
  if (e.st.st_nlink > 1) linked_.try_emplace({e.st.st_dev, e.st.st_ino}, rel_to_parent(e));
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
  // DEST itself is checked by the first visit: refused, nothing is walked.
  Copier copier(root, std::move(parent), dest, force);
  WalkHandler h{[&](const WalkEntry& e) { return copier.visit(e); },
                [&](const WalkEntry& e) { copier.leave_dir(e); },
                [&](Error e) { copier.report().problems.push_back(std::move(e)); }};
  if (auto ok = walk_tree(root, start, h); !ok) return std::unexpected(ok.error());
  return std::move(copier.report());
}

}  // namespace nsdebug
