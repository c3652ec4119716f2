#pragma once
// A tar stream (POSIX pax, readable by GNU tar) of a file or tree inside another container's
// root, written with libarchive: `nsdebug tar nginx:/etc/nginx | tar x` where the target has no
// tar of its own (distroless), which kubectl cp needs.
#include <cstddef>
#include <string_view>
#include <vector>

#include "core/base/error.h"
#include "core/files/rooted_fs.h"

namespace nsdebug {

struct TarReport {
  std::size_t entries = 0;
  // Entries left out, or stored as they were when first read (changed while read); the rest
  // of the stream is complete.
  std::vector<Error> problems;
};

// Members are named from START's last component ("/etc/nginx" -> "nginx/nginx.conf"; "/" ->
// "./etc/..."). Symlinks stored as symlinks, later links to a file as hard links (as GNU tar);
// FIFOs and devices as headers only. What tar cannot hold (sockets, paths beyond PATH_MAX,
// entries that cannot be read) is left out with a problem each, and the rest written.
// Fails when the stream itself cannot be written (the Error's what starts "write"), or START
// cannot be reached; then the stream ends without its end-of-archive blocks, so that a reader
// sees it is cut short.
Result<TarReport> write_tar(const RootedFs& root, std::string_view start, int out_fd,
                            std::string_view out_name);

}  // namespace nsdebug
