// Effects carried out through core: the kill plan and its delivery, inspect, env, doctor,
// the files view and the pager. Each reads the model's values and returns what it found;
// the handles stay here, in AppState. Read-only everywhere but the signal the user chose.
#include <sys/stat.h>

#include <algorithm>
#include <csignal>
#include <functional>

#include <fmt/format.h>

#include "core/proc/access.h"
#include "core/files/file_mode.h"
#include "core/pod/target.h"
#include "core/signals/guard_words.h"
#include "core/diagnosis/inspect.h"
#include "core/diagnosis/inspect_page.h"
#include "core/threads/threads.h"
#include "tui/app_state.h"
#include "tui/pages.h"
#include "tui/text.h"

namespace nsdebug::tui {
namespace {

// The page's process, if it is still the one that was selected.
// A row's pages reach its process by core's rules (core/pod/target.h), as the CLI does.
Result<ProcessHandle> still_there(const ProcKey& k) { return reach_listed(k.pid, k.start_ticks); }

Outcome plan(AppState& app, const Model& m) {
  app.kill_plan.reset();
  KillSelection sel;
  for (const auto& k : m.menu.targets) sel.pids.push_back(k.pid);
  auto p = plan_kill(app.table.snapshot(), sel, SIGTERM);
  if (!p) return KillPlanned{{}, p.error()};
  KillPlanned out = planned(*p, m.menu.targets);
  if (!out.error) app.kill_plan = std::move(*p);
  return out;
}

Outcome send(AppState& app, int sig, bool force) {
  if (!app.kill_plan) return SignalSent{};
  KillPlan& p = *app.kill_plan;
  p.sig = sig;
  SignalSent out = sent(p, deliver(p, force, false), app.watched);
  app.kill_plan.reset();
  app.refresh_now = true;
  return out;
}

// The call as the TUI's one-byte-a-column frame can draw it: core's "→" (U+2192) would be
// escaped to \xe2\x86\x92; "->" says the same. (A target's own bytes e2 86 92 in a path also
// read "->" then: a display, never parsed.)
std::string call_text(const ThreadInfo& t) {
  if (!t.syscall) return "?";
  std::string text = escape_bytes(t.call);
  constexpr std::string_view kArrow = "\\xe2\\x86\\x92";
  for (auto at = text.find(kArrow); at != std::string::npos; at = text.find(kArrow, at))
    text.replace(at, kArrow.size(), "->");
  return text;
}

// What each thread waits in, as nsdebug threads shows it (one read, no CPU sample: the page
// opens at once), under the inspect page.
void add_thread_lines(const ProcessHandle& h, std::vector<std::string>& lines) {
  constexpr std::size_t kMaxThreads = 500;  // a JVM's thousands: the summary counts them all
  auto r = read_threads(h, {.interval = std::chrono::milliseconds(0), .stacks = false});
  if (!r) return;
  lines.emplace_back();
  lines.push_back("Threads: " + r->summary);
  for (std::size_t i = 0; i < r->threads.size() && i < kMaxThreads; ++i) {
    const ThreadInfo& t = r->threads[i];
    lines.push_back(fmt::format("  {:>7} {:<15} {} {:<24} {}", t.tid, escape_bytes(t.comm),
                                t.state, t.wchan.empty() ? "-" : escape_bytes(t.wchan),
                                call_text(t)));
  }
  if (r->threads.size() > kMaxThreads)
    lines.push_back(fmt::format("  ... {} more (nsdebug threads {})",
                                r->threads.size() - kMaxThreads, h.pid()));
  if (r->syscall_error)
    lines.push_back("  ?: " + escape_bytes(r->syscall_error->reason()) + "; " +
                    escape_bytes(r->syscall_error->hint));
}

// The inspect page as nsdebug inspect shows it, ids named as its container names them, and
// what each thread waits in.
Outcome open_details(AppState& app, const Model& m) {
  auto h = still_there(m.page_process);
  if (!h) return Failed{h.error(), true};
  InspectContext c = inspect_context(&app.table.snapshot(), h->pid(), &app.table.names());
  auto lines = inspect_page_lines(inspect_rows(inspect_process(*h, false), c), escape_bytes);
  add_thread_lines(*h, lines);
  return PageRead{fmt::format("Details of PID {}", m.page_process.pid), std::move(lines)};
}

Outcome open_env(const Model& m, bool reveal) {
  auto h = still_there(m.page_process);
  if (!h) return Failed{h.error(), true};
  return PageRead{fmt::format("Environment of PID {}", m.page_process.pid),
                  env_lines(read_environ(*h, reveal), reveal)};
}

// Ids named as the files' process's container names them.
std::function<std::string(uid_t)> id_names(AppState& app, const Model& m, bool groups) {
  const Process* p = app.table.snapshot().find(m.files.process.pid);
  int container = p ? p->container : -1;
  const IdentityNames* names = &app.table.names();
  if (groups) return [=](gid_t g) { return names->group(container, g); };
  return [=](uid_t u) { return names->user(container, u); };
}

Outcome list_dir(AppState& app, const Model& m, const std::string& path, bool leave_on_error) {
  auto entries = app.root->list(path);
  if (!entries) return Failed{explain(entries.error(), m.files.process.pid), leave_on_error};
  return list_rows(path, std::move(*entries), id_names(app, m, false), id_names(app, m, true));
}

// The file's bytes from `offset`, up to kPagerLimit in all.
FileRead read_from(FileView& view, std::uint64_t offset) {
  FileRead out;
  while (offset < kPagerLimit) {
    auto got = view.read(offset, 1 << 20);
    if (!got) {
      out.error = got.error();
      break;
    }
    if (got->empty()) break;
    offset += got->size();
    out.bytes += *got;
  }
  out.at_limit = offset >= kPagerLimit;
  return out;
}

Outcome open_pager(AppState& app, const Model& m, const std::string& path) {
  // As nsdebug cat: regular files only, checked to be the file that was resolved.
  auto view = FileView::open(*app.root, path);
  if (!view) return Failed{explain(view.error(), m.files.process.pid)};
  app.pager.emplace(std::move(*view));
  FileRead out = read_from(*app.pager, 0);
  out.opened = path;
  return out;
}

Outcome open_path(AppState& app, const Model& m, const std::string& path) {
  if (!app.root) return Said{"no root open", true};
  auto st = app.root->stat(path, true);
  if (!st) return Failed{explain(st.error(), m.files.process.pid)};
  if (S_ISDIR(st->st_mode)) return list_dir(app, m, path, false);
  if (S_ISREG(st->st_mode)) return open_pager(app, m, path);
  return Said{escape_bytes(path) + ": a " + file_type_description(st->st_mode) +
                  ", not opened: reading it may block or take data from its owner",
              true};
}

Outcome open_files(AppState& app, const Model& m) {
  auto h = still_there(m.files.process);
  if (!h) return Failed{h.error(), true};
  auto root = RootedFs::open(*h);
  if (!root) return Failed{explain(root.error(), m.files.process.pid), true};
  app.root.emplace(std::move(*root));
  return list_dir(app, m, "/", true);
}

}  // namespace

KillPlanned planned(KillPlan& p, const std::vector<ProcKey>& keys) {
  std::erase_if(p.targets, [&](const KillTarget& t) {
    return std::ranges::none_of(keys, [&](const ProcKey& k) {
      return k.pid == t.pid && k.start_ticks == t.start_ticks;
    });
  });
  if (p.targets.empty()) {
    std::string why = !p.skipped.empty() ? p.skipped.front().second
                      : !p.not_found.empty() ? p.not_found.front().reason()
                                             : "the process is gone";
    return KillPlanned{{}, Error{ESRCH, "nothing to signal", why, {}}};
  }
  KillPlanned out;
  for (const auto& t : p.targets) out.targets.push_back({t.pid, t.container, t.guard, t.init_masks});
  return out;
}

SignalSent sent(KillPlan& p, const std::vector<Delivery>& results,
                std::vector<ProcessHandle>& watched) {
  SignalSent out{p.sig, {}, std::nullopt};
  for (std::size_t i = 0; i < results.size() && i < p.targets.size(); ++i) {
    if (results[i].outcome == DeliveryOutcome::sent) {
      out.sent.push_back(p.targets[i].pid);
      if (p.targets[i].handle) watched.push_back(std::move(*p.targets[i].handle));
    } else if (!out.first_error && results[i].error) {
      out.first_error = results[i].error;
    } else if (!out.first_error && results[i].refusal) {  // a guard the confirmation skipped
      const GuardCase& c = *results[i].refusal;
      out.first_error = Error{EPERM, guard_what(c), guard_why(c), {}};
    }
  }
  return out;
}

std::optional<Outcome> follow_pager(AppState& app, const Model& m) {
  const PagerState& p = m.pager;
  if (!app.pager || !app.root || p.offset >= kPagerLimit) return std::nullopt;
  auto step = app.pager->poll_once(*app.root, p.offset, kPagerLimit - p.offset);
  if (!step) return Failed{step.error()};
  FileRead out;
  out.restart = step->truncated || step->rotated;
  if (!step->events.empty()) out.notice = follow_notice_text(step->events.back());
  out.bytes = std::move(step->appended);
  return out;
}

HeaderRead load_doctor(const AppState& app, bool with_page) {
  DoctorFacts facts = gather_doctor_facts(app.options.entered);
  auto findings = diagnose(facts);
  HeaderRead out{where_line(facts, findings), verdict_line(findings), caps_line(facts.cap_eff), {}};
  if (with_page) out.page = doctor_lines(findings);
  return out;
}

Listed listed(AppState& app, std::optional<Error> error) {
  const Snapshot& s = app.table.snapshot();
  return Listed{&s, resolve_names(s, app.table.names()), std::move(error)};
}

std::optional<Outcome> read_sockets(const AppState& app, const Model& m) {
  SocketNeed need = sockets_needed(m);
  if (need == SocketNeed::none) return std::nullopt;
  const Snapshot& s = app.table.snapshot();
  auto net = look_at_network(s, need == SocketNeed::network ? network_filter(m.net) : listeners_filter());
  SocketsRead out{need, &s, {}, {}};
  if (net) out.net = std::move(*net);
  else out.error = net.error();
  return out;
}

std::optional<Outcome> reap_watched(AppState& app) {
  Exited out;
  std::erase_if(app.watched, [&](const ProcessHandle& h) {
    if (!h.exited()) return false;
    out.pids.push_back(h.pid());
    return true;
  });
  if (out.pids.empty()) return std::nullopt;
  app.refresh_now = true;  // the list shows them gone at once
  return out;
}

std::optional<Outcome> carry_out(AppState& app, const Model& m, const Effect& e) {
  switch (e.kind) {
    case EffectKind::none:
    case EffectKind::redraw:
    case EffectKind::quit: break;
    case EffectKind::refresh: app.refresh_now = true; break;
    case EffectKind::plan_kill: return plan(app, m);
    case EffectKind::deliver: return send(app, e.sig, e.force);
    case EffectKind::open_details: return open_details(app, m);
    case EffectKind::open_env: return open_env(m, e.reveal);
    case EffectKind::open_doctor: return load_doctor(app, true);
    case EffectKind::open_files: return open_files(app, m);
    case EffectKind::open_path: return open_path(app, m, e.path);
    case EffectKind::read_sockets: return read_sockets(app, m);
  }
  return std::nullopt;
}

}  // namespace nsdebug::tui
