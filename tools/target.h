#pragma once
// TARGET and TARGET:PATH on the command line, parsed. TARGET is a pod PID (exact) or a
// container name (its main process): "nginx:/etc/nginx/nginx.conf", "42:/proc/self/status",
// "nginx". Reaching it is core's (core/pod/target.h: resolve_target, open_target_root).
#include <sys/types.h>

#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/pod/target.h"

namespace nsdebug::cli {

// name as given; pid > 0 when `name` is a PID.
using Target = TargetRef;

struct TargetPath {
  Target target;
  std::string path;  // inside the target's root; relative paths start at its "/"
};

// Pure. "nginx", "42"; empty, or a name with '/' or ':', is EINVAL with a hint.
Result<Target> parse_target(std::string_view text);

// Pure. Splits at the first ':' (paths may hold more); a missing ':' or path is EINVAL.
Result<TargetPath> parse_target_path(std::string_view text);

}  // namespace nsdebug::cli
