#pragma once
// A tar stream (POSIX pax, readable by GNU tar) of a file or tree inside another container's
// root, written with libarchive: `nsdebug tar nginx:/etc/nginx | tar x` where the target has no
// tar of its own (distroless), which kubectl cp needs.
#include <cstddef>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/rooted_fs.h"

namespace nsdebug {

struct TarReport {
  std::size_t entries = 0;
  std::vector<Error> problems;  // entries left out; the rest of the stream is complete
};

// Members are named from START's last component ("/etc/nginx" -> "nginx/nginx.conf"; "/" ->
// "./etc/..."). Symlinks stored as symlinks; FIFOs, sockets and devices as headers only.
// Fails when the stream itself cannot be written (the Error's what starts "write"), or START
// cannot be reached.
Result<TarReport> write_tar(const RootedFs& root, std::string_view start, int out_fd,
                            std::string_view out_name);

}  // namespace nsdebug
