#pragma once
// A ContainerProbe over canned text, for grouping tests without /proc.
#include <map>

#include "core/containers/container.h"

namespace nsdebug::testing {

struct FakeProbe : ContainerProbe {
  std::map<pid_t, std::string> cgroups, mountinfos;
  std::optional<std::string> cgroup(pid_t pid) override { return get(cgroups, pid); }
  std::optional<std::string> mountinfo(pid_t pid) override { return get(mountinfos, pid); }

 private:
  static std::optional<std::string> get(const std::map<pid_t, std::string>& m, pid_t pid) {
    auto it = m.find(pid);
    return it == m.end() ? std::nullopt : std::optional(it->second);
  }
};

inline Process proc(pid_t pid, pid_t ppid, std::uint64_t mnt_ns, std::vector<std::string> argv,
                    std::uint64_t start = 0) {
  Process p;
  p.pid = pid;
  p.ppid = ppid;
  p.mnt_ns = mnt_ns;
  p.start_ticks = start ? start : static_cast<std::uint64_t>(pid);
  // As the kernel names it: the executable's basename, even after argv is rewritten.
  if (argv.empty()) {
    p.comm = "kworker";
  } else {
    std::string base = argv.front().substr(argv.front().rfind('/') + 1);
    p.comm = base.substr(0, base.find_first_of(": "));
  }
  p.argv = Argv(argv);
  p.state = 'S';
  return p;
}

inline std::string kubelet_mount(const std::string& uid, const std::string& name) {
  return "1200 1180 8:1 /var/lib/kubelet/pods/" + uid + "/containers/" + name +
         "/0 /dev/termination-log rw,relatime - ext4 /dev/sda1 rw\n";
}

}  // namespace nsdebug::testing
