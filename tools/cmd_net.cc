// nsdebug net: the pod's sockets, by container and process, as ss reads them (sock_diag).
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/net/net_summary.h"
#include "core/pod/target.h"
#include "core/present/socket_cells.h"
#include "tools/command.h"
#include "tools/net_json.h"
#include "tools/output.h"

namespace nsdebug::cli {
namespace {

struct NetOptions {
  bool listening = false, all = false;
  bool tcp = false, udp = false, unix_sockets = false, raw = false;
  std::string container;
  std::optional<pid_t> pid;
  std::optional<std::uint16_t> port;
  bool json = false, info = false, summary = false, no_headers = false;
};

SocketFilter filter_of(const NetOptions& o) {
  SocketFilter f;
  bool any_family = o.tcp || o.udp || o.unix_sockets || o.raw;
  f.kinds = {.tcp = o.tcp || !any_family, .udp = o.udp || !any_family, .raw = o.raw,
             .unix_sockets = o.unix_sockets, .tcp_info = o.info || o.summary};
  f.states = o.all || o.summary ? StateFilter::all
             : o.listening      ? StateFilter::listening
                                : StateFilter::usual;
  if (!o.container.empty()) f.container = o.container;
  f.pid = o.pid;
  f.port = o.port;
  return f;
}

// What a user should know about what they see: the fallback source, owners we could not read.
void say_what_is_missing(const PodNetwork& net) {
  if (net.netlink_refused)
    print_error({net.netlink_refused->code, "net: sock_diag refused (" + net.netlink_refused->what + ")",
                 net.netlink_refused->reason() + "; read /proc/net instead: no listener backlog (SEND-Q 0), no unix peers",
                 "allow AF_NETLINK sockets in the debug container's seccomp profile for the full view"});
  if (net.hidden.empty()) return;
  const HiddenHolder& first = net.hidden.front();
  print_error({first.why.code, fmt::format("net: the descriptors of {} process{} are unreadable (pid {}{})",
                                           net.hidden.size(), net.hidden.size() == 1 ? "" : "es",
                                           first.pid, net.hidden.size() > 1 ? ", ..." : ""),
               first.why.reason() + "; the sockets they may hold show '?' as PROCESS",
               first.why.hint});
}

// Streamed (print_table_streamed): at 10,000 sockets a table held whole is most of our memory.
void print_sockets(const PodNetwork& net, const Snapshot& snapshot, const NetOptions& o, int width) {
  Table t;
  t.show_headers = !o.no_headers;
  t.headers = {"NETID", "STATE", "RECV-Q", "SEND-Q", "LOCAL", "PEER", "CONTAINER", "PROCESS"};
  t.right_aligned = {false, false, true, true, false, false, false, false};
  if (o.info)
    for (const char* h : kTcpInfoHeaders) {
      t.headers.insert(t.headers.end() - 2, h);
      t.right_aligned.insert(t.right_aligned.end() - 2, true);
    }
  bool hidden = !net.hidden.empty();
  auto fill = [&](std::size_t i, std::size_t n, std::vector<std::string>& cells) {
    const PodSocket& s = net.sockets[i];
    SocketRow r = socket_row(s, snapshot, hidden);
    std::size_t c = 0;
    auto put = [&](std::string v) {
      if (c < n) cells[c] = std::move(v);
      ++c;
    };
    put(std::move(r.netid));
    put(std::move(r.state));
    put(std::move(r.recv_q));
    put(std::move(r.send_q));
    put(escape_for_terminal(r.local));
    put(escape_for_terminal(r.peer));
    if (o.info)
      for (auto& cell : tcp_info_cells(s.socket)) put(std::move(cell));
    put(escape_for_terminal(r.container));
    put(escape_for_terminal(r.process));
  };
  print_table_streamed(stdout, t, net.sockets.size(), fill, width);
}

std::string listening_cell(const ContainerSockets& g) {
  std::string out;
  for (const PodSocket* p : g.listening)
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", netid_name(p->socket), format_endpoint(p->socket.local));
  return out.empty() ? "-" : out;
}

std::string states_cell(const ContainerSockets& g) {
  std::string out;
  for (auto [state, n] : g.tcp_states)
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", state_name(state), n);
  return out.empty() ? "-" : out;
}

void print_summary(const NetSummary& sum, const Snapshot& snapshot, const NetOptions& o, int width) {
  Table t;
  t.show_headers = !o.no_headers;
  t.headers = {"CONTAINER", "TCP", "UDP", "UNIX", "LISTENING"};
  t.right_aligned = {false, false, true, true, false};
  for (const ContainerSockets& g : sum.containers)
    t.rows.push_back({g.container < 0 ? "-" : snapshot.containers[g.container].name,
                      states_cell(g), std::to_string(g.udp), std::to_string(g.unix_sockets),
                      listening_cell(g)});
  print_table(stdout, t, width);
  if (sum.verdicts.empty()) {
    print_line("no socket looks stuck");
    return;
  }
  for (const Verdict& v : sum.verdicts) print_line("! " + verdict_sentence(v, snapshot));
}

Result<void> check_selection(const NetOptions& o, const Snapshot& snapshot) {
  if (!o.container.empty())
    if (auto c = pick_container(o.container, snapshot.containers); !c) return std::unexpected(c.error());
  if (o.pid && !snapshot.find(*o.pid))
    return fail(ESRCH, fmt::format("pid {}", *o.pid), "no such process in this pod",
                "nsdebug ps lists the pod's processes");
  return {};
}

int run_net(const NetOptions& o, Context& ctx) {
  auto snapshot = take_snapshot();
  if (!snapshot) return exit_failure(snapshot.error());
  if (auto ok = check_selection(o, *snapshot); !ok) return exit_failure(ok.error());
  auto net = look_at_network(*snapshot, filter_of(o));
  if (!net) return exit_failure(net.error());
  if (o.summary) {
    auto sum = summarize_network(*net, *snapshot, read_listen_overflows());
    if (o.json) print_json(summary_json(sum, *snapshot));
    else print_summary(sum, *snapshot, o, ctx.width);
  } else if (o.json) {
    print_json(network_json(*net, *snapshot));
  } else {
    print_sockets(*net, *snapshot, o, ctx.width);
  }
  if (!o.json) say_what_is_missing(*net);
  return 0;
}

}  // namespace

void setup_net(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<NetOptions>();
  auto* sub = app.add_subcommand("net", "The pod's sockets, by container and process (as ss -tuap)");
  sub->add_flag("-l,--listening", o->listening, "Only listening sockets");
  sub->add_flag("-a,--all", o->all, "Every state, TIME-WAIT and SYN-RECV too");
  sub->add_flag("-t,--tcp", o->tcp, "TCP sockets (with none of -t -u -x -w: TCP and UDP)");
  sub->add_flag("-u,--udp", o->udp, "UDP sockets");
  sub->add_flag("-x,--unix", o->unix_sockets, "Unix sockets, with the other end's process");
  sub->add_flag("-w,--raw", o->raw, "Raw sockets");
  sub->add_option("-c,--container", o->container, "Only sockets held by this container's processes")
      ->allow_extra_args(false);
  sub->add_option("-p,--pid", o->pid, "Only sockets held by this process")
      ->check(CLI::Range(1, 1 << 22))
      ->allow_extra_args(false);
  sub->add_option("--port", o->port, "Only sockets with this local or peer port")
      ->check(CLI::Range(1, 65535))
      ->allow_extra_args(false);
  sub->add_flag("-i,--info", o->info, "TCP internals: rtt, cwnd, retransmits, bytes, idle times");
  sub->add_flag("--summary", o->summary,
                "Per container: listening ports, connections by state, and what looks stuck");
  sub->add_flag("--json", o->json, "Print JSON");
  sub->add_flag("--no-headers", o->no_headers, "Print no header line");
  sub->callback([o, &ctx] { ctx.exit_code = run_net(*o, ctx); });
}

}  // namespace nsdebug::cli
