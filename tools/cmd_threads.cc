// nsdebug threads: what each thread of a process is doing now, as ps -L, wchan, /proc's syscall
// file and the kernel stack tell it; descriptors named.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <memory>

#include "core/present/columns.h"
#include "core/threads/threads.h"
#include "tools/command.h"
#include "tools/output.h"
#include "tools/target.h"

namespace nsdebug::cli {
namespace {

struct ThreadsArgs {
  std::string target;
  double interval = 0.5;
  bool stack = false;
  bool json = false;
};

std::string cpu_cell(const ThreadInfo& t) {
  return t.cpu_percent ? fmt::format("{:.1f}", *t.cpu_percent) : "-";
}

double ticks_to_seconds(std::uint64_t ticks) {
  return static_cast<double>(ticks) / static_cast<double>(clock_ticks_per_second());
}

// The syscall column: the decoded call, "running", "-" (blocked outside a call), or "?" when
// the syscall file could not be read (the reason is said once, below the table).
std::string call_cell(const ThreadInfo& t) {
  if (!t.syscall) return "?";
  return t.call;
}

void print_threads_table(const ThreadsReport& r, const ThreadsArgs& o, Context& ctx) {
  print_line(fmt::format("PID {} ({}): {}", r.pid, r.comm, r.summary));
  Table t;
  t.headers = {"TID", "COMMAND", "S", "%CPU", "TIME", "WCHAN", "SYSCALL"};
  t.right_aligned = {true, false, false, true, true, false, false};
  for (const auto& th : r.threads)
    t.rows.push_back({std::to_string(th.tid), th.comm, std::string(1, th.state), cpu_cell(th),
                      format_cpu_time(ticks_to_seconds(th.cpu_ticks)),
                      th.wchan.empty() ? "-" : th.wchan, call_cell(th)});
  print_table(stdout, t, ctx.width);
  if (!o.stack) return;
  for (const auto& th : r.threads) {
    if (th.stack.empty()) continue;
    print_line(fmt::format("\nthread {} ({}) kernel stack:", th.tid, th.comm));
    for (const auto& frame : th.stack) print_line("  " + frame);
  }
}

nlohmann::json syscall_json(const ThreadInfo& t) {
  if (!t.syscall) return nullptr;
  const SyscallLine& s = *t.syscall;
  nlohmann::json j{{"name", syscall_word(s)}, {"decoded", t.call}};
  if (s.kind == SyscallLine::Kind::in_syscall) {
    j["nr"] = s.nr;
    j["args"] = s.args;
  }
  return j;
}

nlohmann::json error_json(const std::optional<Error>& e) {
  if (!e) return nullptr;
  return {{"what", e->what}, {"why", e->reason()}, {"hint", e->hint}};
}

// {"pid", "comm", "interval_s", "summary", "threads": [{"tid", "comm", "state", "cpu_percent",
// "cpu_time_s", "wchan", "syscall": {"name", "decoded", "nr", "args"} | null, "stack"}],
// "syscall_error", "stack_error"}.
nlohmann::json threads_json(const ThreadsReport& r, bool stack) {
  auto threads = nlohmann::json::array();
  for (const auto& t : r.threads) {
    nlohmann::json j{{"tid", t.tid},
                     {"comm", t.comm},
                     {"state", std::string(1, t.state)},
                     {"cpu_percent", t.cpu_percent ? nlohmann::json(*t.cpu_percent) : nullptr},
                     {"cpu_time_s", ticks_to_seconds(t.cpu_ticks)},
                     {"wchan", t.wchan.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.wchan)},
                     {"syscall", syscall_json(t)}};
    if (stack) j["stack"] = t.stack;
    threads.push_back(std::move(j));
  }
  nlohmann::json out{{"pid", r.pid},           {"comm", r.comm},
                     {"interval_s", r.interval}, {"summary", r.summary},
                     {"threads", std::move(threads)},
                     {"syscall_error", error_json(r.syscall_error)}};
  if (stack) out["stack_error"] = error_json(r.stack_error);
  return out;
}

int run_threads(const ThreadsArgs& o, Context& ctx) {
  auto target = parse_target(o.target);
  if (!target) return exit_usage(target.error());
  auto process = resolve_target(*target);
  if (!process) return exit_failure(process.error());
  auto interval = std::chrono::milliseconds(static_cast<long long>(o.interval * 1000));
  auto report = read_threads(*process, {.interval = interval, .stacks = o.stack});
  if (!report) return exit_failure(report.error());
  if (o.json)
    print_json(threads_json(*report, o.stack));
  else
    print_threads_table(*report, o, ctx);
  (void)flush_stdout();  // the table before what stderr says of it; a failure is main's to say
  // What could not be read is said once, with the fix; the rest of the table stands.
  int status = 0;
  if (report->syscall_error) status = exit_failure(*report->syscall_error);
  if (o.stack && report->stack_error) status = exit_failure(*report->stack_error);
  return status;
}

}  // namespace

void setup_threads(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ThreadsArgs>();
  auto* sub = app.add_subcommand(
      "threads", "Show what each thread of a process is doing: state, CPU, the call it waits in");
  sub->add_option("target", o->target, "A pod PID or a container name (its main process)")
      ->required();
  sub->add_option("--interval", o->interval,
                  "Seconds between the two reads that give each thread's %CPU (default 0.5; "
                  "0: no sample, no %CPU)")
      ->check(CLI::Range(0.0, 60.0));
  sub->add_flag("-k,--stack", o->stack,
                "Also print each thread's kernel stack (needs CAP_SYS_ADMIN)");
  sub->add_flag("--json", o->json, "Print a JSON object");
  sub->callback([o, &ctx] { ctx.exit_code = run_threads(*o, ctx); });
}

}  // namespace nsdebug::cli
