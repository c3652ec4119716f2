#include "tools/node_mode.h"

#include <sys/wait.h>

#include <memory>

#include "core/pidns.h"
#include "tools/output.h"

namespace nsdebug::cli {
namespace {

struct NodeOptions {
  pid_t target = 0;
  std::string pod;
};

Result<pid_t> resolve_target(const NodeOptions& o) {
  if (o.target) return o.target;
  auto pods = list_pod_namespaces();
  if (!pods) return std::unexpected(pods.error());
  auto pod = find_pod(*pods, o.pod);
  if (!pod) return std::unexpected(pod.error());
  return pod->init_host_pid;
}

[[noreturn]] void stop(const Error& e) {
  print_error(e);
  throw CLI::RuntimeError(1);
}

// The parent ends as its child did. A signal becomes 128 + N rather than being re-raised: a
// SIGQUIT or SIGSEGV of the child must not also dump the parent's core.
[[noreturn]] void end_as(int status) {
  if (WIFSIGNALED(status)) throw CLI::RuntimeError(128 + WTERMSIG(status));
  throw CLI::RuntimeError(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

void enter(const NodeOptions& o, Context& ctx) {
  if (!o.target && o.pod.empty()) return;
  auto target = resolve_target(o);
  if (!target) stop(target.error());
  auto entered = enter_pid_namespace(*target);
  if (!entered) stop(entered.error());
  if (!entered->child) end_as(entered->wait_status);
  ctx.node_mode = true;
  ctx.host = std::move(entered->host);
}

}  // namespace

void setup_node_mode(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<NodeOptions>();
  auto* target = app.add_option("--target", o->target,
                                "On the node (root): work in the PID namespace of this host PID "
                                "(a pod's pause, or any of its processes)")
                     ->check(CLI::PositiveNumber);
  app.add_option("--pod", o->pod,
                 "On the node (root): work in this pod's PID namespace, by pod name (its "
                 "hostname) or pod UID prefix; 'nsdebug pods' lists them")
      ->excludes(target);
  // Runs after parsing, help and requirements, and before any subcommand's callback.
  app.parse_complete_callback([o, &ctx] { enter(*o, ctx); });
}

}  // namespace nsdebug::cli
