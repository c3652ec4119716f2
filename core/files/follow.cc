#include "core/files/follow.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace nsdebug {
namespace {

// Ends when stop_fd or the pidfd becomes readable, or after the interval. Returns which.
FollowEnd wait_a_while(const FollowOptions& o) {
  std::array<pollfd, 2> fds{{{o.stop_fd, POLLIN, 0}, {o.target_pidfd, POLLIN, 0}}};
  int n = ::poll(fds.data(), fds.size(), static_cast<int>(o.interval.count()));
  if (n <= 0) return FollowEnd::kDone;
  if (fds[0].revents) return FollowEnd::kStopped;
  if (fds[1].revents) return FollowEnd::kTargetExited;
  return FollowEnd::kDone;
}

Result<void> write_all(int fd, std::string_view bytes, std::string_view out_name) {
  while (!bytes.empty()) {
    ssize_t w = ::write(fd, bytes.data(), bytes.size());
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return fail_errno(fmt::format("write {}", out_name));
    bytes.remove_prefix(static_cast<std::size_t>(w));
  }
  return {};
}

// Everything from offset to the file's end, through FollowedName::read so that the bytes last
// read are kept to see a rewrite (sendfile would not show them to us).
Result<void> drain(FollowedName& f, std::uint64_t& offset, int out_fd, const std::string& what,
                   std::string_view out_name) {
  while (true) {
    auto size = f.size();  // asked first: no 128 KiB buffer for every quiet interval
    if (!size) return fail(size.error().code, "read " + what);
    if (*size <= offset) return {};
    auto bytes = f.read(offset, static_cast<std::size_t>(std::min<std::uint64_t>(
                                    *size - offset, 128 * 1024)));
    if (!bytes) return fail(bytes.error().code, "read " + what);
    if (bytes->empty()) return {};
    if (auto ok = write_all(out_fd, *bytes, out_name); !ok) return ok;
    offset += bytes->size();
  }
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
  auto f = FollowedName::open(root, path);
  if (!f) return std::unexpected(f.error());
  auto size = f->size();
  if (!size) return std::unexpected(size.error());
  auto from = last_lines_offset(f->fd(), *size, o.lines);
  if (!from) return fail(from.error().code, "read " + what);
  std::uint64_t offset = *from;
  auto tell = [&](std::optional<FollowEvent> e) {
    if (e && o.on_event) o.on_event(*e);
  };
  if (auto ok = drain(*f, offset, out_fd, what, out_name); !ok) return std::unexpected(ok.error());
  if (!o.follow) return FollowEnd::kDone;
  while (true) {
    FollowEnd why = wait_a_while(o);
    // Before reading on: a copytruncate rewritten past our offset reads as appended bytes.
    tell(f->check_truncated(offset));
    // What was written before the target exited (or before ^C) is still shown, and the old file
    // is drained before switching: a writer may have appended before rotating.
    if (auto ok = drain(*f, offset, out_fd, what, out_name); !ok) return std::unexpected(ok.error());
    if (why != FollowEnd::kDone) return why;
    auto e = f->check_name(root, offset);
    tell(e);
    if (e && offset == 0) {
      if (auto ok = drain(*f, offset, out_fd, what, out_name); !ok)
        return std::unexpected(ok.error());
    }
  }
}

}  // namespace nsdebug
