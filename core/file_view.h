#pragma once
// A file in another container's root opened once for a pager (the TUI): ranged reads, and a
// follow that polls once per call, so an event loop decides when to look (`less +F`).
// Read-only, resolved as `nsdebug cat` resolves paths (RootedFs).
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/rooted_fs.h"
#include "core/unique_fd.h"

namespace nsdebug {

struct FollowStep {
  std::string appended;    // bytes added since the offset asked about
  bool truncated = false;  // the file got shorter (copytruncate): read again from 0
  bool rotated = false;    // the path now names another file: this view was reopened on it
};

class FileView {
 public:
  // Regular files only: a FIFO or device is refused (EINVAL) without being opened for reading.
  static Result<FileView> open(const RootedFs& root, std::string_view path);
  // Up to `length` bytes at `offset` (fewer at the end).
  Result<std::string> read(std::uint64_t offset, std::size_t length) const;
  Result<std::uint64_t> size() const;
  // One look: what was appended past `offset` (at most `limit` bytes), or that the file was
  // truncated or replaced (then this view follows the new file, from its start).
  Result<FollowStep> poll_once(const RootedFs& root, std::uint64_t offset, std::size_t limit);
  const std::string& path() const { return path_; }

 private:
  FileView(UniqueFd fd, std::string path, dev_t dev, ino_t ino)
      : fd_(std::move(fd)), path_(std::move(path)), dev_(dev), ino_(ino) {}
  UniqueFd fd_;
  std::string path_;
  dev_t dev_;
  ino_t ino_;
};

}  // namespace nsdebug
