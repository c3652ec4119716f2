#pragma once
// Which system calls a trace shows: -e as strace takes it. Names ("openat,read"), classes
// ("%file", "file", "%network"...), "trace=" before them, and "!" in front to show every call
// but those.
#include <string_view>
#include <vector>

#include "core/base/error.h"

namespace nsdebug {

class SyscallSelection {
 public:
  // Every call.
  SyscallSelection() = default;
  // Pure. EINVAL naming the word when a name is no syscall of this architecture, nor a class.
  static Result<SyscallSelection> parse(std::string_view spec);

  bool shows(long nr) const;

 private:
  std::vector<bool> chosen_;  // by number; empty: every call
  bool negated_ = false;
};

// Pure. The syscalls of a class ("file", "process", "network" or "net", "signal", "memory",
// "desc"); empty when there is no such class.
std::vector<std::string_view> syscall_class(std::string_view name);

}  // namespace nsdebug
