// The syscall table generated from this architecture's <asm/unistd.h> (cmake/syscall_table.cmake).
#include <catch2/catch.hpp>

#include <sys/syscall.h>

#include "core/trace/syscall_names.h"

using namespace nsdebug;

TEST_CASE("syscall names come from the kernel headers of the architecture built for") {
  CHECK(syscall_count() > 250);
  CHECK(syscall_name(SYS_read) == "read");
  CHECK(syscall_name(SYS_openat) == "openat");
  CHECK(syscall_name(SYS_epoll_pwait) == "epoll_pwait");
  CHECK(syscall_name(SYS_futex) == "futex");
  CHECK(syscall_number("execve") == SYS_execve);
  CHECK(syscall_number("pidfd_open") == SYS_pidfd_open);
  CHECK(syscall_name(-1).empty());
  CHECK(syscall_name(100000).empty());
  CHECK(!syscall_number("no_such_call"));
#ifdef __aarch64__
  CHECK(!syscall_number("open"));  // aarch64 has openat only
#else
  CHECK(syscall_number("open") == SYS_open);
#endif
}
