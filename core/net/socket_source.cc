#include "core/net/socket_source.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <fmt/format.h>

#include "core/base/unique_fd.h"
#include "core/net/net_parse.h"
#include "core/proc/procfs.h"

namespace nsdebug {
namespace {

// /proc/net files are as large as the namespace's socket table (150 bytes a socket).
constexpr std::size_t kProcNetLimit = 256u << 20;

struct InetTable {
  const char* file;
  Protocol protocol;
  int family;
};

constexpr InetTable kInetTables[] = {
    {"tcp", Protocol::tcp, AF_INET}, {"tcp6", Protocol::tcp, AF_INET6},
    {"udp", Protocol::udp, AF_INET}, {"udp6", Protocol::udp, AF_INET6},
    {"raw", Protocol::raw, AF_INET}, {"raw6", Protocol::raw, AF_INET6},
};

bool wanted(const SocketKinds& k, Protocol p) {
  return (p == Protocol::tcp && k.tcp) || (p == Protocol::udp && k.udp) ||
         (p == Protocol::raw && k.raw);
}

}  // namespace

const char* source_name(SocketSource s) {
  return s == SocketSource::sock_diag ? "sock_diag" : "/proc/net";
}

Result<std::vector<Socket>> read_proc_net(const SocketKinds& kinds, const std::string& proc_dir) {
  auto path = fmt::format("/proc/{}/net", proc_dir);
  UniqueFd net(::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!net) return fail_errno("open " + path, "is /proc mounted? (nsdebug doctor)");
  std::vector<Socket> out;
  for (const auto& t : kInetTables) {
    if (!wanted(kinds, t.protocol)) continue;
    // A missing file is a kernel without IPv6 (or raw): no sockets of that kind.
    if (auto text = read_small_file(net.get(), t.file, kProcNetLimit))
      parse_inet_sockets(*text, t.protocol, t.family, out);
  }
  if (kinds.unix_sockets)
    if (auto text = read_small_file(net.get(), "unix", kProcNetLimit)) parse_unix_sockets(*text, out);
  return out;
}

Result<SocketList> read_sockets(const SocketKinds& kinds) {
  SocketList list;
  auto dumped = dump_sockets(kinds);
  if (dumped) {
    list.sockets = std::move(*dumped);
    return list;
  }
  list.source = SocketSource::proc_net;
  list.netlink_refused = dumped.error();
  auto read = read_proc_net(kinds);
  if (!read) return std::unexpected(read.error());
  list.sockets = std::move(*read);
  return list;
}

}  // namespace nsdebug

namespace nsdebug {

Result<std::vector<Socket>> read_sockets_of(pid_t pid, const SocketKinds& kinds) {
  struct stat theirs {}, ours {};
  auto ns = fmt::format("/proc/{}/ns/net", pid);
  if (::stat(ns.c_str(), &theirs) == 0 && ::stat("/proc/self/ns/net", &ours) == 0 &&
      theirs.st_ino == ours.st_ino && theirs.st_dev == ours.st_dev)
    if (auto list = read_sockets(kinds)) return std::move(list->sockets);
  return read_proc_net(kinds, std::to_string(pid));
}

}  // namespace nsdebug
