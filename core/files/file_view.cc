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
  // The old file's last bytes are lost to the pager on a switch; tail -f drains them first, but
  // a pager shows one file, and the new one is what the name now holds.
  int before = file_.fd();  // the next file is opened while this one is held: another number
  auto tell = [&](const FollowEvent& e) {
    step.truncated = step.truncated || e.notice == FollowNotice::kTruncated;
    step.events.push_back(e);
  };
  if (auto ok = file_.look(root, offset, tell, nullptr); !ok) return std::unexpected(ok.error());
  step.rotated = file_.fd() != before;
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
