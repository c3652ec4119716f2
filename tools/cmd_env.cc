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

// Name to value. The names are the target's, so the exact bytes of an entry that is not UTF-8
// cannot go in a sibling "NAME_b64" (the target may have a variable of that name): they go,
// base64-encoded as whole NAME=VALUE entries, in an array under "=b64", a key no variable can
// have; the entry itself shows its invalid bytes as U+FFFD.
nlohmann::json environ_json(const std::vector<std::string>& entries) {
  auto out = nlohmann::json::object();
  auto exact = nlohmann::json::array();
  for (const auto& e : entries) {
    auto eq = e.find('=');
    std::string name = e.substr(0, eq), value = eq == std::string::npos ? "" : e.substr(eq + 1);
    if (!is_valid_utf8(e)) exact.push_back(base64_encode(e));
    out[replace_invalid_utf8(name)] = replace_invalid_utf8(value);
  }
  if (!exact.empty()) out["=b64"] = std::move(exact);
  return out;
}

int run_env(const EnvOptions& o) {
  auto process = resolve_target_arg(o.target);
  if (!process) return process.error();
  // environ, like root, needs ptrace-read access: a denial comes back explained, with the fix.
  auto env = read_environ(*process, o.reveal);
  if (!env) {
    print_error(env.error());
    return 1;
  }
  if (o.json)
    print_json(environ_json(env->entries));
  else
    for (const auto& e : env->entries) print_line(e);
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
