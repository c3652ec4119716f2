#pragma once
// Whether procfs is on /proc. Without it every PID looks gone and every list is empty, so a
// failure that could come from that asks here before it blames the process ("no such process")
// or the PID namespace: the user then hears "mount /proc", the one fix that works.
#include <optional>

#include "core/base/error.h"

namespace nsdebug {

// nullopt when /proc is procfs; else the error to report (what "/proc", the fix in the hint).
// One statfs(2): cheap, but meant for failure paths.
std::optional<Error> proc_unavailable();

// `e`, or proc_unavailable()'s error when /proc is missing (then the cause of `e`).
Error unless_proc_unavailable(Error e);

}  // namespace nsdebug
