#include "core/trace/selection.h"

#include <fmt/format.h>

#include <initializer_list>

#include "core/trace/syscall_names.h"

namespace nsdebug {
namespace {

using Names = std::initializer_list<std::string_view>;

// As strace's classes: a call belongs to %file when it takes a file name, and so on. Names an
// architecture lacks (aarch64 has no open) are skipped.
const Names kFile = {"open", "openat", "openat2", "creat", "stat", "lstat", "newfstatat",
                     "statx", "access", "faccessat", "faccessat2", "readlink", "readlinkat",
                     "execve", "execveat", "chdir", "mkdir", "mkdirat", "rmdir", "unlink",
                     "unlinkat", "rename", "renameat", "renameat2", "link", "linkat", "symlink",
                     "symlinkat", "chmod", "fchmodat", "chown", "lchown", "fchownat",
                     "truncate", "utime", "utimes", "utimensat", "futimesat", "mknod",
                     "mknodat", "statfs", "chroot", "mount", "umount2", "pivot_root",
                     "swapon", "swapoff", "getxattr", "lgetxattr", "setxattr", "lsetxattr",
                     "listxattr", "llistxattr", "removexattr", "lremovexattr",
                     "inotify_add_watch", "name_to_handle_at", "fanotify_mark", "acct",
                     "uselib", "quotactl"};
const Names kProcess = {"clone", "clone3", "fork", "vfork", "execve", "execveat", "exit",
                        "exit_group", "wait4", "waitid", "kill", "tkill", "tgkill",
                        "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_open",
                        "pidfd_send_signal", "unshare", "setns"};
const Names kNetwork = {"socket", "socketpair", "bind", "connect", "listen", "accept",
                        "accept4", "getsockname", "getpeername", "sendto", "recvfrom",
                        "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "shutdown",
                        "setsockopt", "getsockopt"};
const Names kSignal = {"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigsuspend",
                       "rt_sigpending", "rt_sigtimedwait", "rt_sigqueueinfo",
                       "rt_tgsigqueueinfo", "kill", "tkill", "tgkill", "sigaltstack",
                       "signalfd", "signalfd4", "pause", "pidfd_send_signal"};
const Names kMemory = {"brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "mlock",
                       "mlock2", "munlock", "mlockall", "munlockall", "mincore", "msync",
                       "remap_file_pages", "mbind", "get_mempolicy", "set_mempolicy",
                       "pkey_mprotect", "process_madvise"};
const Names kDesc = {"read", "write", "pread64", "pwrite64", "readv", "writev", "preadv",
                     "pwritev", "preadv2", "pwritev2", "close", "close_range", "dup", "dup2",
                     "dup3", "fcntl", "ioctl", "lseek", "fstat", "fstatfs", "fsync",
                     "fdatasync", "ftruncate", "fchmod", "fchown", "fchdir", "flock",
                     "getdents64", "poll", "ppoll", "select", "pselect6", "epoll_create",
                     "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait",
                     "epoll_pwait2", "eventfd2", "signalfd4", "timerfd_create",
                     "timerfd_settime", "timerfd_gettime", "sendfile", "splice", "tee",
                     "openat", "open", "creat", "memfd_create", "pipe", "pipe2",
                     "copy_file_range", "fallocate", "fadvise64", "readahead"};

}  // namespace

std::vector<std::string_view> syscall_class(std::string_view name) {
  const Names* names = name == "file"                      ? &kFile
                       : name == "process"                 ? &kProcess
                       : name == "network" || name == "net" ? &kNetwork
                       : name == "signal"                  ? &kSignal
                       : name == "memory"                  ? &kMemory
                       : name == "desc"                    ? &kDesc
                                                           : nullptr;
  if (!names) return {};
  return {names->begin(), names->end()};
}

Result<SyscallSelection> SyscallSelection::parse(std::string_view spec) {
  SyscallSelection s;
  if (spec.starts_with("trace=")) spec.remove_prefix(6);
  if (spec.starts_with('!')) {
    s.negated_ = true;
    spec.remove_prefix(1);
  }
  if (spec == "all") {
    // "!all": one number, not chosen, and not negated: shows() is then false for every call.
    if (s.negated_) s.chosen_.assign(1, false);
    s.negated_ = false;
    return s;
  }
  std::vector<long> numbers;
  while (!spec.empty()) {
    auto comma = spec.find(',');
    std::string_view word = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    if (word.empty()) continue;
    bool is_class = word.starts_with('%');
    std::string_view bare = is_class ? word.substr(1) : word;
    auto members = syscall_class(bare);
    if (auto nr = syscall_number(bare); nr && !is_class) {
      numbers.push_back(*nr);
    } else if (!members.empty()) {
      for (auto m : members)
        if (auto n = syscall_number(m)) numbers.push_back(*n);
    } else {
      return fail(EINVAL, "-e " + std::string(word),
                  is_class ? "no such class" : "no system call of that name on this architecture",
                  "names as strace's (openat, connect...), or a class: %file, %process, "
                  "%network, %signal, %memory, %desc");
    }
  }
  long top = 0;
  for (long n : numbers) top = std::max(top, n);
  s.chosen_.assign(static_cast<std::size_t>(top) + 1, false);
  for (long n : numbers) s.chosen_[static_cast<std::size_t>(n)] = true;
  return s;
}

bool SyscallSelection::shows(long nr) const {
  if (chosen_.empty()) return true;
  bool in = nr >= 0 && static_cast<std::size_t>(nr) < chosen_.size() &&
            chosen_[static_cast<std::size_t>(nr)];
  return in != negated_;
}

}  // namespace nsdebug
