#include "core/files/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <locale.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "core/files/walk.h"

namespace nsdebug {
namespace {

using ArchivePtr = std::unique_ptr<archive, decltype(&archive_write_free)>;
using EntryPtr = std::unique_ptr<archive_entry, decltype(&archive_entry_free)>;
using LinksPtr =
    std::unique_ptr<archive_entry_linkresolver, decltype(&archive_entry_linkresolver_free)>;

std::string error_text(archive* a) {
  const char* s = archive_error_string(a);
  return s ? s : "libarchive failed";
}

std::string member_prefix(std::string_view start) {
  auto name = std::filesystem::path(start).lexically_normal().filename().string();
  return name.empty() || name == "." || name == ".." ? "." : name;
}

// pax records hold names in UTF-8. In the C locale libarchive can convert no non-ASCII name and
// marks such a member "hdrcharset=BINARY", which GNU tar does not know ("Ignoring unknown
// extended header keyword"). Names read as UTF-8 (C.UTF-8, this thread only) are stored byte
// for byte; only a name that is not valid UTF-8 still gets the mark.
class Utf8Names {
 public:
  Utf8Names() : loc_(::newlocale(LC_CTYPE_MASK, "C.UTF-8", nullptr)) {
    if (loc_) old_ = ::uselocale(loc_);
  }
  ~Utf8Names() {
    if (!loc_) return;
    ::uselocale(old_);
    ::freelocale(loc_);
  }
  Utf8Names(const Utf8Names&) = delete;
  Utf8Names& operator=(const Utf8Names&) = delete;

 private:
  locale_t loc_;
  locale_t old_ = nullptr;
};

class TarWriter {
 public:
  TarWriter(const RootedFs& root, archive* a, std::string prefix, std::string out_name)
      : root_(root), a_(a), prefix_(std::move(prefix)), out_name_(std::move(out_name)) {
    // Later links to a file become hard link members, as GNU tar stores them.
    archive_entry_linkresolver_set_strategy(links_.get(), ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE);
  }

  Result<void> visit(const WalkEntry& e);
  Error* fatal() { return fatal_ ? &*fatal_ : nullptr; }
  TarReport& report() { return report_; }

 private:
  // Whether the member takes data (a hard link to an earlier member does not).
  Result<bool> header(const WalkEntry& e, const struct stat& st);
  Result<void> data(int fd, std::uint64_t size, const std::string& what);
  Result<void> regular(const WalkEntry& e);
  Result<void> write_failed() {
    fatal_ = Error{archive_errno(a_), "write " + out_name_, error_text(a_), {}};
    return std::unexpected(*fatal_);
  }

  const RootedFs& root_;
  archive* a_;
  std::string prefix_, out_name_;
  LinksPtr links_{archive_entry_linkresolver_new(), &archive_entry_linkresolver_free};
  std::optional<Error> fatal_;  // the stream is broken: the walk only winds down
  TarReport report_;
};

Result<bool> TarWriter::header(const WalkEntry& e, const struct stat& st) {
  EntryPtr entry(archive_entry_new(), &archive_entry_free);
  std::string name = e.rel.empty() ? prefix_ : prefix_ + "/" + e.rel;
  archive_entry_copy_pathname(entry.get(), name.c_str());
  archive_entry_copy_stat(entry.get(), &st);
  if (S_ISLNK(st.st_mode)) archive_entry_copy_symlink(entry.get(), e.link_target.c_str());
  archive_entry* raw = entry.release();
  archive_entry* spare = nullptr;  // only for cpio-like strategies; tar's never sets it
  archive_entry_linkify(links_.get(), &raw, &spare);
  entry.reset(raw);
  if (spare) archive_entry_free(spare);
  int r = archive_write_header(a_, entry.get());
  if (r == ARCHIVE_FATAL) return std::unexpected(write_failed().error());
  // FAILED: this member cannot be stored (the format cannot hold it); the stream is still good.
  if (r == ARCHIVE_FAILED)
    return fail(archive_errno(a_), fmt::format("{}:{}", root_.pid(), e.path),
                error_text(a_) + ": left out of the tar");
  ++report_.entries;
  return archive_entry_hardlink(entry.get()) == nullptr;
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

Result<void> TarWriter::regular(const WalkEntry& e) {
  // The very file the walk described, opened relative to its parent, never through a symlink.
  auto fd = open_entry(root_, e);
  if (!fd) return std::unexpected(fd.error());
  struct stat st {};
  if (::fstat(fd->get(), &st) < 0) return fail_errno(e.path);
  auto wants_data = header(e, st);
  if (!wants_data) return std::unexpected(wants_data.error());
  if (!*wants_data) return {};
  if (auto ok = data(fd->get(), static_cast<std::uint64_t>(st.st_size), e.path); !ok) return ok;
  // As GNU tar: the member holds the file as it was when its header was written.
  struct stat after {};
  if (::fstat(fd->get(), &after) == 0 &&
      (after.st_size != st.st_size || after.st_mtim.tv_sec != st.st_mtim.tv_sec ||
       after.st_mtim.tv_nsec != st.st_mtim.tv_nsec))
    return fail(0, e.path, fmt::format("file changed as we read it: stored its first {} bytes",
                                       st.st_size));
  return {};
}

Result<void> TarWriter::visit(const WalkEntry& e) {
  if (fatal_) return std::unexpected(*fatal_);
  // GNU tar says "socket ignored" too: no tar format has a socket member.
  if (S_ISSOCK(e.st.st_mode))
    return fail(EINVAL, fmt::format("{}:{}", root_.pid(), e.path),
                "a socket: tar cannot hold it, left out");
  if (S_ISREG(e.st.st_mode)) return regular(e);
  auto h = header(e, e.st);
  if (!h) return std::unexpected(h.error());
  return {};
}

}  // namespace

Result<TarReport> write_tar(const RootedFs& root, std::string_view start, int out_fd,
                            std::string_view out_name) {
  Utf8Names utf8;
  ArchivePtr a(archive_write_new(), &archive_write_free);
  // As GNU tar --format=pax: every member's mtime, atime and ctime to the nanosecond in its pax
  // header. libarchive's "restricted" pax dropped sub-second times unless a member needed an
  // extended header anyway.
  archive_write_set_format_pax(a.get());
  if (archive_write_open_fd(a.get(), out_fd) != ARCHIVE_OK)
    return fail(archive_errno(a.get()), fmt::format("write {}", out_name),
                error_text(a.get()));
  TarWriter w(root, a.get(), member_prefix(start), std::string(out_name));
  WalkHandler h{[&](const WalkEntry& e) { return w.visit(e); }, [](const WalkEntry&) {},
                [&](Error e) {
                  if (!w.fatal()) w.report().problems.push_back(std::move(e));
                }};
  auto ok = walk_tree(root, start, h);
  if (!ok || w.fatal()) {
    // No end-of-archive blocks after a cut: a reader must see a truncated stream, never a
    // valid-looking partial one (archive_write_free would otherwise close it properly).
    archive_write_fail(a.get());
    return std::unexpected(w.fatal() ? *w.fatal() : ok.error());
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK)
    return fail(archive_errno(a.get()), fmt::format("write {}", out_name),
                error_text(a.get()));
  return std::move(w.report());
}

}  // namespace nsdebug
