#include "core/files/follow.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/files/stream.h"

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

// Everything from offset to the file's end, through FollowedName::read so that the bytes last
// read are kept to see a rewrite (sendfile would not show them to us).
StreamResult<void> drain(FollowedName& f, std::uint64_t& offset, int out_fd,
                         const std::string& what, std::string_view out_name) {
  while (true) {
    auto size = f.size();  // asked first: no 128 KiB buffer for every quiet interval
    if (!size) return source_failed(size.error().code, what);
    if (*size <= offset) return {};
    auto bytes = f.read(offset, static_cast<std::size_t>(std::min<std::uint64_t>(
                                    *size - offset, 128 * 1024)));
    if (!bytes) return source_failed(bytes.error().code, what);
    if (bytes->empty()) return {};
    if (auto ok = write_bytes(out_fd, *bytes, out_name); !ok) return std::unexpected(ok.error());
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

StreamResult<FollowEnd> follow_file(const RootedFs& root, std::string_view path, int out_fd,
                                    std::string_view out_name, const FollowOptions& o) {
  std::string what = fmt::format("{}:{}", root.pid(), path);
  auto f = FollowedName::open(root, path);
  if (!f) return std::unexpected(StreamError{f.error(), StreamEnd::kSource});
  auto size = f->size();
  if (!size) return std::unexpected(StreamError{size.error(), StreamEnd::kSource});
  auto from = last_lines_offset(f->fd(), *size, o.lines);
  if (!from) return source_failed(from.error().code, what);
  std::uint64_t offset = *from;
  StreamResult<void> drained;
  auto read_on = [&](std::uint64_t& at) -> Result<void> {
    drained = drain(*f, at, out_fd, what, out_name);
    if (!drained) return std::unexpected(drained.error());
    return {};
  };
  if (!read_on(offset)) return std::unexpected(drained.error());
  if (!o.follow) return FollowEnd::kDone;
  auto tell = [&](const FollowEvent& e) {
    if (o.on_event) o.on_event(e);
  };
  while (true) {
    FollowEnd why = wait_a_while(o);
    // What was written before the target exited (or before ^C) is still shown, and the old file
    // is drained before switching: a writer may have appended before rotating.
    if (!f->look(root, offset, tell, read_on, why == FollowEnd::kDone))
      return std::unexpected(drained.error());
    if (why != FollowEnd::kDone) return why;
    if (!read_on(offset)) return std::unexpected(drained.error());  // a new file: at once
  }
}

}  // namespace nsdebug
