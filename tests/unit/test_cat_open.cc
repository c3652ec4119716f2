// What cat refuses and what it says, through the file seam (core/files/open_regular.h) with a
// fake root: no target, no root privileges. tests/integration/test_paths.cc and
// test_like_gnu.cc check the same words against real files in a real mount namespace.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "core/files/open_regular.h"
#include "tools/cat.h"

using namespace nsdebug;

namespace {

// A root of named nodes. Opening gives a descriptor of /dev/null (something real to close);
// `swap` makes the next open find another node than the look did.
struct FakeRoot : FileLookup {
  std::map<std::string, struct stat> nodes;
  mutable std::vector<std::pair<std::string, int>> opened;  // path, flags
  mutable std::map<int, struct stat> fds;
  bool swap = false;
  int open_errno = 0;

  void add(const std::string& path, mode_t mode, ino_t ino) {
    struct stat st {};
    st.st_mode = mode;
    st.st_ino = ino;
    st.st_dev = 1;
    nodes[path] = st;
  }
  Result<struct stat> look(std::string_view path) const override {
    auto it = nodes.find(std::string(path));
    if (it == nodes.end()) return fail(ENOENT, "1:" + std::string(path));
    return it->second;
  }
  Result<UniqueFd> open_for_reading(std::string_view path, int flags) const override {
    opened.emplace_back(std::string(path), flags);
    if (open_errno) return fail(open_errno, "1:" + std::string(path));
    UniqueFd fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    struct stat st = nodes.at(std::string(path));
    if (swap) st.st_ino += 1000;
    fds[fd.get()] = st;
    return fd;
  }
  Result<struct stat> describe(int fd) const override { return fds.at(fd); }
  Error explained(Error e) const override {
    if (e.code == EACCES) e.why = "permission denied: explained";
    return e;
  }
};

}  // namespace

TEST_CASE("cat seam: a regular file is opened once, without blocking") {
  FakeRoot root;
  root.add("/etc/x", S_IFREG | 0644, 5);
  auto fd = cli::open_for_cat(root, "/etc/x", "nginx:/etc/x", false);
  REQUIRE(fd);
  REQUIRE(root.opened.size() == 1);
  CHECK((root.opened[0].second & O_NONBLOCK) != 0);
}

TEST_CASE("cat seam: a directory is refused, pointing at ls, never opened") {
  FakeRoot root;
  root.add("/etc", S_IFDIR | 0755, 2);
  for (bool force : {false, true}) {
    auto fd = cli::open_for_cat(root, "/etc", "nginx:/etc", force);
    REQUIRE_FALSE(fd);
    CHECK(fd.error().code == EISDIR);
    CHECK(fd.error().what == "nginx:/etc");
    CHECK(fd.error().reason() == std::strerror(EISDIR));
    CHECK(fd.error().hint == "to list a directory use: nsdebug ls nginx:/etc");
  }
  CHECK(root.opened.empty());
}

TEST_CASE("cat seam: a FIFO or device is refused unless forced, then opened blocking") {
  FakeRoot root;
  root.add("/run/fifo", S_IFIFO | 0600, 7);
  root.add("/dev/tape", S_IFCHR | 0600, 8);
  auto fifo = cli::open_for_cat(root, "/run/fifo", "web:/run/fifo", false);
  REQUIRE_FALSE(fifo);
  CHECK(fifo.error().code == EINVAL);
  CHECK(fifo.error().reason() == "a FIFO, not a regular file");
  CHECK(fifo.error().hint ==
        "reading it may block or take data from its owner; --force reads it anyway");
  auto tape = cli::open_for_cat(root, "/dev/tape", "web:/dev/tape", false);
  REQUIRE_FALSE(tape);
  CHECK(tape.error().reason() == "a character device, not a regular file");
  CHECK(root.opened.empty());  // looked at, never opened
  auto forced = cli::open_for_cat(root, "/run/fifo", "web:/run/fifo", true);
  REQUIRE(forced);
  REQUIRE(root.opened.size() == 1);
  CHECK((root.opened[0].second & O_NONBLOCK) == 0);
}

TEST_CASE("cat seam: a file swapped between the look and the open is not read") {
  FakeRoot root;
  root.add("/etc/x", S_IFREG | 0644, 5);
  root.swap = true;
  auto fd = cli::open_for_cat(root, "/etc/x", "nginx:/etc/x", false);
  REQUIRE_FALSE(fd);
  CHECK(fd.error().code == EAGAIN);
  CHECK(fd.error().what == "nginx:/etc/x");
  CHECK(fd.error().reason() == "the file was replaced while opening it");
  CHECK(fd.error().hint == "try again");
}

TEST_CASE("cat seam: failures name the argument as typed, a denial comes explained") {
  FakeRoot root;
  auto missing = cli::open_for_cat(root, "/nope", "nginx:/nope", false);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ENOENT);
  CHECK(missing.error().what == "nginx:/nope");
  root.add("/etc/shadow", S_IFREG | 0600, 9);
  root.open_errno = EACCES;
  auto denied = cli::open_for_cat(root, "/etc/shadow", "nginx:/etc/shadow", false);
  REQUIRE_FALSE(denied);
  CHECK(denied.error().what == "nginx:/etc/shadow");
  CHECK(denied.error().reason() == "permission denied: explained");
}
