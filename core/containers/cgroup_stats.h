#pragma once
// A container's own cgroup (v2) figures: memory against its limit, OOM kills, CPU throttling.
// Read through the container's root (its /sys/fs/cgroup is its cgroup namespace's root, so it
// shows exactly that container's cgroup), which needs the same ptrace access as its files.
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/files/rooted_fs.h"

namespace nsdebug {

struct CgroupStats {
  std::optional<std::uint64_t> memory_bytes;      // memory.current
  std::optional<std::uint64_t> memory_max_bytes;  // memory.max; nullopt when "max"
  std::optional<std::uint64_t> oom_kills;         // memory.events oom_kill
  std::optional<std::uint64_t> nr_throttled;      // cpu.stat
  std::optional<std::uint64_t> throttled_usec;    // cpu.stat
  std::optional<double> cpu_quota_cores;          // cpu.max quota/period; nullopt when "max"
};

// The cgroup files' texts, as read (an empty view for a file that was not there).
struct CgroupFiles {
  std::string_view memory_current, memory_max, memory_events, cpu_stat, cpu_max;
};
// nullopt unless memory.current is there: the root cgroup has none, and a container that
// shares the host's cgroup namespace shows the root, whose figures are the node's, not its own.
std::optional<CgroupStats> parse_cgroup_stats(const CgroupFiles& files);

// /sys/fs/cgroup/* through the container's root; nullopt when unreadable.
std::optional<CgroupStats> read_cgroup_stats(const RootedFs& root);

}  // namespace nsdebug
