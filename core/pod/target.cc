#include "core/pod/target.h"

#include <fmt/format.h>

#include "core/containers/container.h"
#include "core/proc/access.h"
#include "core/diagnosis/doctor.h"
#include "core/proc/procfs.h"
#include "core/pod/snapshot.h"

namespace nsdebug {
namespace {

// The PID's own /proc words; nothing when it is gone since (the caller's open says so).
Result<void> check_lookable(pid_t pid) {
  auto stat = read_proc_file(pid, "stat");
  auto fields = stat ? parse_stat(*stat) : std::nullopt;
  if (!fields) return {};
  bool empty_cmdline = false;
  if (fields->state != 'Z') {
    auto cmdline = read_proc_file(pid, "cmdline");
    empty_cmdline = cmdline && cmdline->empty();
  }
  return check_lookable(pid, *fields, empty_cmdline);
}

}  // namespace

Result<void> check_lookable(pid_t pid, const StatFields& stat, bool empty_cmdline) {
  std::string what = fmt::format("PID {}", pid);
  // A zombie's root, cwd and environ are gone.
  if (stat.state == 'Z')
    return fail(ESRCH, what, "a zombie: it has exited; its files and environment are gone",
                fmt::format("its parent, PID {}, has not reaped it yet", stat.ppid));
  // A kernel thread's root is the kernel's, not a container's.
  if (empty_cmdline && (stat.ppid == 2 || pid == 2))
    return fail(EINVAL, what, "a kernel thread: it has no files or environment of its own",
                "name a process of the pod; 'nsdebug ps' lists them");
  return {};
}

Result<pid_t> pick_container(std::string_view name, const std::vector<Container>& containers) {
  std::string names, pids;
  std::vector<pid_t> matches;
  for (const auto& c : containers) {
    if (c.name == name) {
      matches.push_back(c.main_pid);
      pids += fmt::format("{}{}", pids.empty() ? "" : ", ", c.main_pid);
    }
    names += names.empty() ? c.name : ", " + c.name;
  }
  if (matches.size() == 1) return matches.front();
  // Grouping makes names unique (core/containers/container.cc); should two ever match, never guess.
  if (matches.size() > 1)
    return fail(EINVAL, fmt::format("container '{}'", name),
                fmt::format("ambiguous: {} containers have that name (main PIDs {})",
                            matches.size(), pids),
                fmt::format("name one by its PID, e.g. {}:/etc/hostname", matches.front()));
  return fail(ENOENT, fmt::format("container '{}'", name), "no such container",
              fmt::format("containers here: {}", names));
}

Result<ProcessHandle> reach_pid(pid_t pid) {
  auto h = ProcessHandle::open_current(pid);
  if (h) {
    if (auto ok = check_lookable(pid); !ok) return std::unexpected(ok.error());
    return h;
  }
  if (h.error().code != ESRCH) return h;
  // A zombie holds its PID but counts as exited: say which it is.
  if (auto ok = check_lookable(pid); !ok) return std::unexpected(ok.error());
  auto snapshot = take_snapshot();
  if (!snapshot) return std::unexpected(snapshot.error());  // no /proc: every PID is "gone"
  return fail(ESRCH, fmt::format("PID {}", pid), why_not_listed(pid),
              add_where_hint("see 'nsdebug ps'", *snapshot));
}

Result<ProcessHandle> reach_listed(pid_t pid, std::uint64_t start_ticks) {
  auto h = ProcessHandle::open(pid, start_ticks);
  if (!h) return h;
  if (auto ok = check_lookable(pid); !ok) return std::unexpected(ok.error());
  return h;
}

Result<ProcessHandle> reach_container(std::string_view name, const Snapshot& snapshot) {
  auto pid = pick_container(name, snapshot.containers);
  if (!pid) {
    if (pid.error().code == ENOENT)
      pid.error().hint = add_where_hint(std::move(pid.error().hint), snapshot);
    return std::unexpected(pid.error());
  }
  const Process* main = snapshot.find(*pid);
  return ProcessHandle::open(*pid, main ? main->start_ticks : 0);
}

Result<ProcessHandle> resolve_target(const TargetRef& target) {
  if (target.pid > 0) return reach_pid(target.pid);
  auto snapshot = take_snapshot();
  if (!snapshot) return std::unexpected(snapshot.error());
  return reach_container(target.name, *snapshot);
}

Result<RootedFs> open_target_root(const TargetRef& target) {
  auto process = resolve_target(target);
  if (!process) return std::unexpected(process.error());
  auto root = RootedFs::open(*process);
  if (!root) {
    Error e = explain(root.error(), process->pid());
    if (target.pid == 0) e.what += " (container " + target.name + ")";
    return std::unexpected(std::move(e));
  }
  return root;
}

}  // namespace nsdebug
