#include "core/diagnosis/inspect.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "core/proc/access.h"
#include "core/net/socket_source.h"
#include "core/proc/procfs.h"
#include "core/present/redact.h"

namespace nsdebug {
namespace {

constexpr std::array<const char*, 8> kNamespaceTypes{"cgroup", "ipc",  "mnt", "net",
                                                     "pid",    "time", "user", "uts"};

Result<std::string> proc_readlink(pid_t pid, const std::string& name) {
  auto path = fmt::format("/proc/{}/{}", pid, name);
  std::array<char, 4096> buf{};
  ssize_t n = ::readlink(path.c_str(), buf.data(), buf.size());
  if (n < 0) return std::unexpected(explain(Error{errno, "readlink " + path, {}, {}}, pid));
  return std::string(buf.data(), static_cast<std::size_t>(n));
}

Result<std::string> proc_file(pid_t pid, const char* name) {
  auto text = read_proc_file(pid, name);
  if (!text) {
    Error e = explain(text.error(), pid);
    e.what = fmt::format("read /proc/{}/{}", pid, name);
    return std::unexpected(std::move(e));
  }
  return text;
}

Result<std::vector<Namespace>> namespaces_of(pid_t pid) {
  std::vector<Namespace> out;
  for (const char* type : kNamespaceTypes) {
    auto link = proc_readlink(pid, fmt::format("ns/{}", type));
    if (!link) {
      if (link.error().code == ENOENT) continue;  // an older kernel without this namespace
      return std::unexpected(link.error());
    }
    // "mnt:[4026531841]"
    auto open = link->find('[');
    Namespace ns{type, 0};
    if (open != std::string::npos) ns.inode = std::strtoull(link->c_str() + open + 1, nullptr, 10);
    out.push_back(std::move(ns));
  }
  return out;
}

// The sockets of the process's network namespace, by inode, as `nsdebug net` reads them.
std::unordered_map<std::uint64_t, std::string> socket_names(pid_t pid) {
  std::unordered_map<std::uint64_t, std::string> names;
  SocketKinds every{.tcp = true, .udp = true, .raw = true, .unix_sockets = true};
  if (auto sockets = read_sockets_of(pid, every))
    for (const Socket& s : *sockets)
      if (s.inode) names.emplace(s.inode, describe_socket(s));
  return names;
}

Result<std::vector<OpenFd>> fds_of(pid_t pid) {
  auto dir_path = fmt::format("/proc/{}/fd", pid);
  DIR* dir = ::opendir(dir_path.c_str());
  if (!dir) return std::unexpected(explain(Error{errno, "list " + dir_path, {}, {}}, pid));
  std::vector<OpenFd> fds;
  while (dirent* d = ::readdir(dir)) {
    if (d->d_name[0] == '.') continue;
    OpenFd f{std::atoi(d->d_name), {}, {}};
    // An fd closed between readdir and readlink is simply gone.
    if (auto t = proc_readlink(pid, fmt::format("fd/{}", d->d_name))) f.target = *t;
    else continue;
    fds.push_back(std::move(f));
  }
  ::closedir(dir);
  std::ranges::sort(fds, {}, &OpenFd::fd);
  bool any_socket = std::ranges::any_of(fds, [](auto& f) { return f.target.starts_with("socket:["); });
  if (!any_socket) return fds;
  auto names = socket_names(pid);
  for (auto& f : fds) {
    if (!f.target.starts_with("socket:[")) continue;
    auto it = names.find(std::strtoull(f.target.c_str() + 8, nullptr, 10));
    if (it != names.end()) f.socket = it->second;
  }
  return fds;
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(' ');
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(' ');
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

std::vector<Limit> parse_limits(std::string_view text) {
  // "Limit                     Soft Limit           Hard Limit           Units     "
  // Names hold spaces, so the kernel's fixed widths (25, 20, 20, 10 plus a space) split it.
  std::vector<Limit> out;
  bool header = true;
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (std::exchange(header, false) || line.size() < 47) continue;
    Limit l{trim(line.substr(0, 26)), trim(line.substr(26, 21)), trim(line.substr(47, 21)),
            line.size() > 68 ? trim(line.substr(68)) : ""};
    out.push_back(std::move(l));
  }
  return out;
}

// g++ 12's std::expected has no transform(): the same, for these few parts.
template <class F>
auto map_text(Result<std::string> text, F f) -> Result<decltype(f(*text))> {
  if (!text) return std::unexpected(text.error());
  return f(*text);
}

namespace {

Result<EnvironBlock> environ_of(pid_t pid, bool reveal) {
  return map_text(proc_file(pid, "environ"), [&](const std::string& t) {
    EnvironBlock env = parse_environ(t);
    if (!reveal)
      for (auto& e : env.entries) e = redact_env_entry(e);
    return env;
  });
}

std::unexpected<Error> exited(pid_t pid) {
  return fail(ESRCH, fmt::format("pid {}", pid), "it has exited");
}

}  // namespace

Inspection inspect_process(const ProcessHandle& process, bool reveal) {
  pid_t pid = process.pid();
  Inspection in{pid, {}, {}, {}, {}, {}, {}, {}, {}, {}};
  in.argv = map_text(proc_file(pid, "cmdline"), [&](const std::string& t) {
    auto argv = split_nul(t);
    return reveal ? argv : redact_argv(Argv(argv));
  });
  in.exe = proc_readlink(pid, "exe");
  in.cwd = proc_readlink(pid, "cwd");
  auto status = map_text(proc_file(pid, "status"), [](const std::string& t) { return parse_status(t); });
  if (status && !*status)
    in.status = fail(EINVAL, fmt::format("/proc/{}/status", pid), "unexpected format");
  else if (status)
    in.status = **status;
  else
    in.status = std::unexpected(status.error());
  in.namespaces = namespaces_of(pid);
  in.cgroup = proc_file(pid, "cgroup");
  in.fds = fds_of(pid);
  in.limits = map_text(proc_file(pid, "limits"), [](const std::string& t) { return parse_limits(t); });
  in.environ = environ_of(pid, reveal);
  if (process.exited()) in = {pid, exited(pid), exited(pid), exited(pid), exited(pid),
                              exited(pid), exited(pid), exited(pid), exited(pid), exited(pid)};
  return in;
}

bool is_env_pair(std::string_view entry) {
  auto eq = entry.find('=');
  return eq != std::string_view::npos && eq > 0;
}

EnvironBlock parse_environ(std::string_view text) {
  EnvironBlock block;
  // execve ends each entry with one NUL; two in a row are padding (split_nul drops a trailing
  // run, so it is looked for here).
  bool padded = text.ends_with(std::string_view("\0\0", 2)), odd = false;
  for (auto& entry : split_nul(text)) {
    if (entry.empty()) {
      padded = true;
      continue;
    }
    odd = odd || !is_env_pair(entry);
    block.entries.push_back(std::move(entry));
  }
  block.overwritten = padded && odd;
  return block;
}

Result<EnvironBlock> read_environ(const ProcessHandle& process, bool reveal) {
  auto env = environ_of(process.pid(), reveal);
  if (process.exited()) return exited(process.pid());
  return env;
}

}  // namespace nsdebug
