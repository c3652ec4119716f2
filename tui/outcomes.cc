// apply(): what an effect found, put in the model. Pure: no read, no handle.
#include "tui/outcomes.h"

#include <fmt/format.h>

#include "core/signals/signals.h"
#include "tui/actions_detail.h"
#include "tui/pages.h"
#include "tui/text.h"

namespace nsdebug::tui {
namespace {

void say(Model& m, std::string text, bool error) {
  m.status = std::move(text);
  m.status_error = error;
}

void say_error(Model& m, const Error& e) {
  std::string s = e.what + ": " + e.reason();
  if (!e.hint.empty()) s += "  hint: " + e.hint;
  say(m, std::move(s), true);
}

std::string pid_list(const std::vector<pid_t>& pids) {
  std::string out;
  for (pid_t p : pids) out += (out.empty() ? "" : " ") + std::to_string(p);
  return out;
}

void fill_page(TextPage& page, std::string title, std::vector<std::string> lines) {
  page.title = std::move(title);
  page.lines = std::move(lines);
  clear(page.list);
  set_count(page.list, page.lines.size());
}

struct Apply {
  Model& m;

  void operator()(Listed& o) {
    if (o.error) say(m, "refresh: " + o.error->what + ": " + o.error->reason(), true);
    m.snapshot = o.snapshot;
    m.names = std::move(o.names);
    rebuild_rows(m);
  }
  void operator()(HeaderRead& o) {
    m.where = std::move(o.where);
    m.verdict = std::move(o.verdict);
    m.caps = std::move(o.caps);
    if (o.page)
      fill_page(m.page, "Doctor: where nsdebug runs and what limits it (R runs it again)",
                std::move(*o.page));
  }
  void operator()(PageRead& o) { fill_page(m.page, std::move(o.title), std::move(o.lines)); }
  void operator()(KillPlanned& o) {
    if (o.error) m.menu.plan_error = std::move(o.error);
    else m.menu.plan = std::move(o.targets);
  }
  void operator()(SignalSent& o) {
    go_back(m);
    if (!o.sig) return;
    std::string name = signal_name(o.sig);
    if (o.first_error) {
      say_error(m, *o.first_error);
      if (!o.sent.empty()) m.status = fmt::format("sent {} to {}; ", name, pid_list(o.sent)) + m.status;
    } else {
      say(m, fmt::format("sent {} to PID {}", name, pid_list(o.sent)), false);
    }
    m.menu.plan.reset();
    m.tagged.clear();
  }
  void operator()(DirListed& o) {
    FilesState& f = m.files;
    f.path = std::move(o.path);
    f.error.reset();
    f.rows = std::move(o.rows);
    f.raw_names = std::move(o.raw_names);
    clear(f.list);
    set_count(f.list, f.rows.size());
  }
  void operator()(FileRead& o);
  void operator()(SocketsRead& o);
  void operator()(Exited& o) {
    if (!m.status.empty()) m.status += "; ";
    m.status += "exited: PID " + pid_list(o.pids);
  }
  void operator()(Failed& o) {
    if (o.leave) go_back(m);
    say_error(m, o.error);
  }
  void operator()(Said& o) { say(m, std::move(o.text), o.error); }
};

void Apply::operator()(FileRead& o) {
  PagerState& p = m.pager;
  if (o.opened) {
    ListState list = p.list;  // fitted to the screen
    p = PagerState{};
    p.list = list;
    clear(p.list);
    p.title = escape_bytes(*o.opened);
    p.path = std::move(*o.opened);
    m.back.push_back(m.screen);
    m.screen = Screen::pager;
  }
  if (o.restart) {
    p.lines.clear();
    p.offset = 0;
    p.partial_line = false;
  }
  // Said as nsdebug tail -f says it (GNU tail -F's words); the last event is the one that holds.
  if (o.notice) p.note = std::move(*o.notice);
  if (o.bytes.find('\0') != std::string::npos) p.note = "binary: bytes shown as \\xNN";
  append_text(p, o.bytes);
  if (o.at_limit) p.note = "only the first 16 MiB shown";
  if (o.error) say_error(m, *o.error);
  if (p.follow) move_list(p.list, ListMove::end);
}

void Apply::operator()(SocketsRead& o) {
  if (o.need == SocketNeed::listeners) {
    // Ports that can no longer be read are not shown as if still open.
    if (o.error) {
      m.listening.clear();
      say(m, "listening ports: " + escape_bytes(o.error->what + ": " + o.error->reason()), true);
    } else {
      m.listening = listening_by_container(o.net, *o.snapshot);
    }
    rebuild_rows(m);
    return;
  }
  NetworkState& n = m.net;
  if (o.error) {
    n.read = true;
    n.error = escape_bytes(o.error->what + ": " + o.error->reason());
    return;
  }
  take_sockets(n, o.net, *o.snapshot);
}

}  // namespace

void apply(Model& m, Outcome outcome) { std::visit(Apply{m}, outcome); }

}  // namespace nsdebug::tui
