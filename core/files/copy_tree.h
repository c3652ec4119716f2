#pragma once
// Copy a file or a tree out of another container's root into ours: modes (without setuid and
// setgid, since ownership is not kept) and times kept, symlinks copied as symlinks, never
// followed, hard links within the tree kept as links, holes kept as holes. Nothing is written
// into the target.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"
#include "core/files/rooted_fs.h"

namespace nsdebug {

struct CopyReport {
  std::size_t files = 0, dirs = 0, links = 0, hard_links = 0;
  std::uint64_t bytes = 0;
  std::vector<Error> problems;  // one per entry not copied; the rest is copied regardless
};

// Copies START to DEST (the name the copy gets). An existing DEST is refused (EEXIST) unless
// `force`, which overwrites regular files in place and merges into directories. Nothing else
// that exists is replaced: a device, FIFO, socket or symlink at DEST (or where a tree entry
// goes) is refused, never written through or unlinked. FIFOs, sockets and devices in the
// source are not copied (a problem each). Fails only when nothing could be started (DEST
// itself refused included).
Result<CopyReport> copy_out(const RootedFs& root, std::string_view start, const std::string& dest,
                            bool force);

}  // namespace nsdebug
