// nsdebug doctor: where nsdebug runs and what limits it here, each line a verdict and a fix.
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/diagnosis/doctor.h"
#include "tools/command.h"
#include "tools/output.h"

namespace nsdebug::cli {
namespace {

struct DoctorOptions {
  bool json = false;
};

nlohmann::json finding_json(const Finding& f) {
  return {{"check", f.topic},
          {"verdict", verdict_name(f.verdict)},
          {"detail", f.detail},
          {"fix", f.fix.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.fix)}};
}

void print_text(const std::vector<Finding>& findings) {
  for (const auto& f : findings) {
    print_line(fmt::format("{:<5} {}: {}", verdict_name(f.verdict), f.topic, f.detail));
    if (!f.fix.empty()) print_line("      fix: " + f.fix);
  }
}

int run_doctor(const DoctorOptions& o, Context& ctx) {
  auto findings = diagnose(gather_doctor_facts(ctx.node_mode));
  bool ok = !limited(findings);
  if (o.json) {
    auto checks = nlohmann::json::array();
    for (const auto& f : findings) checks.push_back(finding_json(f));
    print_json(nlohmann::json{{"ok", ok}, {"checks", checks}});
  } else {
    print_text(findings);
  }
  return ok ? 0 : 1;
}

}  // namespace

void setup_doctor(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<DoctorOptions>();
  auto* sub = app.add_subcommand(
      "doctor", "Where nsdebug runs and what limits it here; exits 1 when something does");
  sub->add_flag("--json", o->json, "Print a JSON object: ok, and every check with its verdict");
  sub->callback([o, &ctx] { ctx.exit_code = run_doctor(*o, ctx); });
}

}  // namespace nsdebug::cli
