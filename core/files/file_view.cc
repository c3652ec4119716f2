#include "core/files/file_view.h"

#include <algorithm>

namespace nsdebug {

Result<FileView> FileView::open(const RootedFs& root, std::string_view path) {
  auto file = FollowedName::open(root, path);
  if (!file) return std::unexpected(file.error());
  return FileView(std::move(*file));
}

Result<std::string> FileView::read(std::uint64_t offset, std::size_t length) {
  return file_.read(offset, length);
}

Result<FollowStep> FileView::poll_once(const RootedFs& root, std::uint64_t offset,
                                       std::size_t limit) {
  FollowStep step;
  if (auto e = file_.check_truncated(offset)) {
    step.truncated = true;
    step.events.push_back(std::move(*e));
  }
  // The old file's last bytes are lost to the pager on a switch; tail -f drains them first, but
  // a pager shows one file, and the new one is what the name now holds.
  int before = file_.fd();  // the next file is opened while this one is held: another number
  if (auto e = file_.check_name(root, offset)) {
    step.rotated = file_.fd() != before;
    step.events.push_back(std::move(*e));
  }
  auto sz = file_.size();
  if (!sz) return std::unexpected(sz.error());
  if (*sz > offset) {
    auto n = static_cast<std::size_t>(std::min<std::uint64_t>(*sz - offset, limit));
    auto bytes = file_.read(offset, n);
    if (!bytes) return std::unexpected(bytes.error());
    step.appended = std::move(*bytes);
  }
  return step;
}

}  // namespace nsdebug
