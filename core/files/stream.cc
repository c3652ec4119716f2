#include "core/files/stream.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "core/base/sys.h"

namespace nsdebug {
namespace {

constexpr std::size_t kChunk = std::size_t{1} << 20;

// Errors sendfile reports for the destination; anything else we blame on the source.
bool is_write_error(int code) {
  return code == EPIPE || code == ENOSPC || code == EDQUOT || code == EFBIG || code == EBADF;
}

StreamResult<std::uint64_t> read_write_loop(int in_fd, int out_fd, std::string_view in_name,
                                      std::string_view out_name) {
  std::array<char, 128 * 1024> buf;
  std::uint64_t total = 0;
  while (true) {
    ssize_t n = ::read(in_fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return source_failed(errno, in_name);
    if (n == 0) return total;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = ::write(out_fd, buf.data() + off, static_cast<std::size_t>(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return sink_failed(errno, out_name);
      off += w;
    }
    total += static_cast<std::uint64_t>(n);
  }
}

// Up to `len` bytes from in_fd's offset to out_fd's offset; fewer when in_fd ends first.
StreamResult<std::uint64_t> copy_range(int in_fd, int out_fd, std::uint64_t len,
                                 std::string_view in_name, std::string_view out_name) {
  std::uint64_t done = 0;
  while (done < len) {
    auto n = sys::sendfile(out_fd, in_fd, static_cast<std::size_t>(std::min<std::uint64_t>(
                                             kChunk, len - done)));
    if (!n && is_write_error(n.error().code))
      return sink_failed(n.error().code, out_name);
    if (!n) return source_failed(n.error().code, in_name);
    if (*n == 0) break;  // shrank while being copied
    done += *n;
  }
  return done;
}

}  // namespace

std::unexpected<StreamError> source_failed(int code, std::string_view in_name) {
  StreamError e;
  e.code = code;
  e.what = fmt::format("read {}", in_name);
  return std::unexpected(std::move(e));
}

std::unexpected<StreamError> sink_failed(int code, std::string_view out_name) {
  StreamError e;
  e.code = code;
  e.what = fmt::format("write {}", out_name);
  e.end = StreamEnd::kSink;
  return std::unexpected(std::move(e));
}

StreamResult<std::uint64_t> write_bytes(int out_fd, std::string_view bytes,
                                        std::string_view out_name) {
  for (std::size_t off = 0; off < bytes.size();) {
    ssize_t n = ::write(out_fd, bytes.data() + off, bytes.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sink_failed(errno, out_name);
    off += static_cast<std::size_t>(n);
  }
  return bytes.size();
}

StreamResult<std::uint64_t> copy_sparse(int in_fd, int out_fd, std::string_view in_name,
                                  std::string_view out_name) {
  std::uint64_t total = 0;
  off_t pos = 0;
  while (true) {
    off_t data = ::lseek(in_fd, pos, SEEK_DATA);
    if (data < 0 && errno == ENXIO) break;  // no data after pos: the rest is a hole
    off_t hole = data < 0 ? -1 : ::lseek(in_fd, data, SEEK_HOLE);
    if (hole < 0 || ::lseek(in_fd, data, SEEK_SET) < 0)
      return source_failed(errno, in_name);
    if (::lseek(out_fd, data, SEEK_SET) < 0) return sink_failed(errno, out_name);
    auto n = copy_range(in_fd, out_fd, static_cast<std::uint64_t>(hole - data), in_name, out_name);
    if (!n) return std::unexpected(n.error());
    total += *n;
    pos = hole;
  }
  // A hole at the end has no extent to write: the length says it.
  struct stat st {};
  if (::fstat(in_fd, &st) < 0) return source_failed(errno, in_name);
  if (::ftruncate(out_fd, st.st_size) < 0) return sink_failed(errno, out_name);
  return total;
}

StreamResult<std::uint64_t> copy_fd(int in_fd, int out_fd, std::string_view in_name,
                              std::string_view out_name) {
  std::uint64_t total = 0;
  while (true) {
    auto n = sys::sendfile(out_fd, in_fd, kChunk);
    if (n && *n == 0) return total;
    if (n) {
      total += *n;
      continue;
    }
    int code = n.error().code;
    // EINVAL/ENOSYS before any byte moved: this pair cannot sendfile (O_APPEND output, a FIFO
    // source, an old kernel's tty); the plain loop can.
    if ((code == EINVAL || code == ENOSYS) && total == 0)
      return read_write_loop(in_fd, out_fd, in_name, out_name);
    if (is_write_error(code)) return sink_failed(code, out_name);
    return source_failed(code, in_name);
  }
}

}  // namespace nsdebug
