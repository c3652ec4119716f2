#pragma once
// Node mode: the global --target HOSTPID and --pod NAME|UID-PREFIX.
#include <CLI/CLI.hpp>

#include "tools/command.h"

namespace nsdebug::cli {

// Adds --target and --pod to the top-level app. Once parsing is complete, before the
// subcommand's callback runs, enters that pod's PID namespace (core/pidns.h): the child runs the
// subcommand with ctx.node_mode set; the parent never runs it, it waits and throws
// CLI::RuntimeError with the child's exit code (128 + N when a signal N ended it).
void setup_node_mode(CLI::App& app, Context& ctx);

}  // namespace nsdebug::cli
