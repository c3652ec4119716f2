// nsdebug env: a process's environment, secrets masked unless --reveal.
#include <cstdio>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/diagnosis/inspect.h"
#include "tools/command.h"
#include "tools/target.h"
#include "tools/output.h"

namespace nsdebug::cli {
namespace {

struct EnvOptions {
  std::string target;
  bool reveal = false;
  bool json = false;
};

// {"pid", "overwritten", "environ": [{"name", "value"}, ...]}: every entry, in order, a name
// given twice twice. An entry without '=' is its whole text as "name" and a null "value".
// The keys are ours, not the target's, so a name or value that is not UTF-8 gets its exact
// bytes in a sibling "name_b64"/"value_b64" (print_json).
nlohmann::json environ_json(pid_t pid, const EnvironBlock& env) {
  auto entries = nlohmann::json::array();
  for (const auto& e : env.entries) {
    auto eq = e.find('=');
    if (eq == std::string::npos)
      entries.push_back({{"name", e}, {"value", nullptr}});
    else
      entries.push_back({{"name", e.substr(0, eq)}, {"value", e.substr(eq + 1)}});
  }
  return {{"pid", pid}, {"overwritten", env.overwritten}, {"environ", std::move(entries)}};
}

// A title written over the block is said on stderr, not printed as entries; an entry without
// '=' in a block that bears no title is the environment's own, printed as it is.
void print_entries(const EnvironBlock& env) {
  for (const auto& e : env.entries)
    if (!env.overwritten || is_env_pair(e)) print_line(e);
}

int run_env(const EnvOptions& o) {
  auto target = parse_target(o.target);
  if (!target) return exit_usage(target.error());
  auto process = resolve_target(*target);
  if (!process) return exit_failure(process.error());
  // environ, like root, needs ptrace-read access: a denial comes back explained, with the fix.
  auto env = read_environ(*process, o.reveal);
  if (!env) {
    print_error(env.error());
    return 1;
  }
  if (o.json)
    print_json(environ_json(process->pid(), *env));
  else
    print_entries(*env);
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
  sub->add_flag("--json", o->json, "Print a JSON object: every entry, in order");
  sub->callback([o, &ctx] { ctx.exit_code = run_env(*o); });
}

}  // namespace nsdebug::cli
