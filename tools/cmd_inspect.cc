// nsdebug inspect: one page about one process. Each part we may not read says why instead of
// failing the page: cmdline, status, cgroup and limits are world-readable, the rest needs
// ptrace access.
#include <functional>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/proc/access.h"
#include "core/containers/identity.h"
#include "core/diagnosis/inspect.h"
#include "core/diagnosis/inspect_page.h"
#include "core/pod/snapshot.h"
#include "tools/command.h"
#include "tools/target.h"
#include "tools/output.h"

namespace nsdebug::cli {
namespace {

using nlohmann::json;

struct InspectOptions {
  std::string target;
  bool reveal = false;
  bool json = false;
};

json error_json(const Error& e) {
  json j{{"error", e.what}, {"why", e.reason()}};
  if (!e.hint.empty()) j["hint"] = e.hint;
  return j;
}

template <class T, class F>
json part_json(const Result<T>& r, F f) {
  return r ? f(*r) : error_json(r.error());
}

// The page core lays out (core/diagnosis/inspect_page.h), escaped for a terminal.
void print_text(const Inspection& in, const InspectContext& c) {
  for (const auto& line : inspect_page_lines(inspect_rows(in, c), escape_for_terminal))
    fmt::print("{}\n", line);
}

json status_json(const StatusIds& s, const InspectContext& c) {
  auto user = [&](uid_t id) { return json{{"id", id}, {"name", c.user(id)}}; };
  auto group = [&](gid_t id) { return json{{"id", id}, {"name", c.group(id)}}; };
  auto caps = [](std::uint64_t v) { return json{{"hex", fmt::format("{:016x}", v)}, {"names", capability_names(v)}}; };
  return json{{"state", std::string(1, s.state)},
              {"uids", {{"real", user(s.ruid)}, {"effective", user(s.euid)}, {"saved", user(s.suid)}, {"fs", user(s.fsuid)}}},
              {"gids", {{"real", group(s.rgid)}, {"effective", group(s.egid)}, {"saved", group(s.sgid)}, {"fs", group(s.fsgid)}}},
              {"capabilities", {{"effective", caps(s.cap_eff)}, {"permitted", caps(s.cap_prm)}, {"bounding", caps(s.cap_bnd)}}}};
}

json to_json(const Inspection& in, const InspectContext& c) {
  auto same = [](const auto& v) { return json(v); };
  json j{{"pid", in.pid}, {"container", c.container}};
  if (c.host_pid) j["host_pid"] = c.host_pid;
  j["argv"] = part_json(in.argv, same);
  j["exe"] = part_json(in.exe, same);
  j["cwd"] = part_json(in.cwd, same);
  j["status"] = part_json(in.status, [&](const StatusIds& s) { return status_json(s, c); });
  j["namespaces"] = part_json(in.namespaces, [](const auto& v) {
    json o = json::object();
    for (const auto& n : v) o[n.type] = n.inode;
    return o;
  });
  j["cgroup"] = part_json(in.cgroup, same);
  j["fds"] = part_json(in.fds, [](const auto& v) {
    json a = json::array();
    for (const auto& f : v) a.push_back({{"fd", f.fd}, {"target", f.target}, {"socket", f.socket}});
    return a;
  });
  j["limits"] = part_json(in.limits, [](const auto& v) {
    json a = json::array();
    for (const auto& l : v) a.push_back({{"name", l.name}, {"soft", l.soft}, {"hard", l.hard}, {"units", l.units}});
    return a;
  });
  j["environ"] = part_json(in.environ, [](const EnvironBlock& e) { return json(e.entries); });
  j["environ_overwritten"] = in.environ && in.environ->overwritten;
  return j;
}

int run_inspect(const InspectOptions& o) {
  auto target = parse_target(o.target);
  if (!target) return exit_usage(target.error());
  auto process = resolve_target(*target);
  if (!process) return exit_failure(process.error());
  pid_t pid = process->pid();
  Inspection in = inspect_process(*process, o.reveal);
  auto snapshot = take_snapshot(ReadOptions{.status = true});
  std::optional<IdentityNames> names;
  if (snapshot) names.emplace(snapshot->containers);
  InspectContext c = inspect_context(snapshot ? &*snapshot : nullptr, pid, names ? &*names : nullptr);
  if (o.json) print_json(to_json(in, c));
  else print_text(in, c);
  return 0;
}

}  // namespace

void setup_inspect(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<InspectOptions>();
  auto* sub = app.add_subcommand("inspect", "One page about one process: command, ids, "
                                            "capabilities, namespaces, files, limits, environment");
  sub->add_option("target", o->target, "A pod PID or a container name (its main process)")
      ->required();
  sub->add_flag("--reveal", o->reveal, "Show secret-looking values instead of ***");
  sub->add_flag("--json", o->json, "Print a JSON object");
  sub->callback([o, &ctx] { ctx.exit_code = run_inspect(*o); });
}

}  // namespace nsdebug::cli
