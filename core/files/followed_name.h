#pragma once
// A file followed by its name, by polling, as GNU `tail -F` follows it: the descriptor read from,
// and what happened to the name since the last look (truncated, replaced, gone, back, or now
// something that cannot be followed). Shared by `nsdebug tail -f` and the TUI pager's follow.
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/files/rooted_fs.h"
#include "core/base/unique_fd.h"

namespace nsdebug {

// What GNU tail -F reports, as data; each face words it.
enum class FollowNotice {
  kTruncated,     // "file truncated": read again from the start
  kReplaced,      // "has been replaced; following new file"
  kInaccessible,  // "has become inaccessible: <why>"
  kAppeared,      // "has appeared; following new file"
  kUntailable,    // "has been replaced with an untailable file": <why> (a FIFO, procfs, ...)
};

struct FollowEvent {
  FollowNotice notice;
  std::string why;  // for kInaccessible and kUntailable
};

// The event in GNU tail -F's words, without the file's name: "file truncated", "has been
// replaced; following new file", ... One wording for `nsdebug tail -f` and the TUI pager.
std::string follow_notice_text(const FollowEvent& e);

class FollowedName {
 public:
  // PATH in root, opened as tail and the pager read: a regular file (a FIFO or device is looked
  // at, never opened), not on procfs and the like (refuse_reader_filesystem). Errors name PID:PATH.
  static Result<FollowedName> open(const RootedFs& root, std::string_view path);

  // Up to `length` bytes at `offset` of the file now followed (fewer at its end). The last bytes
  // read are kept: a later look compares them with the file to see it rewritten under us.
  Result<std::string> read(std::uint64_t offset, std::size_t length);
  Result<std::uint64_t> size() const;

  // Before reading on from `offset`: the file got shorter than offset, or the bytes just before
  // offset are no longer those read (truncated and rewritten past offset within one interval,
  // as copytruncate does). Then offset becomes 0.
  std::optional<FollowEvent> check_truncated(std::uint64_t& offset);

  // After reading to the end: the name looked up again. A new regular file there is switched to
  // (offset 0); a missing or untailable name is said once, and the old file kept meanwhile.
  std::optional<FollowEvent> check_name(const RootedFs& root, std::uint64_t& offset);

  // One look, the follow of `nsdebug tail -f` and of the TUI pager alike: check_truncated,
  // then `read_old` reads on in the file still held (tail drains it: a writer may append before
  // rotating; the pager passes none and loses those bytes), then, with `look_at_name`,
  // check_name. Each event is told as it happens, before the bytes read after it. An error is
  // read_old's.
  using Tell = std::function<void(const FollowEvent&)>;
  using ReadOld = std::function<Result<void>(std::uint64_t& offset)>;
  Result<void> look(const RootedFs& root, std::uint64_t& offset, const Tell& tell,
                    const ReadOld& read_old, bool look_at_name = true);

  const std::string& path() const { return path_; }
  int fd() const { return fd_.get(); }

 private:
  enum class State { kOpen, kMissing, kUntailable };
  FollowedName(UniqueFd fd, std::string path, const struct stat& st);
  std::optional<FollowEvent> name_lost(FollowNotice notice, const Error& e);
  UniqueFd fd_;
  std::string path_;
  dev_t dev_;
  ino_t ino_;
  State state_ = State::kOpen;
  std::string lost_why_;         // why the name was last said lost
  std::string last_;             // the last bytes read (at most kKeptBytes)
  std::uint64_t last_end_ = 0;   // the offset just past them
};

}  // namespace nsdebug
