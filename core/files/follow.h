#pragma once
// tail and tail -f of a file inside another container's root: the last lines, then what is
// appended, followed by name as GNU `tail -F` follows it (core/files/followed_name.h): truncation
// (copytruncate, even rewritten past our offset within one interval), rename and re-creation,
// replacement by a symlink or by something untailable, disappearance and return.
#include <chrono>
#include <cstddef>
#include <functional>
#include <string_view>

#include "core/base/error.h"
#include "core/files/followed_name.h"
#include "core/files/rooted_fs.h"
#include "core/files/stream.h"

namespace nsdebug {

struct FollowOptions {
  std::size_t lines = 10;  // how many last lines to start with
  bool follow = false;
  // inotify does not see writes made through other mount namespaces reliably; a poll does.
  std::chrono::milliseconds interval{200};
  int target_pidfd = -1;   // readable when the target exits: following ends (-1: never)
  int stop_fd = -1;        // readable (a signalfd for SIGINT/SIGTERM): following ends
  // Told each event as it happens, before the bytes that follow it are written.
  std::function<void(const FollowEvent&)> on_event;
};

enum class FollowEnd { kDone, kTargetExited, kStopped };

// Byte offset where the last `lines` lines of fd (size `size`) start. Pure I/O on fd (pread).
Result<std::uint64_t> last_lines_offset(int fd, std::uint64_t size, std::size_t lines);

// Writes the last lines of PATH to out_fd, then with follow what is appended, until stopped.
// A failure to open PATH names PID:PATH; later ones "read PID:PATH" or "write <out_name>", and
// say which end failed, as copy_fd's do.
StreamResult<FollowEnd> follow_file(const RootedFs& root, std::string_view path, int out_fd,
                                    std::string_view out_name, const FollowOptions& options);

}  // namespace nsdebug
