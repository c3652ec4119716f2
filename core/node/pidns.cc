#include "core/node/pidns.h"

#include <dirent.h>
#include <linux/capability.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "core/containers/container.h"
#include "core/proc/proc_mount.h"
#include "core/proc/proc_parse.h"
#include "core/node/pod_channel.h"
#include "core/proc/procfs.h"
#include "core/base/sys.h"

namespace nsdebug {
namespace {

constexpr const char* kRootHint = "run nsdebug on the node as root (sudo nsdebug ...)";

std::uint64_t ns_inode(int proc_fd, std::string_view pid, const char* ns) {
  auto path = fmt::format("{}/ns/{}", pid, ns);
  struct stat st {};
  if (::fstatat(proc_fd, path.c_str(), &st, 0) < 0) return 0;
  return st.st_ino;
}

// Calls f(pid, "pid") for every process directory of the /proc open at proc_fd.
template <class F>
void for_each_pid(int proc_fd, F f) {
  // fdopendir takes the fd over, and rewinding a shared fd would race with other readers.
  DIR* dir = ::fdopendir(::openat(proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return;
  while (const dirent* e = ::readdir(dir)) {
    char* end = nullptr;
    long pid = std::strtol(e->d_name, &end, 10);
    if (pid > 0 && *end == '\0') f(static_cast<pid_t>(pid), std::string_view(e->d_name));
  }
  ::closedir(dir);
}

std::vector<pid_t> nspid_of(int proc_fd, std::string_view pid) {
  auto text = read_small_file(proc_fd, fmt::format("{}/status", pid).c_str());
  if (!text) return {};
  auto s = parse_status(*text);
  return s ? s->nspid : std::vector<pid_t>{};
}

// Only processes outside our own namespace need their status read: the node's own thousands
// of processes cost one stat each.
// `denied`: processes whose namespace we may not see (another uid's, without CAP_SYS_PTRACE).
std::vector<HostProcess> read_host_processes(int proc_fd, std::uint64_t own_pid_ns,
                                             std::size_t& denied) {
  std::vector<HostProcess> out;
  for_each_pid(proc_fd, [&](pid_t pid, std::string_view name) {
    HostProcess h{pid, ns_inode(proc_fd, name, "pid"), 0, {}};
    if (h.pid_ns == 0 && (errno == EACCES || errno == EPERM)) ++denied;
    if (h.pid_ns == 0 || h.pid_ns == own_pid_ns) return;
    h.mnt_ns = ns_inode(proc_fd, name, "mnt");
    h.nspid = nspid_of(proc_fd, name);
    if (!h.nspid.empty()) out.push_back(std::move(h));
  });
  return out;
}

// setns(CLONE_NEWUTS) in a short-lived thread: the UTS namespace is per thread, so the main
// thread never leaves its own, and no fork (tens of ms on busy VMs) per namespace.
// /proc/PID/root/etc/hostname is not used: it is a file the image or the kubelet provides,
// not the hostname the pod actually has.
Result<std::string> uts_hostname(int proc_fd, pid_t pid) {
  auto path = fmt::format("{}/ns/uts", pid);
  UniqueFd ns(::openat(proc_fd, path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!ns) return fail_errno(fmt::format("open /proc/{}", path), kRootHint);
  Result<std::string> out = fail(0, "uname");
  std::thread t([&] {
    if (auto r = sys::setns(ns.get(), CLONE_NEWUTS); !r) {
      out = std::unexpected(r.error());
      return;
    }
    utsname u{};
    if (::uname(&u) == 0) out = std::string(u.nodename);
  });
  t.join();
  return out;
}

void describe(PodNamespace& pod, int proc_fd) {
  pid_t pid = pod.init_host_pid;
  Process init;
  if (auto comm = read_small_file(proc_fd, fmt::format("{}/comm", pid).c_str()))
    init.comm = comm->substr(0, comm->find('\n'));
  if (auto cmdline = read_small_file(proc_fd, fmt::format("{}/cmdline", pid).c_str()))
    init.argv = Argv(split_nul(*cmdline));
  pod.init_command = init.argv.empty() ? init.comm : std::string(init.argv.front());
  pod.sandbox = is_sandbox_command(init);
  if (auto cg = read_small_file(proc_fd, fmt::format("{}/cgroup", pid).c_str())) {
    if (auto id = runtime_id_from_cgroup(*cg)) {
      pod.runtime = id->runtime;
      pod.pod_uid = id->pod_uid;
      pod.container_id = id->id;
    }
  }
  if (auto name = uts_hostname(proc_fd, pid)) pod.name = *name;
}

}  // namespace

std::vector<PodNamespace> group_pid_namespaces(std::span<const HostProcess> processes,
                                               std::uint64_t own_pid_ns) {
  std::map<std::uint64_t, PodNamespace> by_ns;
  std::map<std::uint64_t, std::set<std::uint64_t>> mounts;
  for (const HostProcess& h : processes) {
    if (h.pid_ns == own_pid_ns || h.nspid.size() < 2) continue;
    PodNamespace& pod = by_ns[h.pid_ns];
    pod.pid_ns = h.pid_ns;
    ++pod.processes;
    if (h.nspid.back() == 1) pod.init_host_pid = h.host_pid;
    if (h.mnt_ns) mounts[h.pid_ns].insert(h.mnt_ns);
  }
  std::vector<PodNamespace> out;
  for (auto& [ns, pod] : by_ns) {
    if (!pod.init_host_pid) continue;
    pod.containers = mounts[ns].size();
    out.push_back(std::move(pod));
  }
  std::ranges::sort(out, {}, &PodNamespace::init_host_pid);
  return out;
}

namespace {

// The node's /proc, checked to be procfs: on a tmpfs or a bare directory every lookup below
// would fail as "no such process" or "run as root", neither of them the fix.
Result<UniqueFd> open_proc() {
  if (auto missing = proc_unavailable()) return std::unexpected(std::move(*missing));
  UniqueFd proc(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!proc) return fail_errno("open /proc", "is /proc mounted here?");
  return proc;
}

}  // namespace

Result<std::vector<PodNamespace>> list_pod_namespaces() {
  auto opened = open_proc();
  if (!opened) return std::unexpected(opened.error());
  UniqueFd proc = std::move(*opened);
  std::uint64_t own = ns_inode(proc.get(), "self", "pid");
  if (!own) return fail_errno("stat /proc/self/ns/pid", kRootHint);
  std::size_t denied = 0;
  auto pods = group_pid_namespaces(read_host_processes(proc.get(), own, denied), own);
  // As a plain user every root process's namespace is closed: "no pods" would be a guess. (Root
  // may be denied one too, by an LSM or a user namespace; it sees the pods' all the same.)
  std::uint64_t caps = sys::effective_capabilities().value_or(0);
  bool can_ptrace = caps & (std::uint64_t{1} << CAP_SYS_PTRACE);
  if (pods.empty() && denied > 0 && !can_ptrace)
    return fail(EACCES, "find the pods",
                fmt::format("the PID namespaces of {} processes cannot be read as uid {} "
                            "without CAP_SYS_PTRACE",
                            denied, ::geteuid()),
                kRootHint);
  std::erase_if(pods, [&](PodNamespace& pod) {
    describe(pod, proc.get());
    return !pod.sandbox && pod.runtime.empty();
  });
  return pods;
}

Result<PodNamespace> find_pod(std::span<const PodNamespace> pods, std::string_view query) {
  std::string what = fmt::format("--pod {}", query);
  if (query.empty()) return fail(EINVAL, what, "empty pod name", "give a pod name or UID prefix");
  std::vector<const PodNamespace*> found;
  for (const auto& p : pods)
    if (p.name == query) found.push_back(&p);
  if (found.empty())
    for (const auto& p : pods)
      if (!p.pod_uid.empty() && p.pod_uid.starts_with(query)) found.push_back(&p);
  if (found.empty())
    return fail(ENOENT, what, "no pod of that name or UID on this node",
                "'nsdebug pods' lists the pods nsdebug sees here");
  if (found.size() > 1 && std::ranges::count_if(found, &PodNamespace::sandbox) > 0)
    std::erase_if(found, [](const PodNamespace* p) { return !p->sandbox; });
  if (found.size() == 1) return *found.front();
  std::string list;
  for (const auto* p : found)
    list += fmt::format("{}{} (PID 1: host PID {}, {})", list.empty() ? "" : "; ", p->name,
                        p->init_host_pid, p->init_command);
  return fail(EINVAL, what, fmt::format("several PID namespaces match: {}", list),
              "name one with --target HOSTPID");
}

std::unordered_map<pid_t, pid_t> host_pids(int proc_fd, std::uint64_t pid_ns) {
  std::unordered_map<pid_t, pid_t> map;
  for_each_pid(proc_fd, [&](pid_t pid, std::string_view name) {
    if (ns_inode(proc_fd, name, "pid") != pid_ns) return;
    auto nspid = nspid_of(proc_fd, name);
    if (!nspid.empty()) map[nspid.back()] = pid;
  });
  return map;
}

void fill_host_pids(const HostView& host, std::span<Process> processes) {
  if (host.channel < 0) return;
  if (!send_pod_message(host.channel, PodMessage::kHostPids, {})) return;
  std::unordered_map<pid_t, pid_t> map;
  for (;;) {
    auto m = receive_pod_message(host.channel);
    if (!m || m->kind != PodMessage::kHostPids || m->body.empty()) break;
    std::istringstream lines(m->body);
    for (pid_t pod, node; lines >> pod >> node;) map[pod] = node;
  }
  for (Process& p : processes) {
    auto it = map.find(p.pid);
    if (it != map.end()) p.host_pid = it->second;
  }
}

}  // namespace nsdebug
