#pragma once
// The one open of a target's file for reading its bytes (cat, tail, the pager, passwd and group
// for names, cgroup figures): looked at before it is opened, so a FIFO is never opened to block
// on or steal from and a device is never acted on; opened by descriptor in the target's root
// (RootedFs: procfs and the like refused); and checked to be the node looked at, so a swap
// between the look and the open is caught. FileLookup is the seam (as ninja's DiskInterface):
// RootedFs is the real one, a test gives a fake to check the decisions without root.
#include <sys/stat.h>

#include <expected>
#include <string_view>

#include "core/base/error.h"
#include "core/base/unique_fd.h"

namespace nsdebug {

class FileLookup {
 public:
  virtual ~FileLookup() = default;
  // stat of PATH, symlinks followed inside the root; opens nothing for reading.
  virtual Result<struct stat> look(std::string_view path) const = 0;
  // PATH opened for reading with O_RDONLY | `flags` (refusing what a reader must not read).
  virtual Result<UniqueFd> open_for_reading(std::string_view path, int flags) const = 0;
  // What an open descriptor is.
  virtual Result<struct stat> describe(int fd) const = 0;
  // A failure of the two above, with why and the fix when it is a permission failure.
  virtual Error explained(Error e) const { return e; }
};

struct OpenedFile {
  UniqueFd fd;
  struct stat st {};
};

// Why a file was not opened, as facts; each caller words them (cat, tail and the pager say
// different things of a FIFO).
enum class OpenRefusal {
  kFailed,      // the look or the open failed: `error` says how (what: PID:PATH), explained
  kDirectory,   // a directory
  kNotRegular,  // a FIFO, socket or device, and special files were not asked for
  kReplaced,    // another file by the time it was opened
};

struct OpenError {
  OpenRefusal refusal = OpenRefusal::kFailed;
  Error error;      // kFailed: the failure; else code EISDIR/EINVAL/EAGAIN and a plain why
  mode_t mode = 0;  // kNotRegular: what it is (file_type_description words it)
};

// PATH as a regular file; with `allow_special` a FIFO, socket or device too (opened blocking,
// as cat --force reads it). `what` names the file in the errors made here.
std::expected<OpenedFile, OpenError> open_regular(const FileLookup& fs, std::string_view path,
                                                  std::string_view what,
                                                  bool allow_special = false);

}  // namespace nsdebug
