#pragma once
// Inside the app: what the loop holds besides the model (core objects the effects use, every
// handle among them), and the effects carried out through them. An effect reads the model's
// values and returns what it found (outcomes.h); only apply() changes the model.
#include <optional>
#include <vector>

#include "core/files/file_view.h"
#include "core/pod/process_table.h"
#include "core/proc/process_handle.h"
#include "core/files/rooted_fs.h"
#include "core/signals/kill_plan.h"
#include "tui/actions.h"
#include "tui/app.h"
#include "tui/model.h"
#include "tui/outcomes.h"

namespace nsdebug::tui {

struct AppState {
  AppOptions options;
  ProcessTable table;
  std::optional<RootedFs> root;  // the files view's process root
  std::optional<FileView> pager;  // the paged file, kept open to follow it
  std::optional<KillPlan> kill_plan;  // the kill menu's: handles taken when it opened
  std::vector<ProcessHandle> watched;  // signalled processes: their exit is reported
  bool refresh_now = false;
};

// Carries one effect out (not quit: the loop ends on it); what it found, if anything.
std::optional<Outcome> carry_out(AppState& app, const Model& m, const Effect& e);
// The pager follows its file: what was appended (nothing when there is no file).
std::optional<Outcome> follow_pager(AppState& app, const Model& m);
// Header facts from doctor (where, verdict, capabilities); with the doctor page's lines.
HeaderRead load_doctor(const AppState& app, bool with_page);
// A refresh's outcome: the table's snapshot (the model points at it) and its names.
Listed listed(AppState& app, std::optional<Error> error);
// The sockets the screen shown needs (sockets_needed), joined to the table's snapshot;
// nothing when it needs none.
std::optional<Outcome> read_sockets(const AppState& app, const Model& m);
// Signalled processes that exited since, no longer watched.
std::optional<Outcome> reap_watched(AppState& app);

// The pure steps, apart for tests:
// The plan for the menu's targets: a target that started after the listing the keys chose
// from is another process, and is dropped.
KillPlanned planned(KillPlan& plan, const std::vector<ProcKey>& keys);
// The deliveries said as an outcome; the handles of processes signalled move to `watched`.
SignalSent sent(KillPlan& plan, const std::vector<Delivery>& results,
                std::vector<ProcessHandle>& watched);

}  // namespace nsdebug::tui
