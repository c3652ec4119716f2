// The pager's file access: ranged reads, a poll-once follow across growth, truncation and
// rotation, FIFOs refused without blocking; and roots opened from a handle, never by a PID
// that has moved on.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/files/file_view.h"
#include "core/proc/process_handle.h"
#include "core/files/rooted_fs.h"

using namespace nsdebug;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path = fs::temp_directory_path() / fmt_name();
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  static std::string fmt_name() { return "nsdebug-fv-" + std::to_string(::getpid()); }
  void write(const char* name, const std::string& text, bool append = false) const {
    std::ofstream(path / name, append ? std::ios::app : std::ios::trunc) << text;
  }
};

RootedFs our_root() {
  auto self = ProcessHandle::open_current(::getpid());
  REQUIRE(self);
  auto root = RootedFs::open(*self);
  REQUIRE(root);
  return std::move(*root);
}

}  // namespace

TEST_CASE("file view: ranged reads, then appends, truncation and rotation, one poll each") {
  TempDir dir;
  dir.write("log", "0123456789");
  RootedFs root = our_root();
  std::string path = (dir.path / "log").string();
  auto view = FileView::open(root, path);
  REQUIRE(view);
  CHECK(view->read(2, 3).value() == "234");
  CHECK(view->read(8, 100).value() == "89");
  CHECK(view->poll_once(root, 10, 1 << 20).value().appended.empty());

  dir.write("log", "abc", true);
  auto grown = view->poll_once(root, 10, 1 << 20);
  REQUIRE(grown);
  CHECK(grown->appended == "abc");
  CHECK_FALSE(grown->truncated);

  ::truncate(path.c_str(), 0);
  dir.write("log", "new", true);
  auto cut = view->poll_once(root, 13, 1 << 20);
  REQUIRE(cut);
  CHECK(cut->truncated);
  CHECK(cut->appended == "new");

  dir.write("log.next", "rotated\n");
  fs::rename(dir.path / "log.next", dir.path / "log");
  auto moved = view->poll_once(root, 3, 1 << 20);
  REQUIRE(moved);
  CHECK(moved->rotated);
  CHECK(moved->appended == "rotated\n");
}

TEST_CASE("file view: a FIFO or a directory is refused, and nothing blocks") {
  TempDir dir;
  std::string fifo = (dir.path / "fifo").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  RootedFs root = our_root();
  auto view = FileView::open(root, fifo);  // would block for ever if it opened it to read
  REQUIRE_FALSE(view);
  CHECK(view.error().code == EINVAL);
  CHECK(view.error().why == "not a regular file");
  auto d = FileView::open(root, dir.path.string());
  REQUIRE_FALSE(d);
  CHECK(d.error().why == "a directory");
}

TEST_CASE("a root is never opened for a process that exited after its handle was taken") {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::pause();
    ::_exit(0);
  }
  auto h = ProcessHandle::open_current(pid);
  REQUIRE(h);
  REQUIRE(RootedFs::open(*h));
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);  // reaped: the PID is free for anyone
  auto late = RootedFs::open(*h);
  REQUIRE_FALSE(late);
  CHECK(late.error().code == ESRCH);
  CHECK_FALSE(ProcessHandle::open_current(pid));
}

TEST_CASE("file view and every RootedFs read refuse procfs and sysfs files, not cgroup files") {
  ::setenv("NSDEBUG_FV_SECRET", "fv-s3cr3t", 1);
  RootedFs root = our_root();
  for (const char* path : {"/proc/self/environ", "/proc/self/status", "/sys/kernel/uevent_seqnum"}) {
    INFO(path);
    auto view = FileView::open(root, path);
    REQUIRE_FALSE(view);
    CHECK(view.error().code == EXDEV);
    CHECK(view.error().why.find("which shows the process reading it") != std::string::npos);
    CHECK(view.error().hint.find("nsdebug env PID") != std::string::npos);
    CHECK_FALSE(root.read_small(path));
  }
  auto magic = FileView::open(root, "/proc/self/root/etc/hostname");
  REQUIRE_FALSE(magic);
  CHECK(magic.error().why.find("a magic link of /proc") != std::string::npos);
  // A container's cgroup figures are read as its files (core/containers/cgroup_stats.cc): cgroupfs passes.
  bool any_cgroup = false;
  for (const char* path : {"/sys/fs/cgroup/cgroup.procs", "/sys/fs/cgroup/unified/cgroup.procs",
                           "/sys/fs/cgroup/memory/memory.usage_in_bytes"}) {
    if (::access(path, R_OK) != 0) continue;
    INFO(path);
    any_cgroup = true;
    CHECK(root.read_small(path));
    CHECK(FileView::open(root, path));
  }
  CHECK(any_cgroup);
}

TEST_CASE("file view: the pager's follow says what tail -F says, a rewrite past the offset too") {
  TempDir dir;
  std::string path = (dir.path / "log").string();
  dir.write("log", "first line\n");
  RootedFs root = our_root();
  auto view = FileView::open(root, path);
  REQUIRE(view);
  REQUIRE(view->read(0, 1 << 20).value() == "first line\n");
  auto notices = [](const FollowStep& s) {
    std::string out;
    for (const auto& e : s.events) out += follow_notice_text(e) + "|";
    return out;
  };
  // copytruncate, rewritten longer than what was read before the pager looks again.
  dir.write("log", "a rewritten line, longer than the first\n");
  auto cut = view->poll_once(root, 11, 1 << 20);
  REQUIRE(cut);
  CHECK(cut->truncated);
  CHECK(cut->appended == "a rewritten line, longer than the first\n");
  CHECK(notices(*cut) == "file truncated|");

  fs::remove(dir.path / "log");
  auto gone = view->poll_once(root, 40, 1 << 20);
  REQUIRE(gone);
  CHECK(notices(*gone) == "has become inaccessible: No such file or directory|");
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  auto fifo = view->poll_once(root, 40, 1 << 20);
  REQUIRE(fifo);
  CHECK(notices(*fifo) ==
        "has been replaced with an untailable file (not a regular file); waiting for a regular "
        "file|");
  fs::remove(dir.path / "log");
  fs::create_symlink("/proc/self/environ", dir.path / "log");
  auto proc = view->poll_once(root, 40, 1 << 20);
  REQUIRE(proc);
  CHECK(notices(*proc).find("untailable file (it lies on procfs") != std::string::npos);
  CHECK(proc->appended.empty());
  fs::remove(dir.path / "log");
  dir.write("log", "back\n");
  auto back = view->poll_once(root, 40, 1 << 20);
  REQUIRE(back);
  CHECK(back->rotated);
  CHECK(back->appended == "back\n");
  CHECK(notices(*back) == "has appeared; following new file|");
}
