// nsdebug pods: on the node, every PID namespace that belongs to a pod or a container.
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/node/pidns.h"
#include "tools/command.h"
#include "tools/output.h"

namespace nsdebug::cli {
namespace {

struct PodsOptions {
  bool json = false;
  bool no_headers = false;
};

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

nlohmann::json pod_json(const PodNamespace& p) {
  return {{"name", p.name},
          {"pod_uid", p.pod_uid},
          {"runtime", p.runtime},
          {"container_id", p.container_id},
          {"sandbox_host_pid", p.init_host_pid},
          {"sandbox", p.sandbox},
          {"init_command", p.init_command},
          {"pid_ns", p.pid_ns},
          {"containers", p.containers},
          {"processes", p.processes},
          {"shared", p.shared()}};
}

std::vector<std::string> pod_row(const PodNamespace& p) {
  return {or_dash(p.name),
          or_dash(p.pod_uid),
          or_dash(p.runtime),
          std::to_string(p.init_host_pid),
          std::to_string(p.containers),
          std::to_string(p.processes),
          p.shared() ? "yes" : "no",
          p.init_command};
}

int run_pods(const PodsOptions& o, Context& ctx) {
  auto pods = list_pod_namespaces();
  if (!pods) {
    print_error(pods.error());
    return 1;
  }
  if (o.json) {
    auto out = nlohmann::json::array();
    for (const auto& p : *pods) out.push_back(pod_json(p));
    print_json(std::move(out));
    return 0;
  }
  Table t;
  t.show_headers = !o.no_headers;
  t.headers = {"NAME", "POD-UID", "RUNTIME", "HOSTPID", "CONTAINERS", "PROCS", "SHARED", "PID1"};
  t.right_aligned = {false, false, false, true, true, true, false, false};
  for (const auto& p : *pods) t.rows.push_back(pod_row(p));
  print_table(stdout, t, ctx.width);
  return 0;
}

}  // namespace

void setup_pods(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<PodsOptions>();
  auto* sub = app.add_subcommand(
      "pods", "On the node (root): the pods' PID namespaces, with their sandbox's host PID");
  sub->add_flag("--json", o->json, "Print a JSON array");
  sub->add_flag("--no-headers", o->no_headers, "Print no header line");
  sub->callback([o, &ctx] { ctx.exit_code = run_pods(*o, ctx); });
}

}  // namespace nsdebug::cli
