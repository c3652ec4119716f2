#include "core/files/rooted_fs.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <dirent.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <fmt/format.h>

#include "core/proc/access.h"
#include "core/proc/procfs.h"
#include "core/base/sys.h"

namespace nsdebug {
namespace {

constexpr const char* kEnvHint =
    "a process's environment, limits and details: nsdebug env PID, nsdebug inspect PID";

// Filesystems that show the process reading them: procfs (self, other processes by the reader's
// credentials, the reader's own fds), sysfs and its kin (the kernel's and the node's state,
// readable with our privileges). Not cgroupfs: a container's cgroup files are its own.
const char* reader_filesystem_name(std::int64_t type) {
  switch (static_cast<std::uint32_t>(type)) {
    case PROC_SUPER_MAGIC: return "procfs";
    case SYSFS_MAGIC: return "sysfs";
    case DEBUGFS_MAGIC: return "debugfs";
    case TRACEFS_MAGIC: return "tracefs";
    case SECURITYFS_MAGIC: return "securityfs";
    case SELINUX_MAGIC: return "selinuxfs";
    case SMACK_MAGIC: return "smackfs";
    case BPF_FS_MAGIC: return "bpffs";
    case EFIVARFS_MAGIC: return "efivarfs";
    case PSTOREFS_MAGIC: return "pstore";
    case BINFMTFS_MAGIC: return "binfmt_misc";
    case NSFS_MAGIC: return "nsfs";
    case 0x62656570: return "configfs";  // CONFIGFS_MAGIC: not in <linux/magic.h>
    case 0x65735543: return "fusectl";   // FUSE_CTL_SUPER_MAGIC: not in <linux/magic.h>
    default: return nullptr;
  }
}

// ELOOP under RESOLVE_NO_MAGICLINKS is also a plain symlink loop. Resolved again with magic
// links allowed but still scoped (RESOLVE_IN_ROOT), the kernel refuses to jump through one with
// EXDEV (nd_jump_link): so EXDEV here means a magic link was on the way. O_PATH: nothing is
// opened for reading, and a scoped lookup never gets past the magic link anyway.
bool magic_link_on_the_way(int root, const char* path, int extra_flags) {
  auto flags = static_cast<std::uint64_t>(O_PATH | O_CLOEXEC | (extra_flags & O_NOFOLLOW));
  auto fd = sys::openat2(root, path, flags, 0, RESOLVE_IN_ROOT);
  return !fd && fd.error().code == EXDEV;
}

}  // namespace

Result<void> refuse_reader_filesystem(int fd, std::string_view what) {
  struct statfs st {};
  if (::fstatfs(fd, &st) < 0) return fail_errno(std::string(what));
  const char* name = reader_filesystem_name(st.f_type);
  if (!name) return {};
  return fail(EXDEV, std::string(what),
              fmt::format("it lies on {}, which shows the process reading it (nsdebug, with its "
                          "own credentials and environment), not the container; not read",
                          name),
              kEnvHint);
}

Result<RootedFs> RootedFs::open(pid_t pid) {
  auto path = fmt::format("/proc/{}/root", pid);
  UniqueFd fd(::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return fail_errno(fmt::format("open {}", path));
  return RootedFs(pid, std::move(fd));
}

Result<RootedFs> RootedFs::open(const ProcessHandle& process) {
  auto fs = open(process.pid());
  if (process.exited())  // also when the open failed: ENOENT would only say the PID is free
    return fail(ESRCH, fmt::format("open /proc/{}/root", process.pid()), "it has exited");
  if (!fs) return fs;
  fs->pidfd_ = UniqueFd(::fcntl(process.fd(), F_DUPFD_CLOEXEC, 0));
  if (!fs->pidfd_) return fail_errno("dup pidfd");
  return fs;
}

RootedFs RootedFs::adopt(pid_t pid, UniqueFd root, UniqueFd pidfd) {
  RootedFs fs(pid, std::move(root));
  fs.pidfd_ = std::move(pidfd);
  return fs;
}

Result<UniqueFd> RootedFs::open_file(std::string_view path, int extra_flags) const {
  std::string p(path.empty() ? "/" : path);
  constexpr std::uint64_t kResolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  // openat2 rejects O_PATH combined with anything but O_CLOEXEC, O_DIRECTORY, O_NOFOLLOW.
  int base = (extra_flags & O_PATH) ? O_CLOEXEC : O_RDONLY | O_CLOEXEC | O_NOCTTY;
  auto flags = static_cast<std::uint64_t>(base | extra_flags);
  auto fd = sys::openat2(root_.get(), p.c_str(), flags, 0, kResolve);
  std::string what = fmt::format("{}:{}", pid_, p);
  if (!fd && fd.error().code == ELOOP && magic_link_on_the_way(root_.get(), p.c_str(), extra_flags))
    return fail(EXDEV, what,
                "a magic link of /proc (PID/root, PID/cwd, PID/exe, PID/fd/N) is on the way: it "
                "leads to whatever the reading process holds, out of the container; not followed",
                kEnvHint);
  if (!fd) {
    fd.error().what = what;
    return std::unexpected(fd.error());
  }
  if (extra_flags & (O_PATH | O_DIRECTORY)) return fd;  // nothing of the file's content is read
  if (auto ok = refuse_reader_filesystem(fd->get(), what); !ok) return std::unexpected(ok.error());
  return fd;
}

Result<std::string> RootedFs::read_small(std::string_view path, std::size_t limit) const {
  std::string what = fmt::format("{}:{}", pid_, path);
  auto file = open_regular(*this, path, what);
  if (!file && file.error().refusal == OpenRefusal::kFailed)
    return std::unexpected(file.error().error);
  if (!file && file.error().refusal != OpenRefusal::kReplaced)
    return fail(EINVAL, what, "not a regular file");
  if (!file) return std::unexpected(file.error().error);
  auto text = read_fd(file->fd.get(), limit);
  if (!text) text.error().what = what;
  return text;
}

Error RootedFs::explained(Error e) const { return explain(std::move(e), pid_); }

Result<struct stat> RootedFs::describe(int fd) const {
  struct stat st {};
  if (::fstat(fd, &st) < 0) return fail_errno(fmt::format("{}:fd {}", pid_, fd));
  return st;
}

namespace {

// readlinkat(2) into a string; "" with AT_EMPTY_PATH semantics when name is empty.
Result<std::string> read_link_at(int dirfd, const char* name) {
  std::string buf(256, '\0');
  while (true) {
    ssize_t n = ::readlinkat(dirfd, name, buf.data(), buf.size());
    if (n < 0) return fail_errno("readlink");
    if (static_cast<std::size_t>(n) < buf.size()) {
      buf.resize(static_cast<std::size_t>(n));
      return buf;
    }
    buf.resize(buf.size() * 2);
  }
}

}  // namespace

Result<UniqueFd> RootedFs::open_path(std::string_view path, bool follow) const {
  // O_PATH ignores O_RDONLY; with O_NOFOLLOW it yields the final symlink itself.
  return open_file(path, O_PATH | (follow ? 0 : O_NOFOLLOW));
}

Result<struct stat> RootedFs::stat(std::string_view path, bool follow) const {
  auto fd = open_path(path, follow);
  if (!fd) return std::unexpected(fd.error());
  struct stat st {};
  if (::fstatat(fd->get(), "", &st, AT_EMPTY_PATH) < 0)
    return fail_errno(fmt::format("{}:{}", pid_, path));
  return st;
}

Result<std::string> RootedFs::readlink(std::string_view path) const {
  auto fd = open_path(path, false);
  if (!fd) return std::unexpected(fd.error());
  auto target = read_link_at(fd->get(), "");
  if (!target) target.error().what = fmt::format("{}:{}", pid_, path);
  return target;
}

namespace {

// One name in an open directory, never followed: no walk that could leave the root.
DirEntry describe_entry(int dirfd, const dirent& d, const std::string& what) {
  DirEntry e{d.d_name, d.d_type, {}, std::string()};
  struct stat st {};
  if (::fstatat(dirfd, d.d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
    e.st = fail_errno(what);
    return e;
  }
  e.st = st;
  if (S_ISLNK(st.st_mode)) {
    e.link_target = read_link_at(dirfd, d.d_name);
    if (!e.link_target) e.link_target.error().what = what;
  }
  return e;
}

}  // namespace

Result<std::vector<DirEntry>> RootedFs::list(std::string_view path) const {
  auto fd = open_file(path, O_DIRECTORY);
  if (!fd) return std::unexpected(fd.error());
  // fdopendir owns the fd it is given; the O_PATH-free dirfd stays ours for the fstatat calls.
  int dup = ::fcntl(fd->get(), F_DUPFD_CLOEXEC, 0);
  DIR* dir = dup < 0 ? nullptr : ::fdopendir(dup);
  if (!dir) {
    if (dup >= 0) ::close(dup);
    return fail_errno(fmt::format("{}:{}", pid_, path));
  }
  std::string prefix = fmt::format("{}:{}", pid_, path.empty() ? "/" : path);
  if (!prefix.ends_with('/')) prefix += '/';
  std::vector<DirEntry> entries;
  errno = 0;
  while (dirent* d = ::readdir(dir)) {
    entries.push_back(describe_entry(fd->get(), *d, prefix + d->d_name));
    errno = 0;
  }
  int err = errno;
  ::closedir(dir);
  if (err) return fail(err, fmt::format("{}:{}", pid_, path));
  return entries;
}

Result<std::string> RootedFs::path_of(int fd) const {
  // The kernel prints an fd's path from our root; the target's root prints as some prefix of it
  // (its mount as we see it), which we strip.
  auto root = read_link_at(AT_FDCWD, fmt::format("/proc/self/fd/{}", root_.get()).c_str());
  auto file = read_link_at(AT_FDCWD, fmt::format("/proc/self/fd/{}", fd).c_str());
  if (!root || !file) return fail(root ? file.error().code : root.error().code, "path_of");
  if (*root == "/") return *file;
  if (file->starts_with(*root) && (file->size() == root->size() || (*file)[root->size()] == '/'))
    return file->size() == root->size() ? std::string("/") : file->substr(root->size());
  return fail(EXDEV, "path_of", "outside the root as seen from here");
}

}  // namespace nsdebug
