#pragma once
// Moving bytes from an fd to an fd as cheaply as the kernel allows.
#include <cstdint>
#include <string_view>

#include "core/base/error.h"

namespace nsdebug {

// Copies in_fd (from its offset) to out_fd until end of file: sendfile when the pair allows it,
// else a read/write loop. The Error's `what` is "read <in_name>" or "write <out_name>", so
// a caller can tell a closed pipe (EPIPE, on write) from a failing source.
Result<std::uint64_t> copy_fd(int in_fd, int out_fd, std::string_view in_name,
                              std::string_view out_name);

// Copies regular file in_fd (whole, from offset 0) to regular file out_fd, data extents only
// (SEEK_DATA/SEEK_HOLE): a hole stays a hole, so a 1 GiB sparse file stays small on disk, as with
// cp --sparse=auto. Filesystems without hole reporting give one extent: a plain copy. out_fd ends
// at in_fd's length as it is when done. Returns the data bytes moved; errors as copy_fd's.
Result<std::uint64_t> copy_sparse(int in_fd, int out_fd, std::string_view in_name,
                                  std::string_view out_name);

}  // namespace nsdebug
