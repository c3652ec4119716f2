#pragma once
// A file in another container's root opened once for a pager (the TUI): ranged reads, and a
// follow that polls once per call, so an event loop decides when to look (`less +F`). Followed
// by name as `nsdebug tail -f` follows it (core/files/followed_name.h). Read-only, resolved as
// `nsdebug cat` resolves paths (RootedFs), procfs and the like refused.
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"
#include "core/files/followed_name.h"
#include "core/files/rooted_fs.h"

namespace nsdebug {

struct FollowStep {
  std::string appended;    // bytes added since the offset asked about (from 0 after a restart)
  bool truncated = false;  // the file got shorter or was rewritten (copytruncate): read from 0
  bool rotated = false;    // the path now names another file: this view was reopened on it
  std::vector<FollowEvent> events;  // what happened, in order, as tail -f says it
};

class FileView {
 public:
  // Regular files only: a FIFO or device is refused (EINVAL) without being opened for reading.
  static Result<FileView> open(const RootedFs& root, std::string_view path);
  // Up to `length` bytes at `offset` (fewer at the end).
  Result<std::string> read(std::uint64_t offset, std::size_t length);
  Result<std::uint64_t> size() const { return file_.size(); }
  // One look: what was appended past `offset` (at most `limit` bytes), or that the file was
  // truncated or replaced (then this view follows the new file, from its start).
  Result<FollowStep> poll_once(const RootedFs& root, std::uint64_t offset, std::size_t limit);
  const std::string& path() const { return file_.path(); }

 private:
  explicit FileView(FollowedName file) : file_(std::move(file)) {}
  FollowedName file_;
};

}  // namespace nsdebug
