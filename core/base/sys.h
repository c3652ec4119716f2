#pragma once
// The only place nsdebug makes raw syscalls (those glibc 2.36 does not wrap, and the few
// process-wide ones core/ makes by PID). Each returns a Result whose Error names the call
// and, for ENOSYS, the kernel needed.
#include <sys/types.h>

#include <cstddef>
#include <cstdint>

#include "core/base/error.h"
#include "core/base/unique_fd.h"

namespace nsdebug::sys {

// pidfd_open(2), Linux >= 5.3. Names one process for as long as the fd is open.
Result<UniqueFd> pidfd_open(pid_t pid);

// pidfd_send_signal(2), Linux >= 5.1. ESRCH: the process has exited (maybe a zombie).
Result<void> pidfd_send_signal(int pidfd, int sig);

// openat2(2) with RESOLVE_* flags, Linux >= 5.6.
Result<UniqueFd> openat2(int dirfd, const char* path, std::uint64_t flags, std::uint64_t mode,
                         std::uint64_t resolve);

// setns(2) on an fd from /proc/PID/ns/*.
Result<void> setns(int fd, int nstype);

}  // namespace nsdebug::sys

namespace nsdebug::sys {

// sendfile(2) of up to `count` bytes from in_fd's offset to out_fd. Returns bytes moved, 0 at end
// of file. EINVAL/ENOSYS: this pair of fds cannot use it (O_APPEND, an old kernel's tty).
Result<std::size_t> sendfile(int out_fd, int in_fd, std::size_t count);

}  // namespace nsdebug::sys

namespace nsdebug::sys {

// unshare(2); CLONE_NEWNS for a private mount namespace (needs CAP_SYS_ADMIN).
Result<void> unshare(int flags);

// mount(2). `what` names the mount in the Error ("mount proc on /proc"); `options` is the
// filesystem's data string ("size=16k", "newinstance"), none by default.
Result<void> mount(const char* source, const char* target, const char* fstype,
                   unsigned long flags, const char* what, const char* options = nullptr);

}  // namespace nsdebug::sys

namespace nsdebug::sys {

// Raises RLIMIT_NOFILE's soft limit to its hard limit (any process may) and returns the soft
// limit now: how many files this process may hold open.
std::size_t raise_open_file_limit();

}  // namespace nsdebug::sys

namespace nsdebug::sys {

// capget(2): this process's effective capability set, one bit per CAP_* number.
Result<std::uint64_t> effective_capabilities();

}  // namespace nsdebug::sys

namespace nsdebug::sys {

// kill(pid, 0): the permission check of a real signal, delivering nothing. Success: the
// process exists and we may signal it; EPERM: it exists and we may not; ESRCH: no such
// process. Signals go through pidfds (pidfd_send_signal), never through a bare PID.
Result<void> probe_signal(pid_t pid);

// kill(2) from a signal handler, passing the signal on to a child we wait for: nothing but
// the call, so it stays async-signal-safe (no Error, no allocation), and errno is kept.
void forward_signal_from_handler(pid_t pid, int sig) noexcept;

}  // namespace nsdebug::sys

namespace nsdebug::sys {

// Node mode's way into a pod (core/node/pod_entry): what a process needs to leave the node behind.

// pivot_root(".", ".") then a lazy unmount of the old root: the current directory (a fresh mount)
// becomes "/" and nothing of the previous root stays reachable from this mount namespace.
Result<void> pivot_root_to_cwd();

// Drops every capability not in `bounding` (one bit per CAP_* number) from the bounding set
// (dropping needs CAP_SETPCAP; one already gone is skipped), clears the ambient set, and sets
// permitted = effective = `permitted`, inheritable empty.
Result<void> limit_capabilities(std::uint64_t bounding, std::uint64_t permitted);

// clone(CLONE_PARENT): a fork whose child is our parent's child, not ours, so that the process
// that made it can exit and its parent waits for the child directly. 0 in the child.
Result<pid_t> fork_sibling();

// A sealed memfd holding a copy of /proc/self/exe: executing it gives a fresh image whose
// /proc/PID/exe names no file of the node (as runc runs itself, CVE-2019-5736).
Result<UniqueFd> sealed_copy_of_self();

}  // namespace nsdebug::sys
