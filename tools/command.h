#pragma once
// What every subcommand file provides, and what they share at run time.
#include <CLI/CLI.hpp>

#include <span>

#include "core/node/node_relay.h"
#include "core/node/pidns.h"
#include "core/base/unique_fd.h"

namespace nsdebug::cli {

struct Context {
  bool stdout_is_tty = false;
  int width = 0;       // terminal columns when stdout is a terminal, else 0 (no cutting)
  int exit_code = 0;   // set by the subcommand that ran
  // Node mode (--target/--pod, tools/node_mode.h): we run inside the pod, holding nothing of
  // the node but `node_channel` to the node side, which answers for host PIDs and writes cp's
  // files (core/node/node_relay.h).
  bool node_mode = false;
  // On the node: the command ran in the pod (or could not start), exit_code is how it ended.
  bool ended_on_node = false;
  UniqueFd node_channel;
  HostView host;
  std::span<char* const> argv;  // our command line: node mode runs it again in the pod
  // --read-only (or NSDEBUG_READ_ONLY=1): nothing is signalled, by kill or by the TUI, as
  // htop's --readonly. Files are never written in any mode.
  bool read_only = false;
};

// One entry per subcommand: adds it to `app`; its callback runs it and sets ctx.exit_code.
struct CommandEntry {
  const char* name;
  void (*setup)(CLI::App& app, Context& ctx);
};

// Every subcommand, in the order --help lists them (tools/commands.cc).
std::span<const CommandEntry> command_table();

// The whole CLI as main() parses it: --version, node mode (--target, --pod), every command.
void build_app(CLI::App& app, Context& ctx);
// The same app with only the subcommands whose names appear among `args` (all of them when
// none does: --help, a typo, the TUI by default). Building every subcommand's options is a
// third of a pod-sized `nsdebug ps`; a name that is really an option's value ("--pod cat ps")
// only costs building one more.
void build_app_for(CLI::App& app, Context& ctx, std::span<const char* const> args);

void setup_ps(CLI::App& app, Context& ctx);
void setup_containers(CLI::App& app, Context& ctx);
void setup_kill(CLI::App& app, Context& ctx);
void setup_cat(CLI::App& app, Context& ctx);
void setup_env(CLI::App& app, Context& ctx);
void setup_ls(CLI::App& app, Context& ctx);
void setup_stat(CLI::App& app, Context& ctx);
void setup_tail(CLI::App& app, Context& ctx);
void setup_cp(CLI::App& app, Context& ctx);
// Node mode's cp, on the node: writes DEST from a root the pod side opened (tools/cmd_cp.cc).
int copy_on_node(CopyRequest& request);
void setup_tar(CLI::App& app, Context& ctx);
void setup_inspect(CLI::App& app, Context& ctx);
void setup_net(CLI::App& app, Context& ctx);
void setup_threads(CLI::App& app, Context& ctx);
void setup_pods(CLI::App& app, Context& ctx);
void setup_doctor(CLI::App& app, Context& ctx);
void setup_trace(CLI::App& app, Context& ctx);
void setup_tui(CLI::App& app, Context& ctx);
// `nsdebug` alone on a terminal: the TUI with its defaults.
int run_default_tui(Context& ctx);
void setup_sidecar(CLI::App& app, Context& ctx);

}  // namespace nsdebug::cli
