// The pod-shaped PID namespace kill tests run their bodies in (tests/integration/pod_fixture.h).
#include "pod_fixture.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <stdexcept>

#include "core/proc/process_handle.h"
#include "core/proc/procfs.h"
#include "core/base/sys.h"

using namespace std::chrono_literals;

namespace nsdebug::testing::pod {
namespace {

[[noreturn]] void report(int fd, const std::string& text) {
  std::string msg = text + '\0';
  (void)!::write(fd, msg.data(), msg.size());
  _exit(0);
}

// PID 1 of the new namespace: mounts its /proc, starts the body as PID 2, becomes the pause.
[[noreturn]] void become_init(int report_fd, const Body& body) {
  if (::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) < 0)
    report(report_fd, "mount /proc failed");
  if (::fork() == 0) {
    Checks c;
    try {
      if (::unshare(CLONE_NEWNS) < 0) c.require(false, "unshare(CLONE_NEWNS)");
      body(c);
    } catch (const Checks::Abort&) {
    } catch (const std::exception& e) {
      c.expect(false, e.what());
    }
    report(report_fd, c.failures);
  }
  ::execl(PAUSE_BIN, PAUSE_BIN, nullptr);
  report(report_fd, "exec " PAUSE_BIN " failed");
}

std::string read_report(int fd) {
  std::string text;
  char buf[4096];
  while (text.find('\0') == std::string::npos) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 60'000) <= 0) return text + "\n(timed out waiting for the body)";
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return text + "\n(the body died without reporting)";
    text.append(buf, static_cast<std::size_t>(n));
  }
  return text.substr(0, text.find('\0'));
}

}  // namespace

std::string in_pod(const Body& body) {
  int rep[2], info[2];
  REQUIRE(::pipe2(rep, O_CLOEXEC) == 0);
  REQUIRE(::pipe2(info, O_CLOEXEC) == 0);
  pid_t outer = ::fork();
  REQUIRE(outer >= 0);
  if (outer == 0) {
    if (::unshare(CLONE_NEWPID | CLONE_NEWNS) < 0 ||
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0)
      report(rep[1], "unshare(CLONE_NEWPID | CLONE_NEWNS) failed: run as root");
    pid_t init = ::fork();
    if (init == 0) become_init(rep[1], body);
    (void)!::write(info[1], &init, sizeof init);
    ::waitpid(init, nullptr, 0);
    _exit(0);
  }
  ::close(rep[1]);
  ::close(info[1]);
  pid_t init = 0;
  (void)!::read(info[0], &init, sizeof init);
  // Held by pidfd: the init is our grandchild, and this test is about not hitting recycled PIDs.
  auto init_fd = nsdebug::sys::pidfd_open(init);
  std::string text = read_report(rep[0]);
  if (init_fd) (void)nsdebug::sys::pidfd_send_signal(init_fd->get(), SIGKILL);
  ::waitpid(outer, nullptr, 0);
  ::close(rep[0]);
  ::close(info[0]);
  return text;
}

void check_in_pod(const Body& body) {
  auto failures = in_pod(body);
  INFO(failures);
  CHECK(failures.empty());
}

// ---- the body's tools ------------------------------------------------------------

namespace {
int g_events = -1;  // in a catcher: where it reports each signal

void on_signal(int sig) {
  auto byte = static_cast<unsigned char>(sig);
  (void)!::write(g_events, &byte, 1);
}
}  // namespace

// A child that catches `caught`, ignores `ignored`, and is ready when this returns.
Child spawn_catcher(std::initializer_list<int> caught, std::initializer_list<int> ignored) {
  int p[2];
  if (::pipe(p) < 0) throw std::runtime_error("pipe");
  pid_t pid = ::fork();
  if (pid == 0) {
    g_events = p[1];
    for (int sig = 1; sig < NSIG; ++sig) std::signal(sig, SIG_DFL);  // not Catch's handlers
    for (int sig : caught) std::signal(sig, on_signal);
    for (int sig : ignored) std::signal(sig, SIG_IGN);
    on_signal(0);  // ready
    for (;;) ::pause();
  }
  ::close(p[1]);
  unsigned char ready = 1;
  if (::read(p[0], &ready, 1) != 1 || ready != 0) throw std::runtime_error("catcher not ready");
  return {pid, p[0]};
}

// The next signal the catcher reported, or -1 after `timeout`.
int next_event(const Child& c, std::chrono::milliseconds timeout) {
  pollfd p{c.events, POLLIN, 0};
  unsigned char sig = 0;
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0 || ::read(c.events, &sig, 1) != 1)
    return -1;
  return sig;
}

bool running(pid_t pid) { return ::waitpid(pid, nullptr, WNOHANG) == 0; }

int reap(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFSIGNALED(status) ? WTERMSIG(status) : -WEXITSTATUS(status);
}

void finish(const Child& c) {
  ::kill(c.pid, SIGKILL);
  reap(c.pid);
  ::close(c.events);
}

std::uint64_t start_ticks(pid_t pid) {
  auto text = nsdebug::read_proc_file(pid, "stat");
  auto f = text ? nsdebug::parse_stat(*text) : std::nullopt;
  if (!f) throw std::runtime_error(fmt::format("no stat for {}", pid));
  return f->start_ticks;
}

Ran kill_cmd(std::vector<std::string> args) {
  args.insert(args.begin(), {NSDEBUG_BIN, "kill"});
  return nsdebug::testing::run(args);
}

std::string pid_s(pid_t pid) { return std::to_string(pid); }
bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}


}  // namespace nsdebug::testing::pod
