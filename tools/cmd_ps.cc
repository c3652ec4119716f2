// nsdebug ps: the pod's processes and the container each belongs to.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/present/redact.h"
#include "core/proc/procfs.h"
#include "tools/command.h"
#include "tools/output.h"
#include "core/present/select.h"

namespace nsdebug::cli {
namespace {

constexpr const char* kDefaultColumns = "pid,container,user,stat,rss,etime,args";
// Node mode: the pod's PID and, beside it, the node's.
constexpr const char* kNodeColumns = "pid,hostpid,container,user,stat,rss,etime,args";
// -L: a row a thread, named by its TID (LWP) and its own name, with its own CPU time.
constexpr const char* kThreadColumns = "pid,lwp,container,user,stat,time,comm";
constexpr const char* kNodeThreadColumns = "pid,hostpid,lwp,container,user,stat,time,comm";

struct PsOptions {
  std::vector<std::string> format;
  std::string sort;
  bool tree = false;
  bool no_headers = false;
  bool json = false;
  bool reveal = false;
  bool threads = false;  // -L
  Filter filter;
  std::vector<std::string> pids;  // -p, as typed: "1,2" or "1 2"
  bool sort_given = false;
  std::string sort_took;  // --sort's value when it is one of ps's options: "--sort= -o pid"
};

nlohmann::json container_json(const Container* c) {
  if (!c) return nullptr;
  return {{"name", c->name}, {"id", c->id}, {"sandbox", c->sandbox}};
}

nlohmann::json process_json(const Process& p, RowContext& ctx) {
  const Snapshot& s = ctx.snapshot;
  return {
      {"pid", p.pid},
      {"tid", p.tid ? nlohmann::json(p.tid) : nlohmann::json(nullptr)},
      {"ppid", p.ppid},
      {"host_pid", p.host_pid ? nlohmann::json(p.host_pid) : nlohmann::json(nullptr)},
      {"state", std::string(1, p.state)},
      {"uid", p.uid},
      {"user", ctx.names.user(p.container, p.uid)},
      {"gid", p.gid},
      {"group", ctx.names.group(p.container, p.gid)},
      {"rss_kb", p.rss_kb},
      {"start_time", static_cast<long long>(s.start_epoch(p))},
      {"elapsed_s", static_cast<long long>(s.elapsed_s(p))},
      {"comm", p.comm},
      {"argv", ctx.reveal ? p.argv.to_vector() : redact_argv(p.argv)},
      {"argv_truncated", p.argv.truncated()},
      {"container", container_json(s.container_of(p))},
  };
}

// `nsdebug ps 1234` reads 1234 as a pattern: when nothing matched, say how to ask for a PID.
void hint_pid_patterns(const std::vector<std::string>& patterns) {
  for (const auto& p : patterns)
    if (!p.empty() && p.find_first_not_of("0123456789") == std::string::npos)
      fmt::print(stderr, "hint: '{}' is a pattern searched in command lines; 'nsdebug ps -p {}' "
                         "selects that PID\n", p, p);
}

// With --tree, the command column is indented under its parent, as ps --forest draws it.
void append_tree_prefix(std::string& out, int depth) {
  if (depth == 0) return;
  out.append(static_cast<std::size_t>(4 * (depth - 1)) + 1, ' ');
  out += "\\_ ";
}

// Streamed, not built: at 10,000 processes a table of strings would be most of our memory.
void print_ps_table(const std::vector<ColumnChoice>& columns, const std::vector<Row>& rows,
                    RowContext& ctx, const PsOptions& o, int width) {
  Table t;
  t.show_headers = !o.no_headers && any_header(columns);
  for (const auto& c : columns) {
    t.headers.emplace_back(c.header);
    t.right_aligned.push_back(c.column->right_aligned);
  }
  std::string raw;
  auto fill = [&](std::size_t i, std::size_t n, std::vector<std::string>& cells) {
    const Row& r = rows[i];
    for (std::size_t k = 0; k < n; ++k) {
      const Column* c = columns[k].column;
      bool indent = o.tree && (c->name == "args" || c->name == "comm");
      cells[k].clear();  // keeps its capacity: no allocation once the cells have grown
      if (indent) append_tree_prefix(cells[k], r.depth);
      raw.clear();
      c->append(*r.process, ctx, raw);
      append_escaped(cells[k], raw);  // argv, comm, user names: a target's bytes
    }
  };
  print_table_streamed(stdout, t, rows.size(), fill, width);
}

// -L: each selected process becomes its threads' rows (in `storage`), in the same order.
std::vector<const Process*> expand_threads(const std::vector<const Process*>& processes,
                                           std::vector<Process>& storage) {
  UniqueFd proc(::open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC));
  for (const Process* p : processes)
    for (auto& t : read_thread_rows(proc.get(), *p)) storage.push_back(std::move(t));
  std::vector<const Process*> rows;
  rows.reserve(storage.size());
  for (const auto& t : storage) rows.push_back(&t);
  return rows;
}

int usage(std::string what, std::string why, std::string hint) {
  print_error(Error{0, std::move(what), std::move(why), std::move(hint)});
  return kExitUsage;
}

// -p 1,2 -p "3 4", as procps takes them.
Result<std::vector<pid_t>> pid_list(const std::vector<std::string>& given) {
  std::vector<pid_t> pids;
  for (const auto& spec : given) {
    std::string_view rest = spec;
    if (rest.find_first_not_of(", ") == std::string_view::npos)
      return fail(0, fmt::format("ps -p '{}'", spec), "no process ID given",
                  "write -p PID[,PID...]");
    while (!rest.empty()) {
      auto end = std::min(rest.find_first_of(", "), rest.size());
      auto item = rest.substr(0, end);
      rest.remove_prefix(std::min(end + 1, rest.size()));
      if (item.empty()) continue;
      pid_t pid = 0;
      auto [at, ec] = std::from_chars(item.data(), item.data() + item.size(), pid);
      if (ec != std::errc() || at != item.data() + item.size() || pid <= 0)
        return fail(0, fmt::format("ps -p {}", item), "not a process ID",
                    "write -p PID[,PID...], PIDs as 'nsdebug ps' shows them");
      pids.push_back(pid);
    }
  }
  return pids;
}

// --sort's value, or why it is none: empty, "," and "-" name no column, and "--sort= -o pid"
// (CLI11 takes the word after an empty value) took an option.
Result<std::vector<SortKey>> sort_keys(const PsOptions& o) {
  constexpr const char* kHint = "write --sort=KEY[,KEY...], e.g. --sort=-rss,pid";
  if (!o.sort_took.empty())
    return fail(0, "ps --sort", fmt::format("no sort key given: it took the option '{}'", o.sort_took),
                kHint);
  if (o.sort_given && o.sort.empty()) return fail(0, "ps --sort", "no sort key given", kHint);
  auto keys = parse_sort(o.sort);
  if (keys) return *keys;
  std::string item = keys.error();
  if (item.find_first_not_of("+-") == std::string::npos)
    return fail(0, fmt::format("ps --sort '{}'", o.sort),
                item.empty() ? "an empty sort key" : fmt::format("'{}' names no column", item),
                kHint);
  return fail(0, fmt::format("ps --sort {}", item), "unknown column",
              "known columns: " + known_column_names());
}

int run_ps(const PsOptions& o, Context& ctx) {
  const char* defaults = o.threads ? (ctx.node_mode ? kNodeThreadColumns : kThreadColumns)
                                   : (ctx.node_mode ? kNodeColumns : kDefaultColumns);
  auto columns = parse_columns(o.format.empty() ? std::vector<std::string>{defaults} : o.format);
  if (!columns)
    return usage(fmt::format("ps -o {}", columns.error()), "unknown column",
                 "known columns: " + known_column_names());
  auto keys = sort_keys(o);
  if (!keys) {
    print_error(keys.error());
    return kExitUsage;
  }
  auto pids = pid_list(o.pids);
  if (!pids) {
    print_error(pids.error());
    return kExitUsage;
  }
  Filter filter = o.filter;
  filter.pids = *pids;
  filter.self = ::getpid();  // as pgrep: our command line holds the pattern
  auto any = [&](bool Column::*need) {
    return std::ranges::any_of(*columns, [&](const ColumnChoice& c) { return c.column->*need; }) ||
           std::ranges::any_of(*keys, [&](const SortKey& k) { return k.column->*need; });
  };
  // STAT's L needs /proc/PID/status for every process: at 10,000 processes that took ps from
  // 1.52x to 1.85x the syscall floor (bench/ps_bench.sh), so it comes only with the columns
  // that read status anyway (ruser, ruid, hostpid: node mode's defaults).
  bool status = any(&Column::needs_status);
  auto snapshot = take_snapshot({.status = status, .locked = status && any(&Column::needs_locked)});
  if (!snapshot) {
    print_error(snapshot.error());
    return 1;
  }
  // Our fresh /proc only numbers the pod's PIDs; the node's numbers come from its /proc.
  if (ctx.node_mode) fill_host_pids(ctx.host, snapshot->processes);
  IdentityNames names(snapshot->containers);
  RowContext rc{*snapshot, names, o.reveal};
  auto selector = Selector::make(filter, *snapshot);
  if (!selector) {
    print_error(selector.error());
    return selector.error().code == EINVAL ? kExitUsage : 1;
  }
  std::vector<const Process*> selected;
  selected.reserve(snapshot->processes.size());
  for (const auto& p : snapshot->processes)
    if (selector->matches(p, rc)) selected.push_back(&p);
  std::vector<Process> threads;  // -L's rows: they outlive `rows`, which point into them
  if (o.threads) selected = expand_threads(selected, threads);
  auto rows = order_rows(std::move(selected), *keys, o.tree, rc);
  if (rows.empty()) hint_pid_patterns(o.filter.patterns);

  if (o.json) {
    auto out = nlohmann::json::array();
    for (const Row& r : rows) out.push_back(process_json(*r.process, rc));
    print_json(std::move(out));
  } else {
    print_ps_table(*columns, rows, rc, o, ctx.width);
  }
  return 0;
}

}  // namespace

void setup_ps(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<PsOptions>();
  auto* sub = app.add_subcommand("ps", "Show the pod's processes and their containers");
  sub->add_option("-o,--format", o->format,
                  "Columns, procps names (pid,ppid,hostpid,container,user,uid,group,gid,stat,"
                  "rss,vsz,etime,time,start,comm,args,...); COLUMN=HEADER renames, as in procps")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub->add_option("--sort", o->sort, "Sort keys, e.g. -rss,pid (leading - for descending)");
  sub->add_flag("--tree,--forest", o->tree, "Show the process tree");
  sub->add_flag("-L,--threads", o->threads,
                "A row a thread, with its TID (lwp/tid columns) and its own name, state and CPU "
                "time, as ps -L");
  // One value a use (repeat the option for more): a word after it stays the pattern.
  sub->add_option("-c,--container", o->filter.containers, "Only this container's processes")
      ->allow_extra_args(false);
  sub->add_option("-u,--user", o->filter.users, "Only processes of this user (name or uid)")
      ->allow_extra_args(false);
  sub->add_flag("--no-headers", o->no_headers, "Print no header line");
  sub->add_flag("--json", o->json, "Print a JSON array");
  sub->add_flag("--reveal", o->reveal,
                "Show secret-looking arguments (--password=x) unmasked");
  sub->add_option("-p,--pid", o->pids, "Only these PIDs: -p PID[,PID...] (repeatable)")
      ->allow_extra_args(false);
  sub->add_option("pattern", o->filter.patterns,
                  "Only processes whose command line matches (extended regex); nsdebug's own "
                  "process is left out, as pgrep leaves itself out");
  sub->callback([o, sub, &ctx] {
    o->sort_given = sub->get_option("--sort")->count() > 0;
    if (o->sort.starts_with("--") || (o->sort.size() == 2 && o->sort[0] == '-' &&
                                      sub->get_option_no_throw(o->sort) != nullptr))
      o->sort_took = o->sort;
    ctx.exit_code = run_ps(*o, ctx);
  });
}

}  // namespace nsdebug::cli
