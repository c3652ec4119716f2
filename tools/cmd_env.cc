// nsdebug env: a process's environment, secrets masked unless --reveal.
#include <cstdio>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/inspect.h"
#include "tools/command.h"
#include "tools/file_access.h"
#include "tools/output.h"

namespace nsdebug::cli {
namespace {

struct EnvOptions {
  std::string target;
  bool reveal = false;
  bool json = false;
};

int run_env(const EnvOptions& o) {
  auto process = resolve_target_arg(o.target);
  if (!process) return process.error();
  // environ, like root, needs ptrace-read access: a denial comes back explained, with the fix.
  auto env = read_environ(*process, o.reveal);
  if (!env) {
    print_error(env.error());
    return 1;
  }
  if (o.json) {
    auto out = nlohmann::json::object();
    for (const auto& e : env->entries) {
      auto eq = e.find('=');
      out[e.substr(0, eq)] = e.substr(eq + 1);
    }
    fmt::print("{}\n", out.dump(2));
  } else {
    for (const auto& e : env->entries) fmt::print("{}\n", e);
  }
  if (!env->overwritten) return 0;
  std::fflush(stdout);
  print_error({0, fmt::format("env {}", process->pid()), kEnvironOverwritten, kEnvironOverwrittenHint});
  return 1;
}

}  // namespace

void setup_env(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<EnvOptions>();
  auto* sub = app.add_subcommand("env", "Print a process's environment, secrets masked");
  sub->add_option("target", o->target, "A pod PID or a container name (its main process)")
      ->required();
  sub->add_flag("--reveal", o->reveal, "Show secret-looking values instead of ***");
  sub->add_flag("--json", o->json, "Print a JSON object");
  sub->callback([o, &ctx] { ctx.exit_code = run_env(*o); });
}

}  // namespace nsdebug::cli
