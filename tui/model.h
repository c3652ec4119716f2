#pragma once
// The TUI's state, values only: what the listing shows and how (sort, filter, tree, grouping),
// which process is selected (by pid and start time, so it survives rows moving), and which
// screen is up. It holds no handle and no object that reads: names come resolved
// (ResolvedNames), the kill plan's handles stay in the app (app_state.h), and the snapshot it
// points at is the app's, read-only and replaced whole on a refresh. update() (actions.h)
// changes it on a key or on what an effect found; render() (view.h) draws it. None of them
// touches a terminal or /proc.
#include <sys/types.h>

#include <compare>
#include <map>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/pod/resolved_names.h"
#include "core/signals/kill_guard.h"
#include "core/present/select.h"
#include "core/pod/snapshot.h"
#include "tui/list.h"
#include "tui/network.h"

namespace nsdebug::tui {

// A process for ever: a pid alone may be recycled.
struct ProcKey {
  pid_t pid = 0;
  std::uint64_t start_ticks = 0;
  auto operator<=>(const ProcKey&) const = default;
};
inline ProcKey key_of(const Process& p) { return {p.pid, p.start_ticks}; }

enum class Screen { processes, help, signals, confirm, details, env, files, pager, doctor, network };

// One line of the process list: a process, or (grouped by container) a container's header,
// and under it the ports it listens on.
struct ListRow {
  const Process* process = nullptr;  // nullptr: the header of `container`
  int container = -1;
  int depth = 0;  // tree
  bool listening = false;  // with no process: the line of `container`'s listening ports
};

struct ContainerTotals {
  std::size_t processes = 0;
  double cpu_pct = 0;
  std::uint64_t rss_kb = 0;
};

// The columns of the process view, in order; sort cycles through them.
enum class Col { pid, container, user, stat, cpu, rss, mem, elapsed, command, count };
const char* col_header(Col c);

// A target of the kill menu as the app's plan (core's KillPlan, whose handles the app holds)
// found it: what the menu must know to word its guard, as values.
struct PlannedTarget {
  pid_t pid = 0;
  std::string container;  // its container's name, may be empty
  GuardReason guard = GuardReason::none;
  std::optional<SignalMasks> init_masks;  // PID 1: which signals it handles
};

struct SignalMenu {
  std::vector<int> signals;  // listed_signals()
  ListState list;
  std::string typed;         // digits or a name, typed to jump
  std::vector<ProcKey> targets;
  // Made by the app when the menu opened (its handles fixed there); nullopt: still planning.
  std::optional<std::vector<PlannedTarget>> plan;
  std::optional<Error> plan_error;
  std::vector<std::string> consequences;  // confirm screen: what a guarded signal would do
  int chosen() const { return signals[list.cursor]; }
};

struct TextPage {
  std::string title;
  std::vector<std::string> lines;  // already escaped
  ListState list{.page = true};
};

struct FileRow {
  std::string name;  // escaped
  char type = '?';   // ls -l's first letter
  std::string mode, owner, group, size, link;  // link escaped
  std::string error;  // non-empty: the entry could not be described, and why
};

struct FilesState {
  ProcKey process;
  std::string container;
  std::string path = "/";  // raw path inside the root (may hold untrusted bytes)
  std::vector<FileRow> rows;
  std::vector<std::string> raw_names;  // rows' names as bytes, for descending
  ListState list;
  std::optional<Error> error;  // the directory itself could not be listed
  bool prompt = false;         // ':' typing a path
  std::string typed;
};

struct PagerState {
  std::string title;  // escaped
  std::string path;   // raw
  std::vector<std::string> lines;  // escaped, one a line of the file
  ListState list{.page = true};
  std::string search;  // the last search
  bool prompt = false;
  std::string typed;
  bool follow = false;  // F: keep reading what is appended, stay at the end
  std::uint64_t offset = 0;  // bytes read so far
  bool partial_line = false;  // the last line had no newline yet
  std::string note;  // truncated, binary, ...
};

struct Model {
  // Set by the app (or a test) before each render: the listing as of the last refresh.
  const Snapshot* snapshot = nullptr;
  ResolvedNames names;  // users and groups of the snapshot's processes
  std::uint64_t mem_total_kb = 0;
  bool read_only = false;
  bool mono = false;  // NO_COLOR or a monochrome terminal (the view marks rather than colours)

  // Header, from doctor's facts (gathered once at start, again on `d`).
  std::string where;       // "sidecar in a pod", "node (--pod web)"
  std::string verdict;     // doctor's one line when something limits us, else ""
  std::string caps;        // "CAP_SYS_PTRACE CAP_KILL" or "none"

  // The process list.
  Col sort = Col::cpu;
  bool descending = true;
  bool tree = false;
  bool group = false;
  bool paused = false;
  bool follow = false;
  std::string filter;        // incremental, on the command line
  bool filter_prompt = false;
  std::set<ProcKey> tagged;
  std::optional<ProcKey> selected;
  std::vector<ListRow> rows;  // rebuilt by rebuild_rows
  std::vector<ContainerTotals> totals;  // per container index, with group
  // With group: each container's listening ports by its name, read only while grouped.
  std::map<std::string, std::string> listening;
  ListState list;

  Screen screen = Screen::processes;
  std::vector<Screen> back;  // where q returns to
  SignalMenu menu;
  TextPage page;  // details, env, doctor, help
  bool env_revealed = false;
  ProcKey page_process;
  FilesState files;
  PagerState pager;
  NetworkState net;  // the network screen (n)
  std::string status;  // the last action's result or error, one line
  bool status_error = false;
};

// Which sockets the screen shown needs, read on each refresh: none (the usual case: reading
// them costs a netlink dump and a look at every process's descriptors), the network screen's,
// or the container view's listeners.
enum class SocketNeed { none, network, listeners };
SocketNeed sockets_needed(const Model& m);

// Rebuilds rows from the snapshot, filter, sort, tree and grouping; keeps the selection on the
// same process when it is still listed (else on the same line), and the cursor in view.
void rebuild_rows(Model& m);

// The selected process, if any row is selected.
const Process* selected_process(const Model& m);

// Tagged processes still listed, else the selected one.
std::vector<ProcKey> action_targets(const Model& m);

// The process list moved (headers are skipped); the selection follows the cursor.
void move_cursor(Model& m, ListMove move);
void cursor_to(Model& m, std::size_t index, int direction);

// The filter's text as a case-insensitive POSIX ERE matching it literally.
std::string literal_icase_regex(std::string_view text);

// Some target is guarded (PID 1, the sandbox, nsdebug, its parents, its container's main
// process): Enter asks for y first.
bool any_guarded(const std::vector<PlannedTarget>& plan);

// The signal menu, jumping to what was typed ("1" is HUP, "te" TERM): true when found.
bool jump_to_typed(SignalMenu& menu);

}  // namespace nsdebug::tui
