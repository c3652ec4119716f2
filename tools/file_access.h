#pragma once
// What cat, ls, stat, env share: reaching a target's root, and describing files.
#include <sys/stat.h>

#include <expected>
#include <string>
#include <string_view>

#include "core/files/file_mode.h"
#include "core/files/rooted_fs.h"
#include "tools/target.h"

namespace nsdebug::cli {

// The target's root, opened once. EACCES/EPERM come back explained (why, and the fix).
Result<RootedFs> open_target_root(const Target& t);

// A TARGET:PATH argument, parsed, with its target's root open.
struct OpenedPath {
  TargetPath arg;
  RootedFs root;
};

// The argument opened; or the error, already printed, and the exit code to end with: 2 when the
// argument is malformed, 1 when the target or its root cannot be reached.
std::expected<OpenedPath, int> open_target_path(std::string_view arg);

// A TARGET argument's process; or the error, already printed, and the exit code (2 or 1, as
// above).
std::expected<ProcessHandle, int> resolve_target_arg(std::string_view arg);

// An error from inside PID's root, explained when it is a permission failure.
Error explained(Error e, pid_t pid);

}  // namespace nsdebug::cli
