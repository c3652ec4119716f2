#include "core/files/open_regular.h"

#include <fcntl.h>

namespace nsdebug {
namespace {

std::unexpected<OpenError> refused(OpenRefusal r, int code, std::string_view what,
                                   std::string why, mode_t mode = 0) {
  return std::unexpected(OpenError{r, Error{code, std::string(what), std::move(why), {}}, mode});
}

std::unexpected<OpenError> failed(const FileLookup& fs, Error e) {
  return std::unexpected(OpenError{OpenRefusal::kFailed, fs.explained(std::move(e)), 0});
}

}  // namespace

std::expected<OpenedFile, OpenError> open_regular(const FileLookup& fs, std::string_view path,
                                                  std::string_view what, bool allow_special) {
  auto node = fs.look(path);
  if (!node) return failed(fs, node.error());
  mode_t mode = node->st_mode;
  if (S_ISDIR(mode)) return refused(OpenRefusal::kDirectory, EISDIR, what, "a directory");
  if (!S_ISREG(mode) && !allow_special)
    return refused(OpenRefusal::kNotRegular, EINVAL, what, "not a regular file", mode);
  // O_NONBLOCK for a regular file: a FIFO swapped in since must not hang the open.
  auto fd = fs.open_for_reading(path, S_ISREG(mode) ? O_NONBLOCK : 0);
  if (!fd) return failed(fs, fd.error());
  auto now = fs.describe(fd->get());
  if (!now) return failed(fs, Error{now.error().code, std::string(what), {}, {}});
  if (now->st_dev != node->st_dev || now->st_ino != node->st_ino)
    return refused(OpenRefusal::kReplaced, EAGAIN, what, "the file was replaced while opening it");
  return OpenedFile{std::move(*fd), *now};
}

}  // namespace nsdebug
