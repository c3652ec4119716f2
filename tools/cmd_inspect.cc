// nsdebug inspect: one page about one process. Each part we may not read says why instead of
// failing the page: cmdline, status, cgroup and limits are world-readable, the rest needs
// ptrace access.
#include <functional>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/diagnosis/diagnose.h"
#include "core/containers/identity.h"
#include "core/diagnosis/inspect.h"
#include "core/proc/snapshot.h"
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

// What the snapshot knows beyond the process's own files: its container and names for ids.
struct PageContext {
  std::string container;
  pid_t host_pid = 0;
  std::function<std::string(uid_t)> user;
  std::function<std::string(gid_t)> group;
};

std::string joined(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

// Every value of the text page comes from the target (argv, paths, names): escaped here.
std::string esc(std::string_view raw) { return escape_for_terminal(raw); }

std::string unreadable(const Error& e) {
  std::string s = fmt::format("(unreadable: {}", e.reason());
  if (!e.hint.empty()) s += "; " + e.hint;
  return esc(s + ")");
}

json error_json(const Error& e) {
  json j{{"error", e.what}, {"why", e.reason()}};
  if (!e.hint.empty()) j["hint"] = e.hint;
  return j;
}

template <class T, class F>
json part_json(const Result<T>& r, F f) {
  return r ? f(*r) : error_json(r.error());
}

std::string ids_line(const StatusIds& s, const PageContext& c) {
  auto u = [&](uid_t id) { return fmt::format("{}({})", esc(c.user(id)), id); };
  auto g = [&](gid_t id) { return fmt::format("{}({})", esc(c.group(id)), id); };
  return fmt::format("uid {} euid {} suid {} fsuid {}\nGroups:     gid {} egid {} sgid {} fsgid {}",
                     u(s.ruid), u(s.euid), u(s.suid), u(s.fsuid), g(s.rgid), g(s.egid),
                     g(s.sgid), g(s.fsgid));
}

// v1 hierarchies give several lines: each under the first, in the value column, each escaped.
std::string indented(std::string_view text) {
  std::string out;
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  for (std::size_t start = 0; start <= text.size();) {
    auto end = std::min(text.find('\n', start), text.size());
    if (start) out += "\n            ";
    append_escaped(out, text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string caps_text(std::uint64_t caps) {
  return caps == 0 ? "(none)" : capability_names(caps);
}

void print_lists(const Inspection& in);

void print_text(const Inspection& in, const PageContext& c) {
  std::string host = c.host_pid ? fmt::format(", host PID {}", c.host_pid) : "";
  fmt::print("PID {}{}, container {}\n", in.pid, host, c.container.empty() ? "?" : esc(c.container));
  fmt::print("Command:    {}\n", in.argv ? esc(joined(*in.argv, " ")) : unreadable(in.argv.error()));
  fmt::print("Exe:        {}\n", in.exe ? esc(*in.exe) : unreadable(in.exe.error()));
  fmt::print("Cwd:        {}\n", in.cwd ? esc(*in.cwd) : unreadable(in.cwd.error()));
  if (in.status) {
    fmt::print("State:      {}\nUsers:      {}\n", in.status->state, ids_line(*in.status, c));
    fmt::print("CapEff:     {}\nCapPrm:     {}\nCapBnd:     {}\n", caps_text(in.status->cap_eff),
               caps_text(in.status->cap_prm), caps_text(in.status->cap_bnd));
  } else {
    fmt::print("Status:     {}\n", unreadable(in.status.error()));
  }
  if (in.namespaces) {
    std::string ns;
    for (const auto& n : *in.namespaces) ns += fmt::format("{}{}:{}", ns.empty() ? "" : " ", n.type, n.inode);
    fmt::print("Namespaces: {}\n", ns);
  } else {
    fmt::print("Namespaces: {}\n", unreadable(in.namespaces.error()));
  }
  if (in.cgroup) fmt::print("Cgroup:     {}\n", indented(*in.cgroup));
  else fmt::print("Cgroup:     {}\n", unreadable(in.cgroup.error()));
  print_lists(in);
}

void print_lists(const Inspection& in) {
  if (in.fds) {
    fmt::print("Open files:\n");
    for (const auto& f : *in.fds)
      fmt::print("  {:>4} {}\n", f.fd, esc(f.socket.empty() ? f.target : f.target + " " + f.socket));
  } else {
    fmt::print("Open files: {}\n", unreadable(in.fds.error()));
  }
  if (in.limits) {
    fmt::print("Limits:\n");
    for (const auto& l : *in.limits)
      fmt::print("  {:<26}{:>21} {:>21} {}\n", l.name, l.soft, l.hard, l.units);
  } else {
    fmt::print("Limits:     {}\n", unreadable(in.limits.error()));
  }
  if (in.environ) {
    fmt::print("Environment:{}\n", in.environ->overwritten ? fmt::format(
                                         " ({})", kEnvironOverwritten) : "");
    for (const auto& e : in.environ->entries) fmt::print("  {}\n", esc(e));
  } else {
    fmt::print("Environment: {}\n", unreadable(in.environ.error()));
  }
}

json status_json(const StatusIds& s, const PageContext& c) {
  auto user = [&](uid_t id) { return json{{"id", id}, {"name", c.user(id)}}; };
  auto group = [&](gid_t id) { return json{{"id", id}, {"name", c.group(id)}}; };
  auto caps = [](std::uint64_t v) { return json{{"hex", fmt::format("{:016x}", v)}, {"names", capability_names(v)}}; };
  return json{{"state", std::string(1, s.state)},
              {"uids", {{"real", user(s.ruid)}, {"effective", user(s.euid)}, {"saved", user(s.suid)}, {"fs", user(s.fsuid)}}},
              {"gids", {{"real", group(s.rgid)}, {"effective", group(s.egid)}, {"saved", group(s.sgid)}, {"fs", group(s.fsgid)}}},
              {"capabilities", {{"effective", caps(s.cap_eff)}, {"permitted", caps(s.cap_prm)}, {"bounding", caps(s.cap_bnd)}}}};
}

json to_json(const Inspection& in, const PageContext& c) {
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
  PageContext c;
  std::shared_ptr<IdentityNames> names;
  int container = -1;
  if (snapshot) {
    if (const Process* p = snapshot->find(pid)) {
      container = p->container;
      c.host_pid = p->host_pid;
      if (const Container* k = snapshot->container_of(*p)) c.container = k->name;
    }
    names = std::make_shared<IdentityNames>(snapshot->containers);
  }
  c.user = [&](uid_t id) { return names ? names->user(container, id) : std::to_string(id); };
  c.group = [&](gid_t id) { return names ? names->group(container, id) : std::to_string(id); };
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
