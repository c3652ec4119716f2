// Effects carried out through core: the kill plan and its delivery, inspect, env, doctor,
// the files view and the pager. Read-only everywhere but the signal the user chose.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <functional>

#include <fmt/format.h>

#include "core/proc/access.h"
#include "core/files/file_mode.h"
#include "core/diagnosis/inspect.h"
#include "core/signals/signals.h"
#include "tui/actions_detail.h"
#include "tui/app_state.h"
#include "tui/pages.h"
#include "tui/text.h"

namespace nsdebug::tui {
namespace {

constexpr std::size_t kPagerLimit = 16 << 20;  // bytes read into the pager at most

void add_bytes(PagerState& p, std::string_view got) {
  if (got.find('\0') != std::string_view::npos) p.note = "binary: bytes shown as \\xNN";
  append_text(p, got);
}

void say(Model& m, std::string text, bool error) {
  m.status = std::move(text);
  m.status_error = error;
}

void say_error(Model& m, const Error& e) {
  std::string s = e.what + ": " + e.reason();
  if (!e.hint.empty()) s += "  hint: " + e.hint;
  say(m, std::move(s), true);
}

// The page's process, if it is still the one that was selected.
Result<ProcessHandle> still_there(const ProcKey& k) { return ProcessHandle::open(k.pid, k.start_ticks); }

void plan(AppState& app) {
  Model& m = app.model;
  KillSelection sel;
  for (const auto& k : m.menu.targets) sel.pids.push_back(k.pid);
  auto p = plan_kill(app.table.snapshot(), sel, SIGTERM);
  if (!p) {
    m.menu.plan_error = p.error();
    return;
  }
  // A target that started after the listing the keys chose from is another process.
  std::erase_if(p->targets, [&](const KillTarget& t) {
    return std::ranges::none_of(m.menu.targets, [&](const ProcKey& k) {
      return k.pid == t.pid && k.start_ticks == t.start_ticks;
    });
  });
  if (p->targets.empty()) {
    std::string why = !p->skipped.empty() ? p->skipped.front().second
                      : !p->not_found.empty() ? p->not_found.front().reason()
                                              : "the process is gone";
    m.menu.plan_error = Error{ESRCH, "nothing to signal", why, {}};
    return;
  }
  m.menu.plan = std::move(*p);
}

void send(AppState& app, bool force) {
  Model& m = app.model;
  go_back(m);
  if (!m.menu.plan) return;
  KillPlan& p = *m.menu.plan;
  p.sig = m.menu.signals[m.menu.cursor];
  auto results = deliver(p, force, false);
  std::size_t sent = 0;
  std::optional<Error> first_error;
  std::string pids;
  for (std::size_t i = 0; i < results.size() && i < p.targets.size(); ++i) {
    if (results[i].outcome == DeliveryOutcome::sent) {
      ++sent;
      pids += (pids.empty() ? "" : " ") + std::to_string(p.targets[i].pid);
      if (p.targets[i].handle) app.watched.push_back(std::move(*p.targets[i].handle));
    } else if (!first_error && results[i].error) {
      first_error = results[i].error;
    }
  }
  if (first_error) {
    say_error(m, *first_error);
    if (sent) m.status = fmt::format("sent {} to {}; ", signal_name(p.sig), pids) + m.status;
  } else {
    say(m, fmt::format("sent {} to PID {}", signal_name(p.sig), pids), false);
  }
  m.menu.plan.reset();
  m.tagged.clear();
  app.refresh_now = true;
}

void open_details(AppState& app) {
  Model& m = app.model;
  auto h = still_there(m.page_process);
  if (!h) return go_back(m), say_error(m, h.error());
  m.page.title = fmt::format("Details of PID {}", m.page_process.pid);
  m.page.lines = details_lines(inspect_process(*h, false));
  m.page.top = 0;
}

void open_env(AppState& app, bool reveal) {
  Model& m = app.model;
  auto h = still_there(m.page_process);
  if (!h) return go_back(m), say_error(m, h.error());
  m.page.title = fmt::format("Environment of PID {}", m.page_process.pid);
  m.page.lines = env_lines(read_environ(*h, reveal), reveal);
  m.page.top = 0;
}

std::function<std::string(uid_t)> user_names(AppState& app, bool groups) {
  const Process* p = app.table.snapshot().find(app.model.files.process.pid);
  int container = p ? p->container : -1;
  IdentityNames* names = &app.table.names();
  if (groups) return [=](gid_t g) { return names->group(container, g); };
  return [=](uid_t u) { return names->user(container, u); };
}

bool list_dir(AppState& app, const std::string& path) {
  FilesState& f = app.model.files;
  auto entries = app.root->list(path);
  if (!entries) {
    say_error(app.model, explain(entries.error(), f.process.pid));
    return false;
  }
  f.path = path;
  f.error.reset();
  fill_rows(f, std::move(*entries), user_names(app, false), user_names(app, true));
  return true;
}

void open_pager(AppState& app, const std::string& path) {
  Model& m = app.model;
  // As nsdebug cat: regular files only, checked to be the file that was resolved.
  auto view = FileView::open(*app.root, path);
  if (!view) return say_error(m, explain(view.error(), m.files.process.pid));
  m.pager = PagerState{};
  m.pager.title = escape_bytes(path);
  m.pager.path = path;
  app.pager.emplace(std::move(*view));
  read_pager(app);
  m.back.push_back(m.screen);
  m.screen = Screen::pager;
}

void open_path(AppState& app, const std::string& path) {
  Model& m = app.model;
  if (!app.root) return say(m, "no root open", true);
  auto st = app.root->stat(path, true);
  if (!st) return say_error(m, explain(st.error(), m.files.process.pid));
  if (S_ISDIR(st->st_mode)) {
    list_dir(app, path);
  } else if (S_ISREG(st->st_mode)) {
    open_pager(app, path);
  } else {
    say(m, escape_bytes(path) + ": a " + file_type_description(st->st_mode) +
               ", not opened: reading it may block or take data from its owner", true);
  }
}

void open_files(AppState& app) {
  Model& m = app.model;
  auto h = still_there(m.files.process);
  if (!h) return go_back(m), say_error(m, h.error());
  auto root = RootedFs::open(*h);
  if (!root) return go_back(m), say_error(m, explain(root.error(), m.files.process.pid));
  app.root.emplace(std::move(*root));
  if (!list_dir(app, "/")) go_back(m);
}

}  // namespace

void read_pager(AppState& app) {
  PagerState& p = app.model.pager;
  if (!app.pager) return;
  while (p.offset < kPagerLimit) {
    auto got = app.pager->read(p.offset, 1 << 20);
    if (!got) {
      say_error(app.model, got.error());
      return;
    }
    if (got->empty()) break;
    add_bytes(p, *got);
  }
  if (p.offset >= kPagerLimit) p.note = "only the first 16 MiB shown";
}

void follow_pager(AppState& app) {
  PagerState& p = app.model.pager;
  if (!app.pager || !app.root || p.offset >= kPagerLimit) return;
  auto step = app.pager->poll_once(*app.root, p.offset, kPagerLimit - p.offset);
  if (!step) {
    say_error(app.model, step.error());
    return;
  }
  if (step->truncated || step->rotated) {
    p.lines.clear();
    p.offset = 0;
    p.partial_line = false;
  }
  // Said as nsdebug tail -f says it (GNU tail -F's words); the last event is the one that holds.
  if (!step->events.empty()) p.note = follow_notice_text(step->events.back());
  add_bytes(p, step->appended);
  if (p.follow && !p.lines.empty()) p.top = p.lines.size() - 1;
}

void load_doctor(AppState& app, bool into_page) {
  Model& m = app.model;
  DoctorFacts facts = gather_doctor_facts(app.options.entered);
  auto findings = diagnose(facts);
  m.where = where_line(facts, findings);
  m.verdict = verdict_line(findings);
  m.caps = caps_line(facts.cap_eff);
  if (into_page) {
    m.page.title = "Doctor: where nsdebug runs and what limits it (R runs it again)";
    m.page.lines = doctor_lines(findings);
    m.page.top = 0;
  }
}

void adopt_snapshot(AppState& app) {
  app.model.snapshot = &app.table.snapshot();
  app.model.names = &app.table.names();
  rebuild_rows(app.model);
}

bool carry_out(AppState& app, const Effect& e) {
  switch (e.kind) {
    case EffectKind::none:
    case EffectKind::redraw: break;
    case EffectKind::quit: return false;
    case EffectKind::refresh: app.refresh_now = true; break;
    case EffectKind::plan_kill: plan(app); break;
    case EffectKind::deliver: send(app, e.force); break;
    case EffectKind::open_details: open_details(app); break;
    case EffectKind::open_env: open_env(app, e.reveal); break;
    case EffectKind::open_doctor: load_doctor(app, true); break;
    case EffectKind::open_files: open_files(app); break;
    case EffectKind::open_path: open_path(app, e.path); break;
  }
  return true;
}

}  // namespace nsdebug::tui
