#pragma once
// The inspect page, built once for both faces (nsdebug inspect and the TUI's details page): a
// list of (label, value) facts in the page's order, ids named as the process's container
// names them, and the page's text layout. Values are raw bytes from the target: each face
// escapes them for its medium while laying the page out (inspect_page_lines).
#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/containers/identity.h"
#include "core/diagnosis/inspect.h"
#include "core/pod/snapshot.h"

namespace nsdebug {

// What the listing knows beyond the process's own files: its container and names for ids.
struct InspectContext {
  std::string container;  // empty: unknown
  pid_t host_pid = 0;     // 0: none (not in node mode)
  std::function<std::string(uid_t)> user;
  std::function<std::string(gid_t)> group;
};

// From a listing (nullptr: none): the process's container, its host PID, and ids named
// through `names` (nullptr: numbers), which must outlive the context.
InspectContext inspect_context(const Snapshot* snapshot, pid_t pid, const IdNameSource* names);

struct InspectRow {
  std::string label;               // "Command", "Users"; empty: the page's heading line
  std::vector<std::string> value;  // its lines (several only for cgroup v1's hierarchies)
  bool list = false;               // a list (open files, limits, environment): items follow
  std::vector<std::string> items;  // a list's entries, a line each
};

// The page's facts: heading, command, exe, cwd, state, users, groups, capabilities (effective,
// permitted, bounding), namespaces, cgroup, open files, limits, environment. A part that could
// not be read is a value saying why.
std::vector<InspectRow> inspect_rows(const Inspection& in, const InspectContext& c);

// The page as text lines: "Label:" then the value from column 12 (a value's further lines
// under it), a list's label then its items indented by two. `escape` makes a raw value safe
// for the face's medium.
using Escape = std::string (*)(std::string_view raw);
std::vector<std::string> inspect_page_lines(const std::vector<InspectRow>& rows, Escape escape);

}  // namespace nsdebug
