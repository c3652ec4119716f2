#include "core/follow.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/stream.h"

namespace nsdebug {
namespace {

struct OpenFile {
  UniqueFd fd;
  struct stat st {};
};

Result<OpenFile> not_regular(const RootedFs& root, std::string_view path) {
  return fail(EINVAL, fmt::format("{}:{}", root.pid(), path), "not a regular file",
              "tail follows regular files only; a FIFO would take data from its reader");
}

Result<OpenFile> open_regular(const RootedFs& root, std::string_view path) {
  // Looked at before it is opened: opening a device can act on it (a tape rewinds).
  if (auto st = root.stat(path, true); st && !S_ISREG(st->st_mode)) return not_regular(root, path);
  // O_NONBLOCK: a FIFO swapped in at the path since must not hang the open.
  auto fd = root.open_file(path, O_NONBLOCK);
  if (!fd) return std::unexpected(fd.error());
  OpenFile f{std::move(*fd), {}};
  if (::fstat(f.fd.get(), &f.st) < 0) return fail_errno(fmt::format("{}:{}", root.pid(), path));
  if (!S_ISREG(f.st.st_mode)) return not_regular(root, path);
  return f;
}

// Ends when stop_fd or the pidfd becomes readable, or after the interval. Returns which.
FollowEnd wait_a_while(const FollowOptions& o) {
  std::array<pollfd, 2> fds{{{o.stop_fd, POLLIN, 0}, {o.target_pidfd, POLLIN, 0}}};
  int n = ::poll(fds.data(), fds.size(), static_cast<int>(o.interval.count()));
  if (n <= 0) return FollowEnd::kDone;
  if (fds[0].revents) return FollowEnd::kStopped;
  if (fds[1].revents) return FollowEnd::kTargetExited;
  return FollowEnd::kDone;
}

// After draining the open file: the path now names another file (rotated by rename and
// recreate), or the file shrank below our offset (truncated): read from the right place next.
void reopen_if_replaced(const RootedFs& root, std::string_view path, OpenFile& f) {
  auto now = root.stat(path, true);
  // Between a rename and the re-creation the path may be missing: keep the old file for now.
  if (!now) return;
  if (now->st_ino != f.st.st_ino || now->st_dev != f.st.st_dev) {
    auto next = open_regular(root, path);
    if (next) f = std::move(*next);  // else not there yet, or not a file: next round
    return;
  }
  struct stat st {};
  off_t pos = ::lseek(f.fd.get(), 0, SEEK_CUR);
  if (::fstat(f.fd.get(), &st) == 0 && pos > st.st_size) ::lseek(f.fd.get(), 0, SEEK_SET);
}

}  // namespace

Result<std::uint64_t> last_lines_offset(int fd, std::uint64_t size, std::size_t lines) {
  if (lines == 0) return size;
  std::vector<char> buf(64 * 1024);
  std::uint64_t end = size;
  std::size_t seen = 0;
  // A final newline ends the last line; it does not start one.
  bool skip_last = true;
  while (end > 0) {
    std::uint64_t start = end > buf.size() ? end - buf.size() : 0;
    auto len = static_cast<std::size_t>(end - start);
    ssize_t n = ::pread(fd, buf.data(), len, static_cast<off_t>(start));
    if (n < 0) return fail_errno("read");
    if (static_cast<std::size_t>(n) < len) return size;  // shrank under us: no reliable tail
    for (std::size_t i = len; i-- > 0;) {
      if (buf[i] != '\n') {
        skip_last = false;
        continue;
      }
      if (skip_last && start + i == size - 1) continue;
      if (++seen == lines) return start + i + 1;
    }
    end = start;
  }
  return 0;
}

Result<FollowEnd> follow_file(const RootedFs& root, std::string_view path, int out_fd,
                              std::string_view out_name, const FollowOptions& o) {
  std::string what = fmt::format("{}:{}", root.pid(), path);
  auto f = open_regular(root, path);
  if (!f) return std::unexpected(f.error());
  auto from = last_lines_offset(f->fd.get(), static_cast<std::uint64_t>(f->st.st_size), o.lines);
  if (!from) return fail(from.error().code, "read " + what);
  ::lseek(f->fd.get(), static_cast<off_t>(*from), SEEK_SET);
  while (true) {
    auto copied = copy_fd(f->fd.get(), out_fd, what, out_name);
    if (!copied) return std::unexpected(copied.error());
    if (!o.follow) return FollowEnd::kDone;
    FollowEnd why = wait_a_while(o);
    if (why != FollowEnd::kDone) {
      // What was written before the target exited (or before ^C) is still shown.
      auto last = copy_fd(f->fd.get(), out_fd, what, out_name);
      if (!last) return std::unexpected(last.error());
      return why;
    }
    // Drain the old file before switching: a writer may have appended before rotating.
    auto rest = copy_fd(f->fd.get(), out_fd, what, out_name);
    if (!rest) return std::unexpected(rest.error());
    reopen_if_replaced(root, path, *f);
  }
}

}  // namespace nsdebug
