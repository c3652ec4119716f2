#pragma once
// "PID" or "PID/NAME" as text, relative to an open /proc: built on the stack, as the readers
// that open several files a process each (core/proc/procfs.cc, core/proc/stat_reader.cc) want it.
#include <sys/types.h>

#include <algorithm>
#include <charconv>
#include <string_view>

namespace nsdebug {

struct ProcPath {
  explicit ProcPath(pid_t pid, std::string_view name = {}) {
    char* end = std::to_chars(text, text + 16, pid).ptr;
    if (!name.empty()) {
      *end++ = '/';
      end = std::copy_n(name.begin(), std::min<std::size_t>(name.size(), 22), end);
    }
    *end = '\0';
  }
  char text[40];
};

}  // namespace nsdebug
