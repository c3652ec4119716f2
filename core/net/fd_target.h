#pragma once
// What a process's descriptor is, in a few words, for `nsdebug threads` (the descriptor a thread
// waits on) and `nsdebug trace` (a syscall's fd argument): a path, a socket as ss names it, an
// epoll set with its size, a pipe, an eventfd. Bytes stay raw (a path is the target's): the
// faces escape them.
//
// Lives in core/net because sockets are named through core/net's socket table.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/unique_fd.h"
#include "core/net/socket.h"

namespace nsdebug {

// Pure: the phrase for a /proc/PID/fd/N link. `socket` is the socket of a "socket:[INODE]" link
// when it was found in the table, `epoll_targets` the count of an epoll set's `tfd:` lines.
//   "/var/log/app.log", "tcp 10.0.0.5:43122 -> 10.0.0.9:5432 ESTAB", "socket:[123]",
//   "epoll: 3 fds", "pipe:[123]", "eventfd", "timerfd", "signalfd", "inotify", "pidfd"
std::string describe_fd_link(std::string_view link, const Socket* socket,
                             std::optional<int> epoll_targets);

// "socket:[12345]" -> 12345; 0 for any other link.
std::uint64_t socket_link_inode(std::string_view link);
// An epoll set: "anon_inode:[eventpoll]".
bool is_epoll_link(std::string_view link);
// How many descriptors an epoll set watches: the `tfd:` lines of its /proc/PID/fdinfo/N.
int count_epoll_targets(std::string_view fdinfo);

// Names the descriptors of one process, caching each link and reading the socket table once,
// when the first socket is asked for. One namer per look (a threads listing, a trace): the
// table is a snapshot.
class FdNamer {
 public:
  // `pid_dir`: an open /proc/PID directory (O_PATH is enough) that keeps naming the process the
  // caller checked, so a recycled PID is never read; -1 reads /proc/PID by number.
  explicit FdNamer(pid_t pid, int pid_dir = -1);

  // The phrase for descriptor `fd`; nullopt when it is closed or we may not read its link
  // (that needs ptrace access, as /proc/PID/fd does).
  std::optional<std::string> describe(int fd);

  // Forget what was cached (a trace names descriptors that are opened and closed as it runs).
  void forget(int fd);

 private:
  std::optional<std::string> read_link(int fd);
  std::optional<int> epoll_targets(int fd);
  const Socket* find_socket(std::uint64_t inode);

  pid_t pid_;
  UniqueFd dir_;  // our own /proc/PID (dup of pid_dir, or opened by number)
  std::unordered_map<int, std::optional<std::string>> cache_;
  std::optional<std::vector<Socket>> sockets_;  // read on first use; empty when unreadable
};

// One descriptor, without a cache (a single look): FdNamer(pid).describe(fd), empty when it
// cannot be named.
std::string describe_fd(pid_t pid, int fd);

}  // namespace nsdebug
