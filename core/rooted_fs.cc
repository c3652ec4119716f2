#include "core/rooted_fs.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>

#include <fmt/format.h>

#include "core/procfs.h"
#include "core/sys.h"

namespace nsdebug {

Result<RootedFs> RootedFs::open(pid_t pid) {
  auto path = fmt::format("/proc/{}/root", pid);
  UniqueFd fd(::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return fail_errno(fmt::format("open {}", path));
  return RootedFs(pid, std::move(fd));
}

Result<UniqueFd> RootedFs::open_file(std::string_view path, int extra_flags) const {
  std::string p(path.empty() ? "/" : path);
  constexpr std::uint64_t kResolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  auto flags = static_cast<std::uint64_t>(O_RDONLY | O_CLOEXEC | O_NOCTTY | extra_flags);
  auto fd = sys::openat2(root_.get(), p.c_str(), flags, 0, kResolve);
  if (!fd) {
    fd.error().what = fmt::format("{}:{}", pid_, p);
    return std::unexpected(fd.error());
  }
  return fd;
}

Result<std::string> RootedFs::read_small(std::string_view path, std::size_t limit) const {
  // O_NONBLOCK: opening a FIFO planted at /etc/passwd must not hang us.
  auto fd = open_file(path, O_NONBLOCK);
  if (!fd) return std::unexpected(fd.error());
  struct stat st {};
  if (::fstat(fd->get(), &st) < 0) return fail_errno(fmt::format("{}:{}", pid_, path));
  if (!S_ISREG(st.st_mode))
    return fail(EINVAL, fmt::format("{}:{}", pid_, path), "not a regular file");
  auto text = read_fd(fd->get(), limit);
  if (!text) text.error().what = fmt::format("{}:{}", pid_, path);
  return text;
}

}  // namespace nsdebug
