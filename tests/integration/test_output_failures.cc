// Every command, with stdout on /dev/full, closed (>&-) and a pipe whose reader is gone:
// lost output is one line and exit 1, never an abort; a closed pipe stays quiet. The table is
// checked against `nsdebug --help`, so a new command without a row here fails.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "run.h"

extern char** environ;

namespace {

enum class Stdout { dev_full, closed, broken_pipe, broken_pipe_sigpipe_ignored };

struct Spawned {
  int status = -1;  // exit code, or 128 + signal
  std::string err;
};

// `argv` with stdout as `mode` says and stderr captured.
Spawned spawn(const std::vector<std::string>& argv, Stdout mode) {
  int err[2], pipe_fds[2] = {-1, -1};
  if (::pipe2(err, O_CLOEXEC)) throw std::runtime_error("pipe");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t def;
  sigemptyset(&def);
  sigaddset(&def, SIGPIPE);
  bool ignore = mode == Stdout::broken_pipe_sigpipe_ignored;
  if (!ignore) {
    posix_spawnattr_setsigdefault(&attr, &def);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  }
  if (mode == Stdout::dev_full) {
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/full", O_WRONLY, 0);
  } else if (mode == Stdout::closed) {
    posix_spawn_file_actions_addclose(&fa, 1);
  } else {
    if (::pipe2(pipe_fds, O_CLOEXEC)) throw std::runtime_error("pipe");
    ::close(pipe_fds[0]);  // the reader is gone before the first write: EPIPE, or SIGPIPE
    posix_spawn_file_actions_adddup2(&fa, pipe_fds[1], 1);
  }
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  // An ignored signal stays ignored across exec: that is how a parent hands it on.
  struct sigaction old {};
  struct sigaction ign {};
  ign.sa_handler = ignore ? SIG_IGN : SIG_DFL;
  ::sigaction(SIGPIPE, &ign, &old);
  pid_t pid;
  int rc = ::posix_spawn(&pid, args[0], &fa, &attr, args.data(), environ);
  ::sigaction(SIGPIPE, &old, nullptr);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  ::close(err[1]);
  if (pipe_fds[1] >= 0) ::close(pipe_fds[1]);
  if (rc != 0) throw std::runtime_error("spawn " + argv[0]);
  Spawned s;
  char buf[4096];
  for (ssize_t n; (n = ::read(err[0], buf, sizeof buf)) > 0;) s.err.append(buf, static_cast<std::size_t>(n));
  ::close(err[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  s.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return s;
}

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The subcommands nsdebug itself lists.
std::set<std::string> listed_commands() {
  auto help = nsdebug::testing::run({NSDEBUG_BIN, "--help"});
  std::set<std::string> names;
  auto at = help.out.find("Subcommands:");
  REQUIRE(at != std::string::npos);
  std::istringstream in(help.out.substr(at));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line) && line.starts_with("  ")) names.insert(words(line).front());
  return names;
}

struct Case {
  std::string args;  // after "nsdebug"; $pid and $dir are filled in
  bool writes_stdout = true;
  int pipe_status = -1;  // when the reader is gone: -1 = 141 (SIGPIPE) or 1 (EPIPE)
  bool strerror_reason = true;  // false: the reason is a library's own words
};

// Each command's runs: enough output to fill stdio's buffer (ps, ls -R, kill -l) and a little
// (stat, env). cat and tail end 0 on a closed pipe, as their readers (| head) expect.
const std::map<std::string, std::vector<Case>>& cases() {
  static const std::map<std::string, std::vector<Case>> kCases{
      {"ps", {{"ps"}, {"ps --json"}, {"ps --tree"}}},
      {"containers", {{"containers"}, {"containers --json"}}},
      {"kill", {{"kill -l"}, {"kill -L"}, {"kill --dry-run $pid"}}},
      {"cat", {{"cat $pid:/etc/passwd", true, 0}}},
      {"ls", {{"ls $pid:/etc"}, {"ls -l $pid:/etc"}, {"ls -R $pid:/usr/include"}}},
      {"stat", {{"stat $pid:/etc/passwd"}}},
      {"env", {{"env $pid"}, {"env --json $pid"}}},
      {"tail", {{"tail $pid:/etc/passwd", true, 0}}},
      {"cp", {{"cp $pid:/etc/passwd $dir/copy", false}}},
      // tar ignores SIGPIPE (a cut stream is 1); libarchive words the reason ("Write error").
      {"tar", {{"tar $pid:/etc/passwd", true, 1, false}}},
      {"inspect", {{"inspect $pid"}, {"inspect --json $pid"}}},
      {"pods", {{"pods"}, {"pods --json"}}},
      {"doctor", {{"doctor"}, {"doctor --json"}}},
      // -p: only the target's descriptors are read, so no other process's (say, PID 1 in
      // another user namespace) adds a line about owners we cannot see.
      {"threads", {{"threads --interval 0 $pid"}, {"threads --json --interval 0 $pid"}}},
      {"net", {{"net -a -p $pid"}, {"net --json -p $pid"}, {"net --summary -p $pid"}}},
  };
  return kCases;
}

std::vector<std::string> command_line(const std::string& args, pid_t pid, const std::string& dir) {
  std::vector<std::string> argv{NSDEBUG_BIN};
  for (auto w : words(args)) {
    for (auto [var, value] : {std::pair{"$pid", std::to_string(pid)}, {"$dir", dir}})
      if (auto at = w.find(var); at != std::string::npos) w.replace(at, std::string(var).size(), value);
    argv.push_back(w);
  }
  return argv;
}

struct Target {
  pid_t pid = 0;
  std::string dir;
  Target() {
    char tmpl[] = "/tmp/nsdebug-out-XXXXXX";
    dir = ::mkdtemp(tmpl);
    pid = ::fork();
    if (pid == 0) {
      ::execlp("sleep", "sleep", "1000", nullptr);
      ::_exit(127);
    }
    for (int i = 0; i < 200; ++i) {  // until it is sleep, not our fork
      auto comm = nsdebug::testing::run({"cat", "/proc/" + std::to_string(pid) + "/comm"});
      if (comm.out == "sleep\n") break;
      ::usleep(10000);
    }
  }
  ~Target() {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    nsdebug::testing::run({"rm", "-rf", dir});
  }
};

void check_lost_output(const Spawned& s, const Case& c, const std::string& why) {
  if (!c.writes_stdout) {
    CHECK(s.status == 0);
    return;
  }
  CHECK(s.status == 1);
  CHECK(s.err.find("nsdebug: write stdout: " + (c.strerror_reason ? why + "\n" : "")) !=
        std::string::npos);
  CHECK(std::ranges::count(s.err, '\n') == 1);  // one line, no hint, no second report
}

}  // namespace

TEST_CASE("every command nsdebug lists has output-failure cases here") {
  // The TUI draws only on a terminal: with stdout a file or a pipe it exits 2 before writing
  // anything (tests/e2e/test_tui.cc), so no output can be lost. The sidecar idles until the
  // pod stops it: its log is tested in tests/integration/test_sidecar.cc.
  // trace follows its tracee until it exits: its lost output (which must also detach) is tested
  // in tests/integration/test_trace.cc.
  static const std::set<std::string> kTerminalOnly{"tui", "sidecar", "trace"};
  for (const auto& name : listed_commands()) {
    if (kTerminalOnly.contains(name)) continue;
    INFO("add rows for '" << name << "' to cases() in " << __FILE__);
    CHECK(cases().contains(name));
  }
}

TEST_CASE("stdout on /dev/full: one line, exit 1, for every command") {
  Target t;
  for (const auto& [name, runs] : cases())
    for (const auto& c : runs) {
      auto s = spawn(command_line(c.args, t.pid, t.dir), Stdout::dev_full);
      INFO("nsdebug " << c.args << " >/dev/full: exit " << s.status << ", stderr: " << s.err);
      check_lost_output(s, c, "No space left on device");
      ::unlink((t.dir + "/copy").c_str());
    }
}

TEST_CASE("stdout closed (>&-): one line, exit 1, no abort, for every command") {
  Target t;
  for (const auto& [name, runs] : cases())
    for (const auto& c : runs) {
      auto s = spawn(command_line(c.args, t.pid, t.dir), Stdout::closed);
      INFO("nsdebug " << c.args << " >&-: exit " << s.status << ", stderr: " << s.err);
      check_lost_output(s, c, "Bad file descriptor");
      ::unlink((t.dir + "/copy").c_str());
    }
}

// GNU ls and procps ps die of SIGPIPE when their reader is gone (141 in a shell), and say
// nothing; so does nsdebug. With SIGPIPE ignored by our parent the write fails with EPIPE and
// nsdebug ends with 1, quietly too. cat and tail end 0 either way, as before.
TEST_CASE("a pipe whose reader is gone: no message, for every command") {
  Target t;
  for (auto mode : {Stdout::broken_pipe, Stdout::broken_pipe_sigpipe_ignored})
    for (const auto& [name, runs] : cases())
      for (const auto& c : runs) {
        auto s = spawn(command_line(c.args, t.pid, t.dir), mode);
        bool ignored = mode == Stdout::broken_pipe_sigpipe_ignored;
        INFO("nsdebug " << c.args << " | (closed)" << (ignored ? ", SIGPIPE ignored" : "")
                        << ": exit " << s.status << ", stderr: " << s.err);
        CHECK(s.err.empty());
        int expected = !c.writes_stdout ? 0 : c.pipe_status >= 0 ? c.pipe_status
                     : ignored ? 1 : 128 + SIGPIPE;
        CHECK(s.status == expected);
        ::unlink((t.dir + "/copy").c_str());
      }
}
