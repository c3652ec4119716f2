// nsdebug kill: signal the pod's processes through pidfds, so a recycled PID is never hit.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <memory>

#include "core/diagnosis/doctor.h"
#include "core/signals/kill_guard.h"
#include "core/signals/kill_plan.h"
#include "core/proc/proc_mount.h"
#include "core/proc/procfs.h"
#include "core/proc/process_handle.h"
#include "core/signals/signals.h"
#include "core/pod/snapshot.h"
#include "tools/command.h"
#include "tools/kill_args.h"
#include "tools/kill_words.h"
#include "tools/output.h"

namespace nsdebug::cli {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kKillGrace{5000};  // after an escalation to KILL, when --wait set no limit

// ---- kill -l, kill -L ---------------------------------------------------------

// -l NAME prints its number, -l NUMBER its name; bare -l every name, as kill -l does.
int list_signals(const KillOptions& o) {
  std::vector<std::string> args = o.args;
  for (const auto& a : o.extras)
    if (a != "--") args.push_back(a);  // -l -HUP
  for (const auto& a : args) {
    auto sig = parse_listed_signal(a.starts_with('-') ? a.substr(1) : a);
    if (!sig) {
      print_error(sig.error());
      return kExitUsage;
    }
    bool numeric = !a.empty() && std::isdigit(static_cast<unsigned char>(a.back())) &&
                   a.find_first_not_of("-0123456789") == std::string::npos;
    fmt::print("{}\n", numeric ? signal_name(*sig) : std::to_string(*sig));
  }
  if (!args.empty()) return 0;
  std::string line;
  for (int sig : listed_signals()) {
    std::string cell =
        o.table ? fmt::format("{:>2} {:<9}", sig, signal_name(sig)) : signal_name(sig);
    if (line.size() + cell.size() + 1 > 78) {
      fmt::print("{}\n", line.substr(0, line.find_last_not_of(' ') + 1));
      line.clear();
    }
    line += (line.empty() ? "" : " ") + cell;
  }
  fmt::print("{}\n", line.substr(0, line.find_last_not_of(' ') + 1));
  return 0;
}

// ---- planning and sending (core/signals/kill_plan: the TUI's kill menu runs the same code) -------

struct Sent {
  const KillTarget* target;
  const ProcessHandle* handle;
};

// A line naming a process holds its command line: escaped, then cut to the terminal's width.
void say(Context& ctx, const std::string& line) {
  std::string text = escape_for_terminal(line);
  if (ctx.width > 0) text.resize(fit_width(text, static_cast<std::size_t>(ctx.width)));
  fmt::print("{}\n", text);
}

std::string whom(const KillTarget& t, bool in_error = false) { return describe(t, in_error); }

// Says how each delivery went; true when all went through. The delivered ones join `sent`.
bool report(const KillPlan& plan, const std::vector<Delivery>& done, Context& ctx,
            std::vector<Sent>& sent) {
  bool ok = true;
  for (std::size_t i = 0; i < done.size(); ++i) {
    const KillTarget& t = plan.targets[i];
    const Delivery& d = done[i];
    if (d.outcome == DeliveryOutcome::would_send)
      say(ctx, fmt::format("would send {} to {}", signal_name(plan.sig), whom(t)));
    // Signal 0 sends nothing: it checks that the process is there and that we may signal it.
    if (d.outcome == DeliveryOutcome::sent || d.outcome == DeliveryOutcome::dropped)
      say(ctx, plan.sig == 0 ? fmt::format("may signal {}", whom(t))
                             : fmt::format("sent {} to {}", signal_name(plan.sig), whom(t)));
    if (d.refusal) print_error(guard_refusal(*d.refusal));
    if (d.error) print_error(*d.error);
    if (d.outcome == DeliveryOutcome::sent) sent.push_back({&t, &*t.handle});
    ok = ok && (d.outcome == DeliveryOutcome::sent || d.outcome == DeliveryOutcome::would_send);
  }
  return ok;
}

// Why it did not exit, when /proc says: a stopped process keeps every signal but KILL
// pending until it continues, and a traced one is held by its tracer.
Error still_running(const KillTarget& t, const KillRequest& rq) {
  Error e{0, fmt::format("wait {}", whom(t, true)), "still running",
          rq.timeout ? "" : "--timeout SECONDS escalates to KILL"};
  auto held = read_held_state(t.pid);
  if (!held || describe_held(*held).empty()) return e;
  e.why = "still running: " + describe_held(*held);
  if (held->tracer > 0)
    e.hint = fmt::format("PID {} (its tracer) decides when it runs: detach it (quit the debugger), "
                         "or send KILL",
                         held->tracer);
  else
    e.hint = fmt::format("a stopped process acts on no signal but KILL until it continues: "
                         "'nsdebug kill -CONT {}' resumes it",
                         t.pid);
  return e;
}

// --wait and --timeout: true when every signalled process exited.
bool wait_phase(const KillRequest& rq, const std::vector<Sent>& sent, Context& ctx) {
  std::vector<const ProcessHandle*> handles;
  for (const auto& x : sent) handles.push_back(x.handle);
  std::optional<milliseconds> grace = rq.timeout ? rq.timeout : rq.wait_limit, then_kill;
  if (rq.timeout)
    then_kill =
        rq.wait_limit && *rq.wait_limit > *rq.timeout ? *rq.wait_limit - *rq.timeout : kKillGrace;
  auto r = wait_and_escalate(handles, grace, then_kill);
  for (auto i : r.killed)
    say(ctx,
        fmt::format("sent KILL to {}: still running after {:g} s (--timeout)",
                    whom(*sent[i].target), static_cast<double>(rq.timeout->count()) / 1000));
  for (auto [i, e] : r.kill_failed) {
    e.what = fmt::format("kill -KILL {}", whom(*sent[i].target, true));
    print_error(e);
  }
  for (std::size_t i = 0; i < sent.size(); ++i) {
    if (std::ranges::find(r.running, i) == r.running.end())
      say(ctx, fmt::format("exited: {}", whom(*sent[i].target)));
  }
  for (auto i : r.running) print_error(still_running(*sent[i].target, rq));
  return r.running.empty();
}

int run_kill(const KillOptions& o, Context& ctx) {
  if (o.list || o.table) return list_signals(o);
  auto rq = make_request(o);
  if (!rq) {
    print_error(rq.error());
    return kExitUsage;
  }
  if (ctx.read_only && !o.dry_run) {
    print_error({EPERM, "kill", "signalling is off (--read-only)",
                 "--dry-run shows what would be sent; run without --read-only (and without "
                 "NSDEBUG_READ_ONLY) to send it"});
    return 1;
  }
  if (!proc_matches_our_pid_namespace()) {
    // No /proc at all fails that check too: /proc/self is then missing, not another's.
    print_error(unless_proc_unavailable(
        {0, "kill", "/proc belongs to another PID namespace than nsdebug",
         "mount a /proc of this namespace (nsenter --pid --mount-proc)"}));
    return 1;
  }
  auto s = take_snapshot();
  if (!s) {
    print_error(s.error());
    return 1;
  }
  // Signal 0 only probes: every target may be probed.
  auto plan = plan_kill(
      *s, {.pids = rq->pids, .filter = o.filter, .include_guarded = o.force || rq->sig == 0},
      rq->sig);
  if (!plan) {
    print_error(plan.error());
    return plan.error().code == EINVAL ? kExitUsage : 1;
  }
  for (const auto& e : plan->not_found) print_error(e);
  if (plan->nothing_matched) print_error(nothing_matched(*plan, *s));
  // nsdebug's own command line matches most patterns: pkill leaves itself out without a word.
  for (const auto& [t, why] : plan->skipped)
    if (o.dry_run || t.guard != GuardReason::self)
      say(ctx, fmt::format("not selected: {}: {}", whom(t), why));
  std::vector<Sent> sent;
  bool ok = report(*plan, deliver(*plan, o.force, o.dry_run), ctx, sent) &&
            plan->not_found.empty() && !plan->nothing_matched;
  if (rq->wait && !sent.empty()) ok = wait_phase(*rq, sent, ctx) && ok;
  return ok ? 0 : 1;
}

}  // namespace

void setup_kill(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<KillOptions>();
  auto* sub = app.add_subcommand("kill", "Send a signal to the pod's processes, race-free");
  sub->add_option("-s,--signal", o->signal,
                  "Signal name or number (default TERM); also -NAME, -NUMBER");
  // One value a use (repeat the option for more): "-n PATTERN 1" once took 1 as a second
  // pattern, and a selection that grows from a typo must never reach a signal.
  sub->add_option("-n,--name", o->filter.patterns,
                  "Every process whose command line matches (extended regex, as pkill -f)")
      ->allow_extra_args(false);
  sub->add_option("-c,--container", o->filter.containers, "Every process of this container")
      ->allow_extra_args(false);
  sub->add_flag("-l,--list", o->list, "List signal names (with an argument: translate it)");
  sub->add_flag("-L,--table", o->table, "List signal names with their numbers");
  sub->add_flag("--force", o->force,
                "Signal PID 1, the pod sandbox, nsdebug's own parents or its container's main "
                "process too (named, or selected by -n/-c)");
  sub->add_flag("--dry-run", o->dry_run, "Print what would be signalled, send nothing");
  sub->add_flag("--wait", o->wait, "Wait until they exit (--wait=SECONDS: at most that long)");
  // Checked by make_request: CLI11's NonNegativeNumber printed the whole range of a double.
  sub->add_option("--timeout", o->timeout,
                  "Wait, and send KILL to those still running after SECONDS");
  auto* pid = sub->add_option("pid", o->args, "Pod PIDs, as 'nsdebug ps' shows them");
  note_dashes(*sub, *pid, *o);
  // `kill -0 -- PID`: CLI11 2.1 ends a subcommand at "--" when no positional still wants a
  // value, and "-0" already filled `pid`; PID then reached the top level as unexpected. This
  // one wants a value and never gets one (`pid` takes every word first), so "--" stays ours.
  sub->add_option("pid_after_dashes", o->unused, "")->group("");
  // "-HUP" reaches CLI11 as an unknown short option: keep it as an extra, not an error, and
  // take it as the signal. Falling through to the parent would reject it there.
  sub->allow_extras();
  sub->fallthrough(false);
  sub->callback([o, sub, &ctx] {
    o->extras = sub->remaining();
    ctx.exit_code = run_kill(*o, ctx);
  });
}

}  // namespace nsdebug::cli
