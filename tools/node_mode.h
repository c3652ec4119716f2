#pragma once
// Node mode: the global --target HOSTPID and --pod NAME|UID-PREFIX.
#include <CLI/CLI.hpp>

#include <optional>
#include <span>
#include <string>

#include "tools/command.h"

namespace nsdebug::cli {

// Adds --target and --pod to the top-level app. Once parsing is complete, before the
// subcommand's callback runs, runs our command line again inside that pod (core/node/node_relay.h,
// core/node/pod_entry.h): the process there runs the subcommand with ctx.node_mode set; this one
// never runs it, it relays and throws CLI::RuntimeError with that process's exit code (128 + N
// when a signal N ended it). Empty or non-numeric values are usage errors.
void setup_node_mode(CLI::App& app, Context& ctx);

// "--pod=" and "--target=" with nothing after '=': CLI11 would take the next word (the
// subcommand) as the value. The message to refuse them with, as a usage error.
std::optional<std::string> empty_node_option(std::span<char* const> argv);

}  // namespace nsdebug::cli
