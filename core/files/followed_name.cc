#include "core/files/followed_name.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

namespace nsdebug {
namespace {

// Enough that a rewritten log rarely repeats them byte for byte at the same offset.
constexpr std::size_t kKeptBytes = 4096;

std::unexpected<Error> not_regular(const std::string& what, mode_t mode) {
  bool dir = S_ISDIR(mode);
  return fail(EINVAL, what, dir ? "a directory" : "not a regular file",
              dir ? "" : "only regular files are followed: a FIFO would take data from its reader");
}

Result<std::string> pread_all(int fd, std::uint64_t offset, std::size_t length,
                              const std::string& what) {
  std::string out(length, '\0');
  std::size_t got = 0;
  while (got < length) {
    ssize_t n = ::pread(fd, out.data() + got, length - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_errno("read " + what);
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  return out;
}

}  // namespace

std::string follow_notice_text(const FollowEvent& e) {
  switch (e.notice) {
    case FollowNotice::kTruncated: return "file truncated";
    case FollowNotice::kReplaced: return "has been replaced; following new file";
    case FollowNotice::kInaccessible: return "has become inaccessible: " + e.why;
    case FollowNotice::kAppeared: return "has appeared; following new file";
    case FollowNotice::kUntailable:
      return "has been replaced with an untailable file (" + e.why +
             "); waiting for a regular file";
  }
  return {};
}

FollowedName::FollowedName(UniqueFd fd, std::string path, const struct stat& st)
    : fd_(std::move(fd)), path_(std::move(path)), dev_(st.st_dev), ino_(st.st_ino) {}

Result<FollowedName> FollowedName::open(const RootedFs& root, std::string_view path) {
  std::string what = fmt::format("{}:{}", root.pid(), path);
  auto file = open_regular(root, path, what);
  if (file) return FollowedName(std::move(file->fd), std::string(path), file->st);
  switch (file.error().refusal) {
    case OpenRefusal::kDirectory: return not_regular(what, S_IFDIR);
    case OpenRefusal::kNotRegular: return not_regular(what, file.error().mode);
    case OpenRefusal::kFailed:
    case OpenRefusal::kReplaced: break;
  }
  return std::unexpected(file.error().error);
}

Result<std::string> FollowedName::read(std::uint64_t offset, std::size_t length) {
  auto bytes = pread_all(fd_.get(), offset, length, path_);
  if (!bytes || bytes->empty()) return bytes;
  if (last_end_ != offset) last_.clear();  // not contiguous: start the kept bytes again
  last_ += *bytes;
  if (last_.size() > kKeptBytes) last_.erase(0, last_.size() - kKeptBytes);
  last_end_ = offset + bytes->size();
  return bytes;
}

Result<std::uint64_t> FollowedName::size() const {
  struct stat st {};
  if (::fstat(fd_.get(), &st) < 0) return fail_errno("stat " + path_);
  return static_cast<std::uint64_t>(st.st_size);
}

std::optional<FollowEvent> FollowedName::check_truncated(std::uint64_t& offset) {
  auto sz = size();
  bool cut = sz && *sz < offset;
  if (sz && !cut && !last_.empty() && last_end_ == offset) {
    auto again = pread_all(fd_.get(), offset - last_.size(), last_.size(), path_);
    cut = again && *again != last_;
  }
  if (!cut) return std::nullopt;
  offset = 0;
  last_.clear();
  last_end_ = 0;
  return FollowEvent{FollowNotice::kTruncated, {}};
}

std::optional<FollowEvent> FollowedName::name_lost(FollowNotice notice, const Error& e) {
  State next = notice == FollowNotice::kInaccessible ? State::kMissing : State::kUntailable;
  // Said once, not every interval; again when the reason changes (a FIFO, then a procfs link).
  if (state_ == next && lost_why_ == e.reason()) return std::nullopt;
  state_ = next;
  lost_why_ = e.reason();
  return FollowEvent{notice, lost_why_};
}

std::optional<FollowEvent> FollowedName::check_name(const RootedFs& root, std::uint64_t& offset) {
  auto now = root.stat(path_, true);
  if (!now) return name_lost(FollowNotice::kInaccessible, now.error());
  if (now->st_dev == dev_ && now->st_ino == ino_) {
    if (state_ == State::kOpen) return std::nullopt;
    state_ = State::kOpen;  // the same file back (renamed away and back): read on where we were
    return FollowEvent{FollowNotice::kAppeared, {}};
  }
  auto next = open(root, path_);
  if (!next && next.error().code == ENOENT)  // gone again between the stat and the open
    return name_lost(FollowNotice::kInaccessible, next.error());
  if (!next) return name_lost(FollowNotice::kUntailable, next.error());
  FollowNotice said = state_ == State::kOpen ? FollowNotice::kReplaced : FollowNotice::kAppeared;
  *this = std::move(*next);
  offset = 0;
  return FollowEvent{said, {}};
}

Result<void> FollowedName::look(const RootedFs& root, std::uint64_t& offset, const Tell& tell,
                                const ReadOld& read_old, bool look_at_name) {
  // Before reading on: a copytruncate rewritten past our offset reads as appended bytes.
  if (auto e = check_truncated(offset)) tell(*e);
  if (read_old)
    if (auto ok = read_old(offset); !ok) return ok;
  if (!look_at_name) return {};
  if (auto e = check_name(root, offset)) tell(*e);
  return {};
}

}  // namespace nsdebug
