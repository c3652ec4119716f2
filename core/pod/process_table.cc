#include "core/pod/process_table.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "core/containers/cgroup_stats.h"
#include "core/proc/procfs.h"
#include "core/files/rooted_fs.h"
#include "core/proc/stat_reader.h"

namespace nsdebug {
namespace {

// Grouping asks for a process's cgroup and mountinfo; both stay what they were for as long as
// the process lives (runtimes do not move a container's processes), so each is read once per
// (pid, start time) instead of once per refresh.
class CachingProbe final : public ContainerProbe {
 public:
  // Forgets processes that are gone or whose PID now names another process. Entries are made
  // when grouping first asks about a process (most are grouped by mount namespace and never
  // asked), so 10,000 processes do not cost 10,000 map nodes.
  void sync(const std::vector<Process>& processes) {
    processes_ = &processes;
    std::erase_if(cache_, [&](const auto& entry) {
      auto it = std::ranges::lower_bound(processes, entry.first, {}, &Process::pid);
      return it == processes.end() || it->pid != entry.first ||
             it->start_ticks != entry.second.start_ticks;
    });
  }
  std::optional<std::string> cgroup(pid_t pid) override {
    return cached(pid, &Entry::cgroup, [&] { return real_.cgroup(pid); });
  }
  std::optional<std::string> mountinfo(pid_t pid) override {
    return cached(pid, &Entry::mountinfo, [&] { return real_.mountinfo(pid); });
  }

 private:
  struct Entry {
    std::uint64_t start_ticks = 0;
    std::optional<std::optional<std::string>> cgroup, mountinfo;  // outer: not read yet
  };
  template <class Read>
  std::optional<std::string> cached(pid_t pid, std::optional<std::optional<std::string>> Entry::*f,
                                    Read read) {
    auto it = cache_.find(pid);
    if (it == cache_.end()) {
      const auto* p = processes_ ? find_process(*processes_, pid) : nullptr;
      if (!p) return read();
      it = cache_.emplace(pid, Entry{p->start_ticks, {}, {}}).first;
    }
    auto& slot = it->second.*f;
    if (!slot) slot = read();
    return *slot;
  }
  static const Process* find_process(const std::vector<Process>& ps, pid_t pid) {
    auto it = std::ranges::lower_bound(ps, pid, {}, &Process::pid);
    return it != ps.end() && it->pid == pid ? &*it : nullptr;
  }
  const std::vector<Process>* processes_ = nullptr;
  ProcProbe real_;
  std::map<pid_t, Entry> cache_;
};

double cpu_percent(const Process& now, const Process& before, double interval_s) {
  if (interval_s <= 0 || now.cpu_ticks < before.cpu_ticks) return 0;
  double ticks = static_cast<double>(now.cpu_ticks - before.cpu_ticks);
  return ticks / static_cast<double>(clock_ticks_per_second()) / interval_s * 100.0;
}

}  // namespace

struct ProcessTable::State {
  explicit State(ProcessTableOptions o) : options(o) {}
  ProcessTableOptions options;
  std::optional<StatReader> reader;
  Snapshot snapshot;
  IdentityNames names{snapshot.containers};  // keyed by container key: survives refreshes
  CachingProbe probe;
  std::uint64_t generation = 0;
  // (pid, start) of the processes first read at the last refresh, sorted; and at this one.
  std::vector<std::pair<pid_t, std::uint64_t>> young_, next_young;

  // Known processes keep what was read when they were new; new ones are read whole.
  void carry_over(std::vector<Process>& fresh, double interval_s) {
    auto& old = snapshot.processes;
    auto it = old.begin();
    for (auto& p : fresh) {
      it = std::lower_bound(it, old.end(), p.pid,
                            [](const Process& o, pid_t pid) { return o.pid < pid; });
      bool known = it != old.end() && it->pid == p.pid && it->start_ticks == p.start_ticks;
      // An exec keeps the pid and start time but changes comm and argv; a process new at the
      // last refresh may have set its title since (nginx, postgres): both are read again.
      if (known && (it->comm != p.comm || young(p))) {
        p.cpu_pct = cpu_percent(p, *it, interval_s);
        reader->complete(p, options.read);
      } else if (known) {
        p.argv = std::move(it->argv);
        p.mnt_ns = it->mnt_ns;
        p.host_pid = it->host_pid;
        p.ruid = it->ruid;
        p.rgid = it->rgid;
        p.cpu_pct = cpu_percent(p, *it, interval_s);
      } else {
        reader->complete(p, options.read);
        next_young.emplace_back(p.pid, p.start_ticks);
      }
    }
    young_.swap(next_young);
    next_young.clear();
  }

  bool young(const Process& p) const {
    return std::ranges::binary_search(young_, std::pair{p.pid, p.start_ticks});
  }

  void read_cgroups() {
    for (auto& c : snapshot.containers) {
      c.cgroup.reset();
      if (auto root = RootedFs::open(c.main_pid)) c.cgroup = read_cgroup_stats(*root);
    }
  }
};

ProcessTable::ProcessTable(ProcessTableOptions options)
    : state_(std::make_unique<State>(options)) {}
ProcessTable::~ProcessTable() = default;
ProcessTable::ProcessTable(ProcessTable&&) noexcept = default;
ProcessTable& ProcessTable::operator=(ProcessTable&&) noexcept = default;

Result<void> ProcessTable::refresh() {
  State& st = *state_;
  if (!st.reader) {
    auto reader = StatReader::open(st.options.held_files);
    if (!reader) return std::unexpected(reader.error());
    st.reader.emplace(std::move(*reader));
  }
  auto fresh = st.reader->read(st.snapshot.processes);
  if (!fresh) return std::unexpected(fresh.error());
  double now = uptime_seconds();
  double interval = st.generation ? now - st.snapshot.uptime_s : 0;
  st.carry_over(*fresh, interval);
  st.snapshot.processes = std::move(*fresh);
  st.snapshot.uptime_s = now;
  if (!st.generation) st.snapshot.boot_epoch = read_boot_epoch(now);
  st.probe.sync(st.snapshot.processes);
  st.snapshot.containers = group_into_containers(st.snapshot.processes, st.probe);
  if (st.options.cgroup_stats) st.read_cgroups();
  ++st.generation;
  return {};
}

const Snapshot& ProcessTable::snapshot() const { return state_->snapshot; }
IdentityNames& ProcessTable::names() { return state_->names; }
std::uint64_t ProcessTable::generation() const { return state_->generation; }

}  // namespace nsdebug
