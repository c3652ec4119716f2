#pragma once
// How a file's mode reads, for both faces (ls -l, stat, the TUI's file view).
#include <sys/types.h>

#include <string>

namespace nsdebug {

// "drwxr-xr-x", as ls -l prints a mode.
std::string file_mode_string(mode_t mode);

// Whether the file an O_PATH descriptor names carries an ACL beyond its mode bits (a POSIX access
// ACL, or a directory's default ACL), which ls -l marks with a '+' after the mode. False when it
// cannot be told, and for symlinks (Linux keeps no ACL on them).
bool has_extended_acl(int path_fd, mode_t mode);

// "regular file", "directory", "symbolic link", "FIFO", ...
std::string file_type_description(mode_t mode);

}  // namespace nsdebug
