#pragma once
// A fake pod for the TUI's model and view tests: sandbox, nginx master + worker, a shell.
// Names come resolved, as the app hands them over: nothing here reads /proc.
#include "core/pod/resolved_names.h"
#include "fake_probe.h"
#include "tui/actions.h"
#include "tui/model.h"
#include "tui/outcomes.h"
#include "tui/view.h"

namespace nsdebug::testing {

struct TuiWorld {
  Snapshot s;
  tui::Model m;
  TuiWorld() {
    s.processes = {proc(1, 0, 100, {"/pause"}), proc(6, 0, 200, {"nginx: master process"}),
                   proc(11, 6, 200, {"nginx: worker process"}), proc(12, 0, 300, {"sh"}),
                   proc(13, 12, 300, {"top"})};
    s.processes[2].uid = 101;
    s.processes[1].rss_kb = 500;
    s.processes[2].rss_kb = 900;
    s.processes[1].cpu_pct = 1.0;
    s.processes[2].cpu_pct = 5.0;
    s.processes[4].cpu_pct = 2.0;
    FakeProbe probe;
    s.containers = group_into_containers(s.processes, probe);
    m.snapshot = &s;
    m.names.add_user(s.processes[2].container, 101, "nginx");
    m.mem_total_kb = 1000000;
    tui::fit_lists(m, {80, 24});
    tui::rebuild_rows(m);
  }
  std::vector<pid_t> pids() const {
    std::vector<pid_t> v;
    for (const auto& r : m.rows) v.push_back(r.process ? r.process->pid : -1);
    return v;
  }
  pid_t selected() const {
    const Process* p = tui::selected_process(m);
    return p ? p->pid : 0;
  }
  void keys(std::string_view text) {
    for (char c : text) tui::update(m, c);
  }
  tui::Effect key(tui::Key k) { return tui::update(m, k); }
  std::string screen(tui::Size size = {80, 24}) const { return tui::render(m, size).text(); }
};

// Bytes for the pager, as the app's read of a file finds them.
inline tui::FileRead file_read(std::string bytes, std::optional<std::string> opened = {}) {
  tui::FileRead r;
  r.opened = std::move(opened);
  r.bytes = std::move(bytes);
  return r;
}

}  // namespace nsdebug::testing
