#include "core/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "core/walk.h"

namespace nsdebug {
namespace {

using ArchivePtr = std::unique_ptr<archive, decltype(&archive_write_free)>;
using EntryPtr = std::unique_ptr<archive_entry, decltype(&archive_entry_free)>;

std::string error_text(archive* a) {
  const char* s = archive_error_string(a);
  return s ? s : "libarchive failed";
}

std::string member_prefix(std::string_view start) {
  auto name = std::filesystem::path(start).lexically_normal().filename().string();
  return name.empty() || name == "." || name == ".." ? "." : name;
}

class TarWriter {
 public:
  TarWriter(const RootedFs& root, archive* a, std::string prefix, std::string out_name)
      : root_(root), a_(a), prefix_(std::move(prefix)), out_name_(std::move(out_name)) {}

  Result<void> visit(const WalkEntry& e);
  Error* fatal() { return fatal_ ? &*fatal_ : nullptr; }
  TarReport& report() { return report_; }

 private:
  Result<void> header(const WalkEntry& e, const struct stat& st);
  Result<void> data(int fd, std::uint64_t size, const std::string& what);
  Result<void> write_failed() {
    fatal_ = Error{archive_errno(a_), "write " + out_name_, error_text(a_), {}};
    return std::unexpected(*fatal_);
  }

  const RootedFs& root_;
  archive* a_;
  std::string prefix_, out_name_;
  std::optional<Error> fatal_;  // the stream is broken: the walk only winds down
  TarReport report_;
};

Result<void> TarWriter::header(const WalkEntry& e, const struct stat& st) {
  EntryPtr entry(archive_entry_new(), &archive_entry_free);
  std::string name = e.rel.empty() ? prefix_ : prefix_ + "/" + e.rel;
  archive_entry_copy_pathname(entry.get(), name.c_str());
  archive_entry_copy_stat(entry.get(), &st);
  if (S_ISLNK(st.st_mode)) archive_entry_copy_symlink(entry.get(), e.link_target.c_str());
  // Without a hard link table every file is stored whole: nlink would make GNU tar expect one.
  archive_entry_set_nlink(entry.get(), 1);
  if (archive_write_header(a_, entry.get()) < ARCHIVE_WARN) return write_failed();
  ++report_.entries;
  return {};
}

Result<void> TarWriter::data(int fd, std::uint64_t size, const std::string& what) {
  std::vector<char> buf(128 * 1024);
  std::uint64_t left = size;
  // At most the size the header announced: a file growing under us is cut there; one that
  // shrank is padded with zeros by libarchive when the entry is finished.
  while (left > 0) {
    ssize_t n = ::read(fd, buf.data(), std::min<std::uint64_t>(left, buf.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_errno("read " + what);
    if (n == 0) return fail(EIO, what, "shrank while being read: padded with zeros in the tar");
    if (archive_write_data(a_, buf.data(), static_cast<std::size_t>(n)) < 0) return write_failed();
    left -= static_cast<std::uint64_t>(n);
  }
  return {};
}

Result<void> TarWriter::visit(const WalkEntry& e) {
  if (fatal_) return std::unexpected(*fatal_);
  if (!S_ISREG(e.st.st_mode)) return header(e, e.st);
  // The start was named by the user and may be a symlink; below it nothing is followed.
  auto fd = root_.open_file(e.path, O_NONBLOCK | (e.depth > 0 ? O_NOFOLLOW : 0));
  if (!fd) return std::unexpected(fd.error());
  struct stat st {};
  if (::fstat(fd->get(), &st) < 0 || !S_ISREG(st.st_mode))
    return fail(EAGAIN, e.path, "replaced while archiving it");
  if (auto h = header(e, st); !h) return h;
  return data(fd->get(), static_cast<std::uint64_t>(st.st_size), e.path);
}

}  // namespace

Result<TarReport> write_tar(const RootedFs& root, std::string_view start, int out_fd,
                            std::string_view out_name) {
  ArchivePtr a(archive_write_new(), &archive_write_free);
  // pax restricted: plain ustar headers unless a name or size needs a pax extension.
  archive_write_set_format_pax_restricted(a.get());
  if (archive_write_open_fd(a.get(), out_fd) != ARCHIVE_OK)
    return fail(archive_errno(a.get()), fmt::format("write {}", out_name),
                error_text(a.get()));
  TarWriter w(root, a.get(), member_prefix(start), std::string(out_name));
  WalkHandler h{[&](const WalkEntry& e) { return w.visit(e); }, [](const WalkEntry&) {},
                [&](Error e) {
                  if (!w.fatal()) w.report().problems.push_back(std::move(e));
                }};
  if (auto ok = walk_tree(root, start, h); !ok && !w.fatal()) return std::unexpected(ok.error());
  if (w.fatal()) return std::unexpected(*w.fatal());
  if (archive_write_close(a.get()) != ARCHIVE_OK)
    return fail(archive_errno(a.get()), fmt::format("write {}", out_name),
                error_text(a.get()));
  return std::move(w.report());
}

}  // namespace nsdebug
