#pragma once
// What cat, ls, stat, env share: reaching a target's root, and describing files.
#include <sys/stat.h>

#include <string>

#include "core/rooted_fs.h"
#include "tools/target.h"

namespace nsdebug::cli {

// The target's root, opened once. EACCES/EPERM come back explained (why, and the fix).
Result<RootedFs> open_target_root(const Target& t);

// An error from inside PID's root, explained when it is a permission failure.
Error explained(Error e, pid_t pid);

// "drwxr-xr-x", as ls -l prints a mode.
std::string mode_string(mode_t mode);

// "regular file", "directory", "symbolic link", "FIFO", ...
std::string file_type_name(mode_t mode);

}  // namespace nsdebug::cli
