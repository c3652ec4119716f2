#include "core/proc/proc_mount.h"

#include <linux/magic.h>
#include <sys/statfs.h>

namespace nsdebug {
namespace {

constexpr const char* kMountHint =
    "mount procfs on /proc (mount -t proc proc /proc); nsdebug reads every process from it";

// What covers /proc instead, for the message. A container runtime masks paths under /proc
// with tmpfs, never /proc itself; an unmounted /proc is the directory of the root filesystem.
const char* what_is_there(const struct statfs& st) {
  switch (st.f_type) {
    case TMPFS_MAGIC: return "a tmpfs is mounted there";
    case SYSFS_MAGIC: return "sysfs is mounted there";
    default: return "it is a plain directory of another filesystem";
  }
}

}  // namespace

std::optional<Error> proc_unavailable() {
  struct statfs st {};
  if (::statfs("/proc", &st) < 0) {
    int err = errno;
    return Error{err, "/proc", "procfs is not mounted (" + std::string(std::strerror(err)) + ")",
                 kMountHint};
  }
  if (st.f_type == PROC_SUPER_MAGIC) return std::nullopt;
  return Error{ENOENT, "/proc", std::string("procfs is not mounted: ") + what_is_there(st),
               kMountHint};
}

Error unless_proc_unavailable(Error e) {
  if (auto missing = proc_unavailable()) return std::move(*missing);
  return e;
}

}  // namespace nsdebug
