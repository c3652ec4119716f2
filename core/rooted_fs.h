#pragma once
// A process's root filesystem, seen from here. Opened once from /proc/PID/root as an O_PATH
// dirfd; every path below it is resolved by openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS),
// so absolute symlinks resolve in the target's root and ".." cannot climb out. Read-only.
#include <sys/types.h>

#include <string>
#include <string_view>

#include "core/error.h"
#include "core/unique_fd.h"

namespace nsdebug {

class RootedFs {
 public:
  // Fails with EACCES when we may not ptrace-read the process (see diagnose.h for why).
  static Result<RootedFs> open(pid_t pid);

  // Open PATH (absolute or relative, both taken from the target's root) with O_RDONLY plus
  // `extra_flags`. Never creates, never writes.
  Result<UniqueFd> open_file(std::string_view path, int extra_flags = 0) const;

  // A small regular file, whole (at most `limit` bytes). FIFOs and devices are refused.
  Result<std::string> read_small(std::string_view path, std::size_t limit = 1 << 20) const;

  pid_t pid() const { return pid_; }
  int fd() const { return root_.get(); }

 private:
  RootedFs(pid_t pid, UniqueFd root) : pid_(pid), root_(std::move(root)) {}
  pid_t pid_;
  UniqueFd root_;
};

}  // namespace nsdebug
