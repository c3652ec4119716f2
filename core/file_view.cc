#include "core/file_view.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace nsdebug {

Result<FileView> FileView::open(const RootedFs& root, std::string_view path) {
  // O_PATH first: a FIFO or device is examined, not opened (opening a FIFO blocks, a device
  // may act on open).
  auto node = root.open_path(path, true);
  if (!node) return std::unexpected(node.error());
  struct stat st {};
  if (::fstat(node->get(), &st) < 0) return fail_errno(fmt::format("stat {}", path));
  if (!S_ISREG(st.st_mode))
    return fail(EINVAL, std::string(path),
                S_ISDIR(st.st_mode) ? "a directory" : "not a regular file",
                S_ISDIR(st.st_mode) ? "" : "only regular files are shown, never opened otherwise");
  auto fd = root.open_file(path, O_NONBLOCK);
  if (!fd) return std::unexpected(fd.error());
  struct stat opened {};
  // The path may have been swapped for a FIFO between the two opens.
  if (::fstat(fd->get(), &opened) < 0 || !S_ISREG(opened.st_mode))
    return fail(EINVAL, std::string(path), "not a regular file");
  return FileView(std::move(*fd), std::string(path), opened.st_dev, opened.st_ino);
}

Result<std::string> FileView::read(std::uint64_t offset, std::size_t length) const {
  std::string out(length, '\0');
  std::size_t got = 0;
  while (got < length) {
    ssize_t n = ::pread(fd_.get(), out.data() + got, length - got,
                        static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_errno(fmt::format("read {}", path_));
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  return out;
}

Result<std::uint64_t> FileView::size() const {
  struct stat st {};
  if (::fstat(fd_.get(), &st) < 0) return fail_errno(fmt::format("stat {}", path_));
  return static_cast<std::uint64_t>(st.st_size);
}

Result<FollowStep> FileView::poll_once(const RootedFs& root, std::uint64_t offset,
                                       std::size_t limit) {
  FollowStep step;
  auto now = root.stat(path_, true);
  if (now && (now->st_dev != dev_ || now->st_ino != ino_)) {
    auto reopened = open(root, path_);
    if (reopened) {  // else keep the old one: the new file may not be there yet
      *this = std::move(*reopened);
      step.rotated = true;
      offset = 0;
    }
  }
  auto sz = size();
  if (!sz) return std::unexpected(sz.error());
  if (*sz < offset) {
    step.truncated = true;
    offset = 0;
  }
  if (*sz > offset) {
    auto bytes = read(offset, static_cast<std::size_t>(std::min<std::uint64_t>(*sz - offset, limit)));
    if (!bytes) return std::unexpected(bytes.error());
    step.appended = std::move(*bytes);
  }
  return step;
}

}  // namespace nsdebug
