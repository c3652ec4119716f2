#pragma once
// How a file's mode reads, for both faces (ls -l, stat, the TUI's file view).
#include <sys/types.h>

#include <string>

namespace nsdebug {

// "drwxr-xr-x", as ls -l prints a mode.
std::string file_mode_string(mode_t mode);

// "regular file", "directory", "symbolic link", "FIFO", ...
std::string file_type_description(mode_t mode);

}  // namespace nsdebug
