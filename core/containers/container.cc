#include "core/containers/container.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "core/proc/proc_parse.h"
#include "core/proc/procfs.h"

namespace nsdebug {
namespace {

constexpr std::size_t kShortIdLength = 12;  // as docker ps and crictl ps print ids

// Exited and not reaped. A zombie leader whose other threads still run (pthread_exit in
// main) is alive: its threads are counted in its stat.
bool is_zombie(const Process& p) { return p.state == 'Z' && p.threads <= 1; }

std::string_view basename_of(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Index of each process's group. Groups are first keyed by mount namespace; a process whose
// namespace we could not read joins its parent's group (nginx workers whose uid we cannot
// ptrace), else the group whose main process shares its runtime id, else a new group.
// Per-process state lives in flat vectors, not hash maps: at 10,000 processes the maps'
// nodes were 10,000 allocations each, and their pages cost faults.
class Grouper {
 public:
  Grouper(std::vector<Process>& ps, ContainerProbe& probe)
      : ps_(ps), probe_(probe), group_of_(ps.size(), kNone) {
    by_pid_.reserve(ps_.size());
    for (std::size_t i = 0; i < ps_.size(); ++i) by_pid_.push_back({ps_[i].pid, i});
    std::ranges::sort(by_pid_);
  }

  // Zombies last: one whose parent is outside may only join a group that the living made.
  std::vector<std::vector<std::size_t>> run() {
    for (std::size_t i = 0; i < ps_.size(); ++i)
      if (ps_[i].mnt_ns) assign(i, group_for_ns(ps_[i].mnt_ns));
    for (std::size_t i = 0; i < ps_.size(); ++i)
      if (!is_zombie(ps_[i])) resolve(i, 0);
    for (std::size_t i = 0; i < ps_.size(); ++i) resolve(i, 0);
    return std::move(groups_);
  }

 private:
  void assign(std::size_t i, std::size_t g) {
    group_of_[i] = g;
    if (g != kNoGroup) groups_[g].push_back(i);
  }

  std::size_t new_group() {
    groups_.emplace_back();
    return groups_.size() - 1;
  }

  std::size_t group_for_ns(std::uint64_t ns) {
    auto [it, fresh] = ns_group_.try_emplace(ns, 0);
    if (fresh) it->second = new_group();
    return it->second;
  }

  // Depth bounds the parent walk: a ppid cycle cannot happen, but a torn read must not loop.
  // A zombie has no mount namespace left to read: it is its parent's, or in the group its
  // cgroup names, or in none; it never makes a group of its own (a "container" named after
  // its comm, whose root doctor would then fail to read).
  std::size_t resolve(std::size_t i, int depth) {
    if (group_of_[i] != kNone) return group_of_[i];
    bool zombie = is_zombie(ps_[i]);
    std::size_t g = kNoGroup;
    auto parent = index_of(ps_[i].ppid);
    if (parent != kNone && parent != i && depth < 64) g = resolve(parent, depth + 1);
    if (g == kNoGroup) g = group_for_cgroup(ps_[i].pid, !zombie);
    assign(i, g);
    return g;
  }

  std::size_t index_of(pid_t pid) const {
    auto it = std::ranges::lower_bound(by_pid_, std::pair{pid, std::size_t{0}});
    return it != by_pid_.end() && it->first == pid ? it->second : kNone;
  }

  // kNoGroup when `make` is false and no group has this cgroup's runtime id.
  std::size_t group_for_cgroup(pid_t pid, bool make) {
    auto text = probe_.cgroup(pid);
    auto id = text ? runtime_id_from_cgroup(*text) : std::nullopt;
    if (!id) return make ? new_group() : kNoGroup;
    if (auto it = cgroup_group_.find(id->id); it != cgroup_group_.end()) return it->second;
    if (!make) return kNoGroup;
    return cgroup_group_[id->id] = new_group();
  }

  static constexpr auto kNone = static_cast<std::size_t>(-1);     // not resolved yet
  static constexpr auto kNoGroup = static_cast<std::size_t>(-2);  // resolved: in no group
  std::vector<Process>& ps_;
  ContainerProbe& probe_;
  std::vector<std::pair<pid_t, std::size_t>> by_pid_;  // sorted: (pid, index into ps_)
  std::vector<std::size_t> group_of_;                  // kNone until assigned
  std::unordered_map<std::uint64_t, std::size_t> ns_group_;
  std::map<std::string, std::size_t> cgroup_group_;
  std::vector<std::vector<std::size_t>> groups_;
};

// The oldest process whose parent is outside the group: what the runtime started. A zombie
// only when there is no living one: it has no root or mounts left to name the group by.
pid_t main_pid_of(const std::vector<Process>& ps, const std::vector<std::size_t>& members) {
  std::vector<pid_t> pids;
  pids.reserve(members.size());
  for (auto i : members) pids.push_back(ps[i].pid);
  std::ranges::sort(pids);
  auto rank = [](const Process& p) { return std::tuple(is_zombie(p), p.start_ticks, p.pid); };
  const Process* best = nullptr;
  for (auto i : members) {
    const Process& p = ps[i];
    if (std::ranges::binary_search(pids, p.ppid) && p.ppid != p.pid) continue;
    if (!best || rank(p) < rank(*best)) best = &p;
  }
  return best ? best->pid : ps[members.front()].pid;
}

void describe(Container& c, const Process& main, ContainerProbe& probe) {
  if (auto cg = probe.cgroup(main.pid)) {
    if (auto id = runtime_id_from_cgroup(*cg)) {
      c.id = id->id;
      c.runtime = id->runtime;
      c.pod_uid = id->pod_uid;
    }
  }
  if (auto mi = probe.mountinfo(main.pid)) {
    if (auto k = kubelet_container(parse_mountinfo(*mi))) {
      c.name = k->name;
      if (c.pod_uid.empty()) c.pod_uid = k->pod_uid;
    }
  }
  c.sandbox = main.pid == 1 && c.process_count == 1 && is_sandbox_command(main);
  if (c.sandbox) c.name = "sandbox";
  if (c.name.empty() && !c.id.empty()) c.name = c.id.substr(0, kShortIdLength);
  // comm, not argv[0]: nginx rewrites argv[0] to "nginx: master process ...".
  if (c.name.empty())
    c.name = main.comm.empty() && !main.argv.empty() ? std::string(basename_of(main.argv[0]))
                                                     : main.comm;
  if (c.name.empty()) c.name = fmt::format("pid-{}", main.pid);
}

// The first container of a name keeps it; the others get the first NAME-N that no container
// has, of its own or given here (two "app" beside a real "app-2": app, app-3, app-2).
void make_names_unique(std::vector<Container>& cs) {
  std::set<std::string> own, used;
  for (const auto& c : cs) own.insert(c.name);
  for (auto& c : cs) {
    if (used.insert(c.name).second) continue;
    for (int n = 2;; ++n) {
      auto candidate = fmt::format("{}-{}", c.name, n);
      if (!own.contains(candidate) && used.insert(candidate).second) {
        c.name = std::move(candidate);
        break;
      }
    }
  }
}

}  // namespace

bool is_sandbox_command(const Process& p) {
  static const std::set<std::string_view> kSandboxes{"pause", "catatonit", "podman-pause"};
  std::string_view cmd = p.argv.empty() ? std::string_view(p.comm) : p.argv.front();
  return kSandboxes.contains(basename_of(cmd));
}

std::vector<Container> group_into_containers(std::vector<Process>& processes,
                                             ContainerProbe& probe) {
  struct Group {
    Container c;
    std::vector<std::size_t> members;
  };
  std::vector<Group> groups;
  for (auto& members : Grouper(processes, probe).run()) {
    if (members.empty()) continue;
    Group g{{}, std::move(members)};
    g.c.main_pid = main_pid_of(processes, g.members);
    g.c.process_count = g.members.size();
    g.c.mnt_ns = processes[g.members.front()].mnt_ns;
    const Process& main = *std::ranges::find(processes, g.c.main_pid, &Process::pid);
    describe(g.c, main, probe);
    g.c.key = g.c.mnt_ns ? fmt::format("mnt:{}", g.c.mnt_ns)
              : !g.c.id.empty() ? "id:" + g.c.id
                                : fmt::format("pid:{}@{}", main.pid, main.start_ticks);
    groups.push_back(std::move(g));
  }
  // The sandbox first, then in the order the runtime started them.
  std::ranges::sort(groups, [](const Group& a, const Group& b) {
    if (a.c.sandbox != b.c.sandbox) return a.c.sandbox;
    return a.c.main_pid < b.c.main_pid;
  });
  std::vector<Container> containers;
  // A table kept between refreshes holds last time's indexes: a zombie in no group now has -1.
  for (auto& p : processes) p.container = -1;
  for (auto& g : groups) {
    for (auto i : g.members) processes[i].container = static_cast<int>(containers.size());
    containers.push_back(std::move(g.c));
  }
  make_names_unique(containers);
  return containers;
}

std::optional<std::string> ProcProbe::cgroup(pid_t pid) {
  auto text = read_pid_file(pid, PidFile::cgroup);
  return text ? std::optional(std::move(*text)) : std::nullopt;
}

std::optional<std::string> ProcProbe::mountinfo(pid_t pid) {
  auto text = read_pid_file(pid, PidFile::mountinfo);
  return text ? std::optional(std::move(*text)) : std::nullopt;
}

}  // namespace nsdebug
