#include "core/present/select.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/diagnosis/doctor.h"

namespace nsdebug {

void Selector::RegexDeleter::operator()(regex_t* r) const {
  ::regfree(r);
  delete r;
}

Result<Selector> Selector::make(const Filter& filter, const Snapshot& snapshot) {
  Selector s;
  s.filter_ = filter;
  for (const auto& name : filter.containers) {
    if (std::ranges::find(snapshot.containers, name, &Container::name) != snapshot.containers.end())
      continue;
    std::string known;
    for (const auto& c : snapshot.containers) known += (known.empty() ? "" : ", ") + c.name;
    return fail(0, fmt::format("container '{}'", name), "no such container here",
                add_where_hint(fmt::format("containers: {} (see 'nsdebug containers')", known),
                               snapshot));
  }
  for (const auto& pattern : filter.patterns) {
    auto re = std::make_unique<regex_t>();
    if (int rc = ::regcomp(re.get(), pattern.c_str(), REG_EXTENDED | REG_NOSUB); rc != 0) {
      char msg[256];
      ::regerror(rc, re.get(), msg, sizeof msg);
      return fail(EINVAL, fmt::format("pattern '{}'", pattern), msg,
                  "patterns are POSIX extended regular expressions");
    }
    s.regexes_.emplace_back(re.release(), RegexDeleter{});
  }
  return s;
}

bool Selector::matches(const Process& p, RowContext& ctx) const {
  if (!filter_.pids.empty() && std::ranges::find(filter_.pids, p.pid) == filter_.pids.end())
    return false;
  if (!filter_.containers.empty()) {
    const Container* c = ctx.snapshot.container_of(p);
    if (!c || std::ranges::find(filter_.containers, c->name) == filter_.containers.end())
      return false;
  }
  if (!filter_.users.empty()) {
    auto name = ctx.names.user(p.container, p.uid);
    auto uid = std::to_string(p.uid);
    if (std::ranges::none_of(filter_.users,
                             [&](const std::string& u) { return u == name || u == uid; }))
      return false;
  }
  if (!regexes_.empty()) {
    if (filter_.self > 0 && p.pid == filter_.self) return false;
    auto cmd = command_line(p);
    if (std::ranges::none_of(regexes_, [&](const auto& re) {
          return ::regexec(re.get(), cmd.c_str(), 0, nullptr, 0) == 0;
        }))
      return false;
  }
  return true;
}

std::expected<std::vector<SortKey>, std::string> parse_sort(const std::string& spec) {
  std::vector<SortKey> keys;
  if (spec.empty()) return keys;
  std::string_view rest = spec;
  for (bool more = true; more;) {
    auto comma = rest.find(',');
    auto item = rest.substr(0, comma);
    more = comma != std::string_view::npos;  // "pid," ends with an empty key
    rest = more ? rest.substr(comma + 1) : "";
    bool descending = !item.empty() && item.front() == '-';
    auto given = item;
    if (!item.empty() && (item.front() == '-' || item.front() == '+')) item.remove_prefix(1);
    // "--sort=," and "--sort=-" once passed as no sort at all.
    if (item.empty()) return std::unexpected(std::string(given));
    const Column* c = find_column(item);
    if (!c) return std::unexpected(std::string(item));
    keys.push_back({c, descending});
  }
  return keys;
}

namespace {

// Strict weak order over processes by the keys, pid last so output is stable.
auto comparator(const std::vector<SortKey>& keys, RowContext& ctx) {
  return [&keys, &ctx](const Process* a, const Process* b) {
    for (const auto& k : keys) {
      int cmp;
      if (k.column->number) {
        double x = k.column->number(*a, ctx).value_or(0), y = k.column->number(*b, ctx).value_or(0);
        cmp = x < y ? -1 : x > y ? 1 : 0;
      } else {
        cmp = column_text(*k.column, *a, ctx).compare(column_text(*k.column, *b, ctx));
      }
      if (cmp) return k.descending ? cmp > 0 : cmp < 0;
    }
    return a->pid < b->pid;
  };
}

using ByPid = std::map<pid_t, std::vector<const Process*>>;

// ps -L: a thread's row other than its process's main thread.
bool other_thread(const Process& p) { return p.tid != 0 && p.tid != p.pid; }

// A process's row, its other threads' rows right under it at its depth (as ps -L --forest
// draws them), then its children.
void walk(const Process* p, int depth, ByPid& children, ByPid& threads, std::vector<Row>& out) {
  out.push_back({p, depth});
  if (auto t = threads.find(p->pid); p->tid == p->pid && t != threads.end()) {
    for (const Process* thread : t->second) out.push_back({thread, depth});
    threads.erase(t);
  }
  auto it = children.find(p->pid);
  if (it == children.end()) return;
  for (const Process* child : it->second) walk(child, depth + 1, children, threads, out);
}

}  // namespace

std::vector<Row> order_rows(std::vector<const Process*> selected, const std::vector<SortKey>& keys,
                            bool tree, RowContext& ctx) {
  std::ranges::stable_sort(selected, comparator(keys, ctx));
  std::vector<Row> rows;
  rows.reserve(selected.size());
  if (!tree) {
    for (const Process* p : selected) rows.push_back({p, 0});
    return rows;
  }
  std::set<pid_t> shown;
  for (const Process* p : selected) shown.insert(p->pid);
  ByPid children, threads;
  std::vector<const Process*> roots;
  for (const Process* p : selected) {
    if (other_thread(*p))
      threads[p->pid].push_back(p);
    else if (p->ppid != p->pid && shown.contains(p->ppid))
      children[p->ppid].push_back(p);
    else
      roots.push_back(p);
  }
  for (const Process* r : roots) walk(r, 0, children, threads, rows);
  // Threads whose main thread's row is not there (it exited between the two reads): listed all
  // the same.
  for (const auto& [pid, rest] : threads)
    for (const Process* thread : rest) rows.push_back({thread, 0});
  return rows;
}

}  // namespace nsdebug
