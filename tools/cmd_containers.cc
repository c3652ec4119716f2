// nsdebug containers: one row per container of the pod.
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/proc/access.h"
#include "core/files/rooted_fs.h"
#include "core/pod/snapshot.h"
#include "tools/command.h"
#include "tools/output.h"

namespace nsdebug::cli {
namespace {

constexpr std::size_t kShortId = 12;

struct ContainersOptions {
  bool json = false;
  bool no_headers = false;
};

struct RootAccess {
  bool readable;
  std::string why;  // empty when readable
};

RootAccess probe_root(const Container& c) {
  auto root = RootedFs::open(c.main_pid);
  if (root) return {true, {}};
  Error e = explain(root.error(), c.main_pid);
  return {false, e.reason()};
}

nlohmann::json container_json(const Container& c, const RootAccess& a) {
  return {{"name", c.name},
          {"id", c.id},
          {"runtime", c.runtime},
          {"pod_uid", c.pod_uid},
          {"processes", c.process_count},
          {"main_pid", c.main_pid},
          {"sandbox", c.sandbox},
          {"mnt_ns", c.mnt_ns},
          {"root_readable", a.readable},
          {"root_error", a.readable ? nlohmann::json(nullptr) : nlohmann::json(a.why)}};
}

std::vector<std::string> container_row(const Container& c, const RootAccess& a) {
  return {c.name,
          c.id.empty() ? "-" : c.id.substr(0, kShortId),
          c.runtime.empty() ? "-" : c.runtime,
          std::to_string(c.process_count),
          std::to_string(c.main_pid),
          c.sandbox ? "yes" : "no",
          a.readable ? "yes" : "no: " + a.why};
}

int run_containers(const ContainersOptions& o, Context& ctx) {
  auto snapshot = take_snapshot();
  if (!snapshot) {
    print_error(snapshot.error());
    return 1;
  }
  if (o.json) {
    auto out = nlohmann::json::array();
    for (const auto& c : snapshot->containers) out.push_back(container_json(c, probe_root(c)));
    print_json(std::move(out));
    return 0;
  }
  Table t;
  t.show_headers = !o.no_headers;
  t.headers = {"NAME", "ID", "RUNTIME", "PROCS", "MAIN-PID", "SANDBOX", "ROOT-READABLE"};
  t.right_aligned = {false, false, false, true, true, false, false};
  for (const auto& c : snapshot->containers) t.rows.push_back(container_row(c, probe_root(c)));
  print_table(stdout, t, ctx.width);
  return 0;
}

}  // namespace

void setup_containers(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ContainersOptions>();
  auto* sub = app.add_subcommand("containers", "One row per container of the pod");
  sub->add_flag("--json", o->json, "Print a JSON array");
  sub->add_flag("--no-headers", o->no_headers, "Print no header line");
  sub->callback([o, &ctx] { ctx.exit_code = run_containers(*o, ctx); });
}

}  // namespace nsdebug::cli
