// nsdebug: the command table, option parsing, and the one place errors become exit codes.
#include <array>
#include <cstdio>

#include <CLI/CLI.hpp>

#include "tools/command.h"
#include "tools/node_mode.h"
#include "tools/output.h"

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
    CommandEntry{"pods", setup_pods},
    CommandEntry{"doctor", setup_doctor},
    CommandEntry{"sidecar", setup_sidecar},
};

constexpr int kUsageError = 2;

int usage_error(const CLI::App& app, const CLI::ParseError& e) {
  std::string where = app.get_subcommands().empty()
                          ? "nsdebug --help"
                          : "nsdebug " + app.get_subcommands().front()->get_name() + " --help";
  print_error(Error{0, "usage", e.what(), "see '" + where + "'"});
  return kUsageError;
}

}  // namespace

int run(int argc, char** argv) {
  Context ctx;
  ctx.width = stdout_terminal_width();
  ctx.stdout_is_tty = ctx.width > 0;

  CLI::App app{"nsdebug: debug the processes and files of a Kubernetes pod that shares one "
               "process namespace",
               "nsdebug"};
  app.set_version_flag("--version", "nsdebug " NSDEBUG_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  setup_node_mode(app, ctx);
  for (const auto& c : kCommands) c.setup(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {  // node mode's parent: the child's exit code
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    return usage_error(app, e);
  }
  return ctx.exit_code;
}

}  // namespace nsdebug::cli

int main(int argc, char** argv) { return nsdebug::cli::run(argc, argv); }
