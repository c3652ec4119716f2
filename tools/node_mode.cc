#include "tools/node_mode.h"

#include <linux/capability.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <memory>

#include "core/node/node_relay.h"
#include "core/node/pidns.h"
#include "core/node/pod_entry.h"
#include "tools/output.h"

namespace nsdebug::cli {
namespace {

struct NodeOptions {
  pid_t target = 0;
  std::string pod;
  bool pod_given = false;
};

constexpr std::uint64_t bit(int cap) { return std::uint64_t{1} << cap; }

// What the pod side may hold: reading other uids' roots and files needs CAP_SYS_PTRACE and
// CAP_DAC_OVERRIDE, signalling them CAP_KILL; a debug container holds all three (the
// runtime's defaults plus SYS_PTRACE). Nothing else of the node's root.
std::uint64_t capabilities_for(const CLI::App& app) {
  std::uint64_t caps = bit(CAP_SYS_PTRACE) | bit(CAP_DAC_OVERRIDE);
  auto subs = app.get_subcommands();
  std::string name = subs.empty() ? "tui" : subs.front()->get_name();
  constexpr std::array kSignalling{"kill", "tui", "sidecar", "doctor"};
  if (std::ranges::find(kSignalling, name) != kSignalling.end()) caps |= bit(CAP_KILL);
  return caps;
}

// The host PID whose PID namespace node mode enters: --target's, or --pod's pause (a host PID,
// not a pod's: core/pod/target.h reaches a target inside the pod, once there).
Result<pid_t> host_pid_to_enter(const NodeOptions& o) {
  if (o.target) return o.target;
  auto pods = list_pod_namespaces();
  if (!pods) return std::unexpected(pods.error());
  auto pod = find_pod(*pods, o.pod);
  if (!pod) return std::unexpected(pod.error());
  return pod->init_host_pid;
}

// The command ran in the pod (or could not): on the node it ends with `code` and runs nothing
// else, its subcommand's callback, due next, cleared (tools/main.cc returns ctx.exit_code).
void end_on_node(CLI::App& app, Context& ctx, int code) {
  ctx.exit_code = code;
  ctx.ended_on_node = true;
  for (CLI::App* sub : app.get_subcommands()) sub->callback({});
}

// The parent ends as its child did. A signal becomes 128 + N rather than being re-raised: a
// SIGQUIT or SIGSEGV of the child must not also dump the parent's core.
int exit_code_of(int status) {
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

// In the process node mode executed: leave the node, enter the pod (core/node/pod_entry.h).
void become_pod_side(const CLI::App& app, Context& ctx) {
  auto side = enter_pod(capabilities_for(app));
  if (!side) {
    print_error(side.error());  // stderr: a pipe the node side relays
    ::_exit(1);
  }
  // The process left on the node has forked into the pod (or failed to) and has nothing to
  // flush. It ends without exit handlers: LeakSanitizer's would need a /proc, which its empty
  // root lacks.
  if (!side->in_pod) ::_exit(0);
  ctx.node_mode = true;
  ctx.node_channel = std::move(side->channel);
  ctx.host.channel = ctx.node_channel.get();
  ctx.width = stdout_terminal_width();  // stdout is the pty now, or a pipe
  ctx.stdout_is_tty = ctx.width > 0;
}

void enter(CLI::App& app, const NodeOptions& o, Context& ctx) {
  if (is_pod_side()) return become_pod_side(app, ctx);
  if (!o.target && !o.pod_given) return;
  auto target = host_pid_to_enter(o);
  if (!target) return end_on_node(app, ctx, exit_failure(target.error()));
  // cp's writes only for cp, once, to the DEST and with the --force the operator typed: a
  // container that traces the pod side can send requests, but never choose a node path.
  NodeServices services;
  auto subs = app.get_subcommands();
  const CLI::App* cp = subs.empty() || subs.front()->get_name() != "cp" ? nullptr : subs.front();
  if (cp)
    services.copy = [cp, done = false](CopyRequest& r) mutable {
      if (done) return 1;
      done = true;
      r.dest = cp->get_option("dest")->template as<std::string>();
      r.force = cp->get_option("--force")->count() > 0;
      r.verbose = cp->get_option("--verbose")->count() > 0;
      return copy_on_node(r);
    };
  auto status = run_in_pod(*target, ctx.argv, services);
  end_on_node(app, ctx, status ? exit_code_of(*status) : exit_failure(status.error()));
}

// --target and --pod name what node mode enters: a value that names nothing ("", "  ", "0",
// "-1", "abc") must never fall back to running on the node, and says what it should be.
std::string check_target(const std::string& text) {
  pid_t pid = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || pid < 1)
    return fmt::format("'{}' is not a host PID: give a number from 1, the host PID of a pod's "
                       "process ('nsdebug pods' lists them)",
                       text);
  return {};
}

std::string check_pod(const std::string& text) {
  if (std::ranges::all_of(text, [](char c) { return c == ' ' || c == '\t'; }))
    return "empty pod name: give a pod name or UID prefix ('nsdebug pods' lists them)";
  return {};
}

}  // namespace

std::optional<std::string> empty_node_option(std::span<char* const> argv) {
  for (const char* arg : argv) {
    std::string_view a = arg ? arg : "";
    if (a == "--") break;
    if (a == "--pod=") return "--pod: " + check_pod("");
    if (a == "--target=") return "--target: " + check_target("");
  }
  return std::nullopt;
}

void setup_node_mode(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<NodeOptions>();
  auto* target = app.add_option("--target", o->target,
                                "On the node (root): work in the PID namespace of this host PID "
                                "(a pod's pause, or any of its processes)")
                     ->check(CLI::Validator(check_target, "HOSTPID"));
  app.add_option("--pod", o->pod,
                 "On the node (root): work in this pod's PID namespace, by pod name (its "
                 "hostname) or pod UID prefix; 'nsdebug pods' lists them")
      ->check(CLI::Validator(check_pod, "NAME|UID"))
      ->each([o](const std::string&) { o->pod_given = true; })
      ->excludes(target);
  // Runs after parsing, help and requirements, and before any subcommand's callback.
  app.parse_complete_callback([o, &app, &ctx] { enter(app, *o, ctx); });
}

}  // namespace nsdebug::cli
