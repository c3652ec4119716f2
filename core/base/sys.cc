#include "core/base/sys.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fmt/format.h>

namespace nsdebug::sys {
namespace {

std::unexpected<Error> syscall_failed(const char* call, int needs_major, int needs_minor) {
  int err = errno;
  if (err == ENOSYS)
    return fail(err, call, "not supported by this kernel",
                fmt::format("{} needs Linux {}.{} or newer", call, needs_major, needs_minor));
  return fail(err, call);
}

}  // namespace

Result<UniqueFd> pidfd_open(pid_t pid) {
  long fd = ::syscall(SYS_pidfd_open, pid, 0);
  if (fd < 0) return syscall_failed("pidfd_open", 5, 3);
  return UniqueFd(static_cast<int>(fd));
}

Result<void> pidfd_send_signal(int pidfd, int sig) {
  if (::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0) < 0)
    return syscall_failed("pidfd_send_signal", 5, 1);
  return {};
}

Result<UniqueFd> openat2(int dirfd, const char* path, std::uint64_t flags, std::uint64_t mode,
                         std::uint64_t resolve) {
  open_how how{};
  how.flags = flags;
  how.mode = mode;
  how.resolve = resolve;
  long fd;
  // EAGAIN: a rename raced the RESOLVE_IN_ROOT walk and the kernel asks us to retry;
  // bounded, so a container renaming in a loop cannot spin us for ever.
  int tries = 0;
  do {
    fd = ::syscall(SYS_openat2, dirfd, path, &how, sizeof how);
  } while (fd < 0 && errno == EAGAIN && ++tries < 32);
  if (fd < 0) return syscall_failed("openat2", 5, 6);
  return UniqueFd(static_cast<int>(fd));
}

Result<void> setns(int fd, int nstype) {
  if (::setns(fd, nstype) < 0) return syscall_failed("setns", 3, 8);
  return {};
}


Result<std::size_t> sendfile(int out_fd, int in_fd, std::size_t count) {
  ssize_t n;
  do {
    n = ::sendfile(out_fd, in_fd, nullptr, count);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return fail_errno("sendfile");
  return static_cast<std::size_t>(n);
}


Result<void> unshare(int flags) {
  if (::unshare(flags) < 0) return fail_errno("unshare", "needs CAP_SYS_ADMIN: run nsdebug as root");
  return {};
}

Result<void> mount(const char* source, const char* target, const char* fstype,
                   unsigned long flags, const char* what, const char* options) {
  if (::mount(source, target, fstype, flags, options) < 0) return fail_errno(what);
  return {};
}

std::size_t raise_open_file_limit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) < 0) return 1024;
  if (lim.rlim_cur < lim.rlim_max) {
    rlimit raised{lim.rlim_max, lim.rlim_max};
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
  }
  return lim.rlim_cur == RLIM_INFINITY ? SIZE_MAX : static_cast<std::size_t>(lim.rlim_cur);
}


// capget(2): /proc/self/status says the same, but only while procfs is mounted.
Result<std::uint64_t> effective_capabilities() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (::syscall(SYS_capget, &header, data) < 0) return fail_errno("capget");
  return std::uint64_t{data[0].effective} | std::uint64_t{data[1].effective} << 32;
}


Result<void> probe_signal(pid_t pid) {
  if (::kill(pid, 0) < 0) return fail(errno, fmt::format("kill -0 {}", pid));
  return {};
}

void forward_signal_from_handler(pid_t pid, int sig) noexcept {
  int saved = errno;
  ::kill(pid, sig);
  errno = saved;
}


Result<void> pivot_root_to_cwd() {
  if (::syscall(SYS_pivot_root, ".", ".") < 0) return fail_errno("pivot_root");
  if (::umount2(".", MNT_DETACH) < 0) return fail_errno("detach the old root");
  if (::chdir("/") < 0) return fail_errno("chdir /");
  return {};
}

Result<void> limit_capabilities(std::uint64_t bounding, std::uint64_t permitted) {
  // Up to 63, not CAP_LAST_CAP: a newer kernel than our headers may know more capabilities.
  for (int cap = 0; cap < 64; ++cap) {
    if (bounding & (std::uint64_t{1} << cap)) continue;
    if (::prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != 1) continue;
    if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
      return fail_errno(fmt::format("drop capability {} from the bounding set", cap));
  }
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    return fail_errno("clear the ambient capabilities");
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  for (int i = 0; i < 2; ++i) {
    auto word = static_cast<std::uint32_t>(permitted >> (32 * i));
    data[i].effective = data[i].permitted = word;
  }
  if (::syscall(SYS_capset, &header, data) < 0) return fail_errno("capset");
  return {};
}

Result<pid_t> fork_sibling() {
  // Arguments past the flags are zero: the same on every architecture's clone argument order.
  long pid = ::syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
  if (pid < 0) return fail_errno("clone");
  return static_cast<pid_t>(pid);
}

Result<UniqueFd> sealed_copy_of_self() {
  UniqueFd self(::open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!self) return fail_errno("open /proc/self/exe");
  UniqueFd mem(::memfd_create("nsdebug", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!mem) return fail_errno("memfd_create");
  for (;;) {
    auto n = sendfile(mem.get(), self.get(), 1 << 30);
    if (!n) return std::unexpected(n.error());
    if (*n == 0) break;
  }
  if (::fcntl(mem.get(), F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
    return fail_errno("seal the copy of nsdebug");
  return mem;
}

}  // namespace nsdebug::sys
