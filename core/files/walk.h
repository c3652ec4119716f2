#pragma once
// A depth-first walk of a tree inside a RootedFs, for cp and tar, by descriptors: only the start
// is resolved from the root (following a final symlink, as the user named it); every entry below
// is opened relative to its parent directory's descriptor without following symlinks, described
// by fstat of that descriptor, and a directory is entered through that same descriptor. No path
// is resolved again during the walk, so a target that swaps a directory for a symlink mid-walk
// (renameat2 RENAME_EXCHANGE) gets its entry stored as what it was when opened: a directory
// (its contents as they are) or a symlink (as a symlink), never the place the symlink names.
#include <sys/stat.h>

#include <functional>
#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/files/rooted_fs.h"
#include "core/base/unique_fd.h"

namespace nsdebug {

// An entry the walk could describe: `st` is always the fstat of the entry's own descriptor (the
// start's followed). One that could not be described (open, fstat or readlink failed, or its
// path is longer than PATH_MAX) never becomes a WalkEntry; it goes to WalkHandler::problem.
struct WalkEntry {
  std::string path;         // inside the root: "/etc/nginx/conf.d/default.conf"
  std::string rel;          // from the start: "" for the start itself, "conf.d/default.conf"
  struct stat st {};        // fstat of the entry as opened (O_PATH, never followed below the start)
  std::string link_target;  // as written, for symlinks
  int depth = 0;            // 0 for the start
  // The parent directory's descriptor and the entry's name in it (-1 and "" for the start):
  // valid only while the handler runs. open_entry uses them.
  int parent_fd = -1;
  std::string name;
};

struct WalkHandler {
  // Called before a directory's entries. An error skips that entry (and a directory's
  // contents) and goes to `problem`.
  std::function<Result<void>(const WalkEntry&)> visit;
  // Called after a directory's entries (to set its mode and times once its contents exist).
  std::function<void(const WalkEntry&)> leave_dir;
  // One entry that could not be walked or visited; the walk goes on.
  std::function<void(Error)> problem;
};

// Fails only when the start itself cannot be reached.
Result<void> walk_tree(const RootedFs& root, std::string_view start, const WalkHandler& h);

// Opens a regular file the walk describes, for reading (O_NONBLOCK: a FIFO swapped in is not
// waited on): relative to its parent's descriptor, never following a symlink, and only if it is
// still the file the walk described (same device and inode, still regular: else EAGAIN,
// "replaced while reading it"). The start is opened from the root, as the user named it.
Result<UniqueFd> open_entry(const RootedFs& root, const WalkEntry& e);

}  // namespace nsdebug
