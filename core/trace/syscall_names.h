#pragma once
// System call numbers and names of the architecture nsdebug was built for, from its kernel
// headers at build time (cmake/syscall_table.cmake): an aarch64 build has aarch64's.
#include <optional>
#include <string_view>

namespace nsdebug {

// "read" for 0 on x86_64, "io_setup" for 0 on aarch64; empty when the number is unknown.
std::string_view syscall_name(long nr);

// The number of a syscall by name; nullopt when this architecture has none of that name
// (aarch64 has no open, only openat).
std::optional<long> syscall_number(std::string_view name);

// How many syscalls the table knows (for tests: the table is not empty).
std::size_t syscall_count();

}  // namespace nsdebug
