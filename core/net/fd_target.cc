#include "core/net/fd_target.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>

#include "core/net/socket_source.h"
#include "core/proc/procfs.h"

namespace nsdebug {
namespace {

// "anon_inode:[eventfd]" -> "eventfd", "anon_inode:inotify" -> "inotify".
std::string anon_inode_kind(std::string_view link) {
  constexpr std::string_view kPrefix = "anon_inode:";
  std::string_view kind = link.substr(kPrefix.size());
  if (kind.starts_with('[') && kind.ends_with(']')) kind = kind.substr(1, kind.size() - 2);
  return std::string(kind);
}

}  // namespace

std::uint64_t socket_link_inode(std::string_view link) {
  constexpr std::string_view kPrefix = "socket:[";
  if (!link.starts_with(kPrefix) || !link.ends_with(']')) return 0;
  std::uint64_t inode = 0;
  auto digits = link.substr(kPrefix.size(), link.size() - kPrefix.size() - 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), inode);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return 0;
  return inode;
}

bool is_epoll_link(std::string_view link) { return link == "anon_inode:[eventpoll]"; }

int count_epoll_targets(std::string_view fdinfo) {
  int count = 0;
  std::size_t pos = 0;
  while (pos < fdinfo.size()) {
    std::size_t end = fdinfo.find('\n', pos);
    if (end == std::string_view::npos) end = fdinfo.size();
    if (fdinfo.substr(pos, end - pos).starts_with("tfd:")) ++count;
    pos = end + 1;
  }
  return count;
}

std::string describe_fd_link(std::string_view link, const Socket* socket,
                             std::optional<int> epoll_targets) {
  if (socket) return describe_socket(*socket);
  if (is_epoll_link(link)) {
    if (!epoll_targets) return "epoll";
    return "epoll: " + std::to_string(*epoll_targets) + (*epoll_targets == 1 ? " fd" : " fds");
  }
  if (link.starts_with("anon_inode:")) return anon_inode_kind(link);
  // A path, "pipe:[123]", "socket:[123]" (not in the table: another namespace's, or gone),
  // "/dev/null", "/memfd:name (deleted)": the kernel's words are already the right ones.
  return std::string(link);
}

FdNamer::FdNamer(pid_t pid, int pid_dir) : pid_(pid) {
  if (pid_dir >= 0) {
    dir_.reset(::fcntl(pid_dir, F_DUPFD_CLOEXEC, 0));
  } else {
    dir_.reset(::open(("/proc/" + std::to_string(pid)).c_str(),
                      O_PATH | O_DIRECTORY | O_CLOEXEC));
  }
}

std::optional<std::string> FdNamer::read_link(int fd) {
  if (!dir_) return std::nullopt;
  std::string path = "fd/" + std::to_string(fd);
  char buf[4096];
  ssize_t n = ::readlinkat(dir_.get(), path.c_str(), buf, sizeof buf);
  if (n <= 0) return std::nullopt;
  return std::string(buf, static_cast<std::size_t>(n));
}

std::optional<int> FdNamer::epoll_targets(int fd) {
  std::string path = "fdinfo/" + std::to_string(fd);
  auto text = read_small_file(dir_.get(), path.c_str());
  if (!text) return std::nullopt;
  return count_epoll_targets(*text);
}

const Socket* FdNamer::find_socket(std::uint64_t inode) {
  if (!sockets_) {
    SocketKinds kinds;
    kinds.raw = true;
    kinds.unix_sockets = true;
    auto read = read_sockets_of(pid_, kinds);
    sockets_ = read ? std::move(*read) : std::vector<Socket>{};
  }
  auto it = std::ranges::find(*sockets_, inode, &Socket::inode);
  return it == sockets_->end() ? nullptr : &*it;
}

std::optional<std::string> FdNamer::describe(int fd) {
  if (auto it = cache_.find(fd); it != cache_.end()) return it->second;
  std::optional<std::string> phrase;
  if (auto link = read_link(fd)) {
    const Socket* socket = nullptr;
    if (auto inode = socket_link_inode(*link)) socket = find_socket(inode);
    std::optional<int> targets;
    if (is_epoll_link(*link)) targets = epoll_targets(fd);
    phrase = describe_fd_link(*link, socket, targets);
  }
  cache_[fd] = phrase;
  return phrase;
}

void FdNamer::forget(int fd) { cache_.erase(fd); }

std::string describe_fd(pid_t pid, int fd) {
  return FdNamer(pid).describe(fd).value_or(std::string());
}

}  // namespace nsdebug
