// Reaching a target through core (core/pod/target.h, open_target_root) with real processes:
// a live PID, a zombie, a kernel thread, a container by its name in its own mount namespace.
// test_bad_input.cc checks the same rules through the commands' words and exit codes.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "core/files/rooted_fs.h"
#include "core/pod/snapshot.h"
#include "core/pod/target.h"

using namespace std::chrono_literals;
using namespace nsdebug;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string stat_line(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(f, line);
  return line;
}

}  // namespace

TEST_CASE("reach: a live PID is held; a zombie is refused as one") {
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::pause();
    _exit(0);
  }
  auto live = reach_pid(child);
  REQUIRE(live);
  CHECK(live->pid() == child);
  ::kill(child, SIGKILL);
  for (int i = 0; i < 400 && !has(stat_line(child), ") Z "); ++i) std::this_thread::sleep_for(5ms);
  REQUIRE(has(stat_line(child), ") Z "));
  auto zombie = reach_pid(child);
  REQUIRE_FALSE(zombie);
  CHECK(zombie.error().code == ESRCH);
  CHECK(has(zombie.error().reason(), "a zombie"));
  CHECK(has(zombie.error().hint, std::to_string(::getpid())));  // the parent that has not reaped
  ::waitpid(child, nullptr, 0);
  auto gone = reach_pid(child);
  REQUIRE_FALSE(gone);
  CHECK(gone.error().code == ESRCH);
}

TEST_CASE("reach: a kernel thread has no files to look into") {
  std::ifstream f("/proc/2/comm");
  std::string comm;
  if (!std::getline(f, comm) || comm != "kthreadd") return;  // no kthreadd at PID 2 here
  auto k = reach_pid(2);
  REQUIRE_FALSE(k);
  CHECK(k.error().code == EINVAL);
  CHECK(has(k.error().reason(), "a kernel thread"));
}

TEST_CASE("reach: a container by its name, its root opened; an unknown name lists the others") {
  auto dir = std::filesystem::temp_directory_path() / ("nsdebug-reach-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string prog = "nsdbgreach" + std::to_string(::getpid() % 100000);
  std::filesystem::copy_file("/bin/sleep", dir / prog,
                             std::filesystem::copy_options::overwrite_existing);
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::string path = (dir / prog).string();
    ::execl("/usr/bin/unshare", "unshare", "-m", path.c_str(), "60", nullptr);
    _exit(127);
  }
  std::this_thread::sleep_for(500ms);  // unshare has exec'd the program
  auto snapshot = take_snapshot();
  REQUIRE(snapshot);
  auto held = reach_container(prog, *snapshot);
  REQUIRE(held);
  CHECK(held->pid() == child);
  auto root = open_target_root(TargetRef{prog, 0});
  REQUIRE(root);
  CHECK(root->pid() == child);
  CHECK(root->stat("/etc", true));
  auto none = resolve_target(TargetRef{prog + "-none", 0});
  REQUIRE_FALSE(none);
  CHECK(none.error().code == ENOENT);
  CHECK(has(none.error().hint, prog));  // "containers here: ..., <prog>, ..."
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("reach: a listed row (the TUI's) only as listed, by the same rules as a PID") {
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::pause();
    _exit(0);
  }
  auto snapshot = take_snapshot();
  REQUIRE(snapshot);
  const Process* row = snapshot->find(child);
  REQUIRE(row);
  auto listed = reach_listed(child, row->start_ticks);
  REQUIRE(listed);
  CHECK(listed->pid() == child);
  CHECK_FALSE(reach_listed(child, row->start_ticks + 1));  // the PID now names another process
  ::kill(child, SIGKILL);
  for (int i = 0; i < 400 && !has(stat_line(child), ") Z "); ++i) std::this_thread::sleep_for(5ms);
  auto zombie = reach_listed(child, row->start_ticks);
  REQUIRE_FALSE(zombie);
  CHECK(has(zombie.error().reason(), "a zombie"));
  ::waitpid(child, nullptr, 0);
  if (const Process* kthreadd = snapshot->find(2); kthreadd && kthreadd->ppid == 0) {
    auto kernel = reach_listed(2, kthreadd->start_ticks);
    REQUIRE_FALSE(kernel);
    CHECK(kernel.error().code == EINVAL);
  }
}
