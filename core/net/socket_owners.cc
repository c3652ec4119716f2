#include "core/net/socket_owners.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <string_view>

#include "core/base/unique_fd.h"
#include "core/proc/access.h"
#include "core/proc/process_handle.h"
#include "core/proc/procfs.h"

namespace nsdebug {
namespace {

// "socket:[12345]" -> 12345; 0 for any other link.
std::uint64_t socket_inode(std::string_view link) {
  constexpr std::string_view kPrefix = "socket:[";
  if (!link.starts_with(kPrefix) || !link.ends_with(']')) return 0;
  std::uint64_t inode = 0;
  auto digits = link.substr(kPrefix.size(), link.size() - kPrefix.size() - 1);
  std::from_chars(digits.data(), digits.data() + digits.size(), inode);
  return inode;
}

// The /proc/PID directory of the process listed as `p`, or invalid when that process is gone.
// A directory fd keeps naming that process: once it exits, reads through it fail even if the
// PID is given to another.
UniqueFd open_listed_process(int proc_fd, const Process& p) {
  UniqueFd dir(::openat(proc_fd, std::to_string(p.pid).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return {};
  auto stat = read_small_file(dir.get(), "stat", 4096);
  auto fields = stat ? parse_stat(*stat) : std::nullopt;
  if (!fields || fields->start_ticks != p.start_ticks) return {};
  return dir;
}

void hide(pid_t pid, int error, SocketOwners& out) {
  Error e{error, "read the descriptors of pid " + std::to_string(pid), {}, {}};
  out.hidden.push_back({pid, explain(std::move(e), pid)});
}

void read_holders(int dir, pid_t pid, SocketOwners& out) {
  // With CAP_DAC_OVERRIDE the directory opens and lists; each link then needs ptrace access.
  UniqueFd fds(::openat(dir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fds) {
    if (errno == EACCES || errno == EPERM) hide(pid, errno, out);
    return;  // ENOENT: it exited
  }
  DIR* listing = ::fdopendir(fds.get());
  if (!listing) return;
  int fds_fd = fds.release();
  char link[64];
  while (dirent* d = ::readdir(listing)) {
    if (d->d_name[0] == '.') continue;
    ssize_t n = ::readlinkat(fds_fd, d->d_name, link, sizeof link);
    if (n < 0 && (errno == EACCES || errno == EPERM)) {
      hide(pid, errno, out);
      break;
    }
    if (n <= 0 || n == sizeof link) continue;  // closed since, or no socket (too long)
    auto inode = socket_inode(std::string_view(link, static_cast<std::size_t>(n)));
    if (!inode) continue;
    int fd = 0;
    std::from_chars(d->d_name, d->d_name + std::char_traits<char>::length(d->d_name), fd);
    out.by_inode[inode].push_back({pid, fd});
  }
  ::closedir(listing);
}

}  // namespace

SocketOwners find_socket_owners(std::span<const Process> processes) {
  SocketOwners out;
  UniqueFd proc(::open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!proc) return out;
  for (const Process& p : processes) {
    if (p.state == 'Z' || p.is_kernel_thread()) continue;
    if (UniqueFd dir = open_listed_process(proc.get(), p)) read_holders(dir.get(), p.pid, out);
  }
  return out;
}

}  // namespace nsdebug
