#pragma once
// What `nsdebug cat` decides at the file boundary, apart from the terminal: which files it
// refuses and in what words. Takes the FileLookup seam (core/files/open_regular.h), so the
// decisions are unit-tested without a target (tests/unit/test_cat_open.cc).
#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/base/unique_fd.h"
#include "core/files/open_regular.h"

namespace nsdebug::cli {

// PATH opened for cat: a regular file, or with `force` a FIFO, socket or device too (never a
// directory). Errors name `what` ("nginx:/etc/x"); a permission failure comes explained.
Result<UniqueFd> open_for_cat(const FileLookup& fs, std::string_view path,
                              const std::string& what, bool force);

}  // namespace nsdebug::cli
