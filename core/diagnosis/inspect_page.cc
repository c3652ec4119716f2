// The inspect page's facts and layout (inspect_page.h).
#include "core/diagnosis/inspect_page.h"

#include <fmt/format.h>

#include "core/proc/access.h"

namespace nsdebug {
namespace {

std::string unreadable(const Error& e) {
  std::string s = fmt::format("(unreadable: {}", e.reason());
  if (!e.hint.empty()) s += "; " + e.hint;
  return s + ")";
}

std::string caps_text(std::uint64_t caps) { return caps == 0 ? "(none)" : capability_names(caps); }

std::string joined(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

InspectRow fact(std::string label, std::string value) { return {std::move(label), {std::move(value)}, false, {}}; }

template <class T, class F>
InspectRow part(std::string label, const Result<T>& r, F show) {
  return r ? fact(std::move(label), show(*r)) : fact(std::move(label), unreadable(r.error()));
}

void add_status(std::vector<InspectRow>& rows, const Result<StatusIds>& status, const InspectContext& c) {
  if (!status) {
    rows.push_back(fact("Status", unreadable(status.error())));
    return;
  }
  const StatusIds& s = *status;
  auto u = [&](uid_t id) { return fmt::format("{}({})", c.user(id), id); };
  auto g = [&](gid_t id) { return fmt::format("{}({})", c.group(id), id); };
  rows.push_back(fact("State", std::string(1, s.state)));
  rows.push_back(fact("Users", fmt::format("uid {} euid {} suid {} fsuid {}", u(s.ruid), u(s.euid),
                                           u(s.suid), u(s.fsuid))));
  rows.push_back(fact("Groups", fmt::format("gid {} egid {} sgid {} fsgid {}", g(s.rgid), g(s.egid),
                                            g(s.sgid), g(s.fsgid))));
  rows.push_back(fact("CapEff", caps_text(s.cap_eff)));
  rows.push_back(fact("CapPrm", caps_text(s.cap_prm)));
  rows.push_back(fact("CapBnd", caps_text(s.cap_bnd)));
}

// v1 hierarchies give several lines: each its own, under the first.
std::vector<std::string> cgroup_lines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  for (std::size_t start = 0; start <= text.size();) {
    auto end = std::min(text.find('\n', start), text.size());
    out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

template <class T, class F>
InspectRow list(std::string label, const Result<T>& r, F items) {
  if (!r) return fact(std::move(label), unreadable(r.error()));
  InspectRow row{std::move(label), {}, true, {}};
  items(*r, row);
  return row;
}

void add_lists(std::vector<InspectRow>& rows, const Inspection& in) {
  rows.push_back(list("Open files", in.fds, [](const std::vector<OpenFd>& v, InspectRow& row) {
    for (const auto& f : v)
      row.items.push_back(fmt::format("{:>4} {}", f.fd, f.socket.empty() ? f.target : f.target + " " + f.socket));
  }));
  rows.push_back(list("Limits", in.limits, [](const std::vector<Limit>& v, InspectRow& row) {
    for (const auto& l : v)
      row.items.push_back(fmt::format("{:<26}{:>21} {:>21} {}", l.name, l.soft, l.hard, l.units));
  }));
  rows.push_back(list("Environment", in.environ, [](const EnvironBlock& e, InspectRow& row) {
    if (e.overwritten) row.value.push_back(fmt::format("({})", kEnvironOverwritten));
    row.items = e.entries;
  }));
}

}  // namespace

InspectContext inspect_context(const Snapshot* snapshot, pid_t pid, const IdNameSource* names) {
  InspectContext c;
  int container = -1;
  if (const Process* p = snapshot ? snapshot->find(pid) : nullptr) {
    container = p->container;
    c.host_pid = p->host_pid;
    if (const Container* k = snapshot->container_of(*p)) c.container = k->name;
  }
  c.user = [=](uid_t id) { return names ? names->user(container, id) : std::to_string(id); };
  c.group = [=](gid_t id) { return names ? names->group(container, id) : std::to_string(id); };
  return c;
}

std::vector<InspectRow> inspect_rows(const Inspection& in, const InspectContext& c) {
  std::string host = c.host_pid ? fmt::format(", host PID {}", c.host_pid) : "";
  std::vector<InspectRow> rows;
  rows.push_back(fact("", fmt::format("PID {}{}, container {}", in.pid, host,
                                      c.container.empty() ? "?" : c.container)));
  rows.push_back(part("Command", in.argv, [](const auto& argv) { return joined(argv, " "); }));
  rows.push_back(part("Exe", in.exe, [](const std::string& s) { return s; }));
  rows.push_back(part("Cwd", in.cwd, [](const std::string& s) { return s; }));
  add_status(rows, in.status, c);
  rows.push_back(part("Namespaces", in.namespaces, [](const std::vector<Namespace>& v) {
    std::string ns;
    for (const auto& n : v) ns += fmt::format("{}{}:{}", ns.empty() ? "" : " ", n.type, n.inode);
    return ns;
  }));
  if (in.cgroup) rows.push_back({"Cgroup", cgroup_lines(*in.cgroup), false, {}});
  else rows.push_back(fact("Cgroup", unreadable(in.cgroup.error())));
  add_lists(rows, in);
  return rows;
}

std::vector<std::string> inspect_page_lines(const std::vector<InspectRow>& rows, Escape escape) {
  std::vector<std::string> out;
  for (const auto& r : rows) {
    if (r.label.empty()) {
      for (const auto& v : r.value) out.push_back(escape(v));
      continue;
    }
    std::string label = r.label + ":";
    if (r.list && r.value.empty()) {
      out.push_back(label);
    } else {
      for (std::size_t i = 0; i < r.value.size(); ++i)
        out.push_back(fmt::format("{:<11} {}", i ? "" : label, escape(r.value[i])));
    }
    for (const auto& item : r.items) out.push_back("  " + escape(item));
  }
  return out;
}

}  // namespace nsdebug
