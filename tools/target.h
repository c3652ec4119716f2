#pragma once
// TARGET and TARGET:PATH on the command line. TARGET is a pod PID (exact) or a container name
// (its main process): "nginx:/etc/nginx/nginx.conf", "42:/proc/self/status", "nginx".
#include <sys/types.h>

#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/proc/process_handle.h"

namespace nsdebug::cli {

struct Target {
  std::string name;  // as given
  pid_t pid = 0;     // > 0 when `name` is a PID
};

struct TargetPath {
  Target target;
  std::string path;  // inside the target's root; relative paths start at its "/"
};

// Pure. "nginx", "42"; empty, or a name with '/' or ':', is EINVAL with a hint.
Result<Target> parse_target(std::string_view text);

// Pure. Splits at the first ':' (paths may hold more); a missing ':' or path is EINVAL.
Result<TargetPath> parse_target_path(std::string_view text);

// The process to look into, held by a pidfd: the PID itself (which must exist, and be neither
// a zombie, ESRCH, nor a kernel thread, EINVAL), or the named container's main process from a
// fresh snapshot, checked against the start time listed. ENOENT names the containers there
// are; EINVAL when two or more share the name.
Result<ProcessHandle> resolve_target(const Target& t);

}  // namespace nsdebug::cli
