#pragma once
// Reaching the process a command or the TUI looks into, with every rule in one place: a PID
// (which must be alive, neither a zombie nor a kernel thread: neither has files or an
// environment of its own) or a container by its name (its main process, held by a pidfd checked
// against the start time listed). The faces parse what the user typed; core decides.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"
#include "core/files/rooted_fs.h"
#include "core/proc/process_handle.h"

namespace nsdebug {

struct Container;  // core/containers/container.h and core/pod/snapshot.h: only named here
struct Snapshot;

// What to reach: a PID (pid > 0, name its text as given) or a container name (pid == 0).
struct TargetRef {
  std::string name;
  pid_t pid = 0;
};

// Pure. What /proc/PID/stat and cmdline say of a PID that exists. ESRCH for a zombie, EINVAL
// for a kernel thread (an empty command line, child of kthreadd or kthreadd itself).
Result<void> check_lookable(pid_t pid, const StatFields& stat, bool empty_cmdline);

// Pure. The main PID of the one container named `name`: ENOENT (naming the containers there
// are) when none is, EINVAL when two or more share it (never a guess).
Result<pid_t> pick_container(std::string_view name, const std::vector<Container>& containers);

// A PID the user named, held by a pidfd, refused when a zombie or kernel thread (reads its
// /proc/PID/stat and cmdline); a PID that is gone says why it is not listed.
Result<ProcessHandle> reach_pid(pid_t pid);

// The named container's main process in `snapshot` (the TUI passes the one it shows).
Result<ProcessHandle> reach_container(std::string_view name, const Snapshot& snapshot);

// A process a face listed (the TUI's row): the same process as listed (its start time), by the
// same rules as reach_pid, so a row that exited or whose PID was reused is never reached.
Result<ProcessHandle> reach_listed(pid_t pid, std::uint64_t start_ticks);

// Either reach_pid or reach_container; a container name takes a fresh snapshot.
Result<ProcessHandle> resolve_target(const TargetRef& target);

// The root of what the user named: every rule of reaching it (resolve_target), and a
// permission failure explained (why, and the fix).
Result<RootedFs> open_target_root(const TargetRef& target);

}  // namespace nsdebug
