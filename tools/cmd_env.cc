// nsdebug env: a process's environment, secrets masked unless --reveal.
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/procfs.h"
#include "core/proc_parse.h"
#include "core/redact.h"
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
  auto target = parse_target(o.target);
  if (!target) {
    print_error(target.error());
    return 2;
  }
  auto pid = resolve_target(*target);
  if (!pid) {
    print_error(pid.error());
    return 1;
  }
  // environ, like root, needs ptrace-read access: a denial is explained, with the fix.
  auto text = read_proc_file(*pid, "environ");
  if (!text) {
    Error e = explained(text.error(), *pid);
    e.what = fmt::format("read /proc/{}/environ", *pid);
    print_error(e);
    return 1;
  }
  auto entries = split_nul(*text);
  if (!o.reveal)
    for (auto& e : entries) e = redact_env_entry(e);
  if (o.json) {
    auto out = nlohmann::json::object();
    for (const auto& e : entries) {
      auto eq = e.find('=');
      out[e.substr(0, eq)] = eq == std::string::npos ? "" : e.substr(eq + 1);
    }
    fmt::print("{}\n", out.dump(2));
  } else {
    for (const auto& e : entries) fmt::print("{}\n", e);
  }
  return 0;
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
