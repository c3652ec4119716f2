#pragma once
// A depth-first walk of a tree inside a RootedFs, for cp and tar. Symlinks are reported, never
// followed (only the starting path's own symlink is, as the user named it); every lookup goes
// through the root, so nothing outside it is reached.
#include <sys/stat.h>

#include <functional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/rooted_fs.h"

namespace nsdebug {

// An entry the walk could describe: `st` is always a real lstat. One that could not be
// described (lstat or readlink failed, or its path is longer than PATH_MAX) never becomes a
// WalkEntry; it goes to WalkHandler::problem instead.
struct WalkEntry {
  std::string path;         // inside the root: "/etc/nginx/conf.d/default.conf"
  std::string rel;          // from the start: "" for the start itself, "conf.d/default.conf"
  struct stat st {};        // lstat (stat for the start)
  std::string link_target;  // as written, for symlinks
  int depth = 0;            // 0 for the start
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

}  // namespace nsdebug
