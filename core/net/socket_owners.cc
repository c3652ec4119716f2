#include "core/net/socket_owners.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <string_view>

#include <fmt/format.h>

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

// Whether /proc/PID is still the process listed as `p` (its start time), read after its fd
// directory was opened: a PID recycled before that open shows another start time here, and one
// recycled after it leaves the open directory empty (its lookups fail once the process is gone).
bool still_listed(int proc_fd, const Process& p) {
  auto stat = read_small_file(proc_fd, fmt::format("{}/stat", p.pid).c_str(), 4096);
  auto fields = stat ? parse_stat(*stat) : std::nullopt;
  return fields && fields->start_ticks == p.start_ticks;
}

void hide(pid_t pid, int error, SocketOwners& out) {
  Error e{error, "read the descriptors of pid " + std::to_string(pid), {}, {}};
  out.hidden.push_back({pid, explain(std::move(e), pid)});
}

void read_holders(int proc_fd, const Process& p, SocketOwners& out) {
  pid_t pid = p.pid;
  // With CAP_DAC_OVERRIDE the directory opens and lists; each link then needs ptrace access.
  UniqueFd fds(::openat(proc_fd, fmt::format("{}/fd", pid).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fds) {
    if ((errno == EACCES || errno == EPERM) && still_listed(proc_fd, p)) hide(pid, errno, out);
    return;  // ENOENT: it exited
  }
  if (!still_listed(proc_fd, p)) return;
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
  for (const Process& p : processes)
    if (p.state != 'Z' && !p.is_kernel_thread()) read_holders(proc.get(), p, out);
  return out;
}

}  // namespace nsdebug
