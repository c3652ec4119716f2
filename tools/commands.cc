// The command table, and the app main() parses: one place, so tests parse exactly what users
// type (tests/unit/test_cli_options.cc walks every command's options).
#include <algorithm>
#include <array>
#include <string_view>

#include "tools/command.h"
#include "tools/node_mode.h"

namespace nsdebug::cli {
namespace {

constexpr std::array kCommands{
    CommandEntry{"ps", setup_ps},
    CommandEntry{"containers", setup_containers},
    CommandEntry{"kill", setup_kill},
    CommandEntry{"cat", setup_cat},
    CommandEntry{"ls", setup_ls},
    CommandEntry{"stat", setup_stat},
    CommandEntry{"env", setup_env},
    CommandEntry{"tail", setup_tail},
    CommandEntry{"cp", setup_cp},
    CommandEntry{"tar", setup_tar},
    CommandEntry{"inspect", setup_inspect},
    CommandEntry{"net", setup_net},
    CommandEntry{"threads", setup_threads},
    CommandEntry{"pods", setup_pods},
    CommandEntry{"doctor", setup_doctor},
    CommandEntry{"trace", setup_trace},
    CommandEntry{"tui", setup_tui},
    CommandEntry{"sidecar", setup_sidecar},
};

}  // namespace

std::span<const CommandEntry> command_table() { return kCommands; }

namespace {

void build_globals(CLI::App& app, Context& ctx) {
  app.set_version_flag("--version", "nsdebug " NSDEBUG_VERSION);
  // No subcommand: the TUI when both ends are a terminal, else the usage error it always was.
  app.require_subcommand(0, 1);
  app.fallthrough();
  app.add_flag("--read-only", ctx.read_only,
               "Look, never signal: kill and the TUI's kill menu are turned off")
      ->envname("NSDEBUG_READ_ONLY");
  setup_node_mode(app, ctx);
}

}  // namespace

void build_app(CLI::App& app, Context& ctx) {
  build_globals(app, ctx);
  for (const auto& c : kCommands) c.setup(app, ctx);
}

void build_app_for(CLI::App& app, Context& ctx, std::span<const char* const> args) {
  auto named = [&](const CommandEntry& c) {
    return std::ranges::any_of(args, [&](const char* a) { return c.name == std::string_view(a); });
  };
  if (!std::ranges::any_of(kCommands, named)) return build_app(app, ctx);
  build_globals(app, ctx);
  for (const auto& c : kCommands)
    if (named(c)) c.setup(app, ctx);
}

}  // namespace nsdebug::cli
