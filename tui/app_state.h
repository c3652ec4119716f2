#pragma once
// Inside the app: what the loop holds besides the model (core objects the effects use).
#include <optional>
#include <vector>

#include "core/files/file_view.h"
#include "core/proc/process_handle.h"
#include "core/pod/process_table.h"
#include "core/files/rooted_fs.h"
#include "core/base/unique_fd.h"
#include "tui/actions.h"
#include "tui/app.h"
#include "tui/model.h"

namespace nsdebug::tui {

struct AppState {
  AppOptions options;
  ProcessTable table;
  Model model;
  std::optional<RootedFs> root;  // the files view's process root
  std::optional<FileView> pager;  // the paged file, kept open to follow it
  std::vector<ProcessHandle> watched;  // signalled processes: their exit is reported
  bool refresh_now = false;
};

// Carries one effect out; false when the app must quit.
bool carry_out(AppState& app, const Effect& e);
// The pager's file read from where it was left (at most 16 MiB in all).
void read_pager(AppState& app);
// The pager follows its file: reads what was appended.
void follow_pager(AppState& app);
// Header facts from doctor (where, verdict, capabilities).
void load_doctor(AppState& app, bool into_page);
// Model points at the table's latest snapshot, rows rebuilt.
void adopt_snapshot(AppState& app);

}  // namespace nsdebug::tui
