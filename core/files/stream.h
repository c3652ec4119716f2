#pragma once
// Moving bytes from an fd to an fd as cheaply as the kernel allows.
#include <cstdint>
#include <string_view>

#include "core/base/error.h"

namespace nsdebug {

// Which end of a copy failed, as a kind, not by its text: a closed or full output is the
// reader's business (cat and tail end quietly on EPIPE, else say "write stdout"), a failing
// source is the file's. `what` is still "read <in_name>" or "write <out_name>".
enum class StreamEnd { kSource, kSink };
struct StreamError : Error {
  StreamEnd end = StreamEnd::kSource;
};
template <class T>
using StreamResult = std::expected<T, StreamError>;

// The errors a copy makes: errno `code` on reading `in_name`, or on writing `out_name`.
std::unexpected<StreamError> source_failed(int code, std::string_view in_name);
std::unexpected<StreamError> sink_failed(int code, std::string_view out_name);

// All of `bytes` to out_fd, through short writes and EINTR.
StreamResult<std::uint64_t> write_bytes(int out_fd, std::string_view bytes,
                                        std::string_view out_name);

// Copies in_fd (from its offset) to out_fd until end of file: sendfile when the pair allows it,
// else a read/write loop.
StreamResult<std::uint64_t> copy_fd(int in_fd, int out_fd, std::string_view in_name,
                              std::string_view out_name);

// Copies regular file in_fd (whole, from offset 0) to regular file out_fd, data extents only
// (SEEK_DATA/SEEK_HOLE): a hole stays a hole, so a 1 GiB sparse file stays small on disk, as with
// cp --sparse=auto. Filesystems without hole reporting give one extent: a plain copy. out_fd ends
// at in_fd's length as it is when done. Returns the data bytes moved; errors as copy_fd's.
StreamResult<std::uint64_t> copy_sparse(int in_fd, int out_fd, std::string_view in_name,
                                  std::string_view out_name);

}  // namespace nsdebug
