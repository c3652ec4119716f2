#pragma once
// What the app found carrying an effect out, as values: the loop's messages (Elm's). update()
// (actions.h) turns a key into an Effect; the app carries it out through core
// (app_effects.cc), holding every handle itself; apply() puts what it found in the model.
// Effects never touch the model, and apply() never reads anything.
#include <sys/types.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/base/error.h"
#include "core/net/pod_network.h"
#include "core/pod/resolved_names.h"
#include "core/pod/snapshot.h"
#include "tui/model.h"

namespace nsdebug::tui {

inline constexpr std::size_t kPagerLimit = 16 << 20;  // bytes read into the pager at most

// A refresh: the table's new snapshot (the app keeps it until the next) and its names.
struct Listed {
  const Snapshot* snapshot = nullptr;
  ResolvedNames names;
  std::optional<Error> error;  // the refresh failed: the last listing stays
};

// Doctor's facts for the header; with the doctor page (d, R) its lines too.
struct HeaderRead {
  std::string where, verdict, caps;
  std::optional<std::vector<std::string>> page;
};

// A text page's content (details, environment).
struct PageRead {
  std::string title;
  std::vector<std::string> lines;  // escaped
};

// The kill menu's plan: the app holds core's KillPlan and its handles, the model this.
struct KillPlanned {
  std::vector<PlannedTarget> targets;
  std::optional<Error> error;  // nothing to signal, or no plan
};

// What the kill menu's signal did.
struct SignalSent {
  int sig = 0;                       // 0: there was no plan, nothing was tried
  std::vector<pid_t> sent;           // the kernel took it
  std::optional<Error> first_error;  // the first target it failed for
};

// A directory of the files view, its rows ready to draw (pages.h's list_rows).
struct DirListed {
  std::string path;  // raw
  std::vector<FileRow> rows;
  std::vector<std::string> raw_names;
};

// Bytes for the pager: the start of a file just opened, or what was appended to it.
struct FileRead {
  std::optional<std::string> opened;  // a new file (raw path): the pager starts on it
  bool restart = false;               // truncated or rotated: the lines start again
  std::string bytes;
  std::optional<std::string> notice;  // as tail -f says what happened to the file
  bool at_limit = false;              // kPagerLimit reached: no more is read
  std::optional<Error> error;         // reading stopped there
};

// The sockets sockets_needed() asked for, joined against `snapshot` (the app's, the one the
// process list shows).
struct SocketsRead {
  SocketNeed need = SocketNeed::network;
  const Snapshot* snapshot = nullptr;
  PodNetwork net;
  std::optional<Error> error;  // neither sock_diag nor /proc/net could be read
};

// Signalled processes that exited since.
struct Exited {
  std::vector<pid_t> pids;
};

// An effect failed; with `leave`, the screen it was for is left.
struct Failed {
  Error error;
  bool leave = false;
};

// One line for the status bar.
struct Said {
  std::string text;
  bool error = false;
};

using Outcome = std::variant<Listed, HeaderRead, PageRead, KillPlanned, SignalSent, DirListed,
                             FileRead, SocketsRead, Exited, Failed, Said>;

void apply(Model& m, Outcome outcome);

}  // namespace nsdebug::tui
