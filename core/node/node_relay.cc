#include "core/node/node_relay.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <cstdlib>
#include <vector>

#include <fmt/format.h>

#include "core/node/pidns.h"
#include "core/node/pod_channel.h"
#include "core/node/pod_entry.h"
#include "core/proc/proc_mount.h"
#include "core/base/sys.h"

namespace nsdebug {
namespace {

constexpr const char* kRootHint = "run nsdebug on the node as root (sudo nsdebug ...)";

// What of our environment the pod side may see (its /proc/PID/environ is readable from the
// pod): how to draw and which language, nothing else of the operator's session.
constexpr std::array kKeptEnv{"TERM",    "LANG",  "LC_ALL", "LC_CTYPE", "LC_MESSAGES",
                              "COLUMNS", "LINES", "NO_COLOR", "TZ",     "NSDEBUG_READ_ONLY"};

volatile sig_atomic_t g_child = 0;
volatile sig_atomic_t g_pending = 0;
volatile sig_atomic_t g_resized = 0;

// Whatever kill(2) or the terminal sends us goes to the pod side, which has a session of its
// own: nothing reaches it twice.
void on_signal(int sig) {
  if (sig == SIGWINCH) {
    g_resized = 1;
    return;
  }
  if (g_child > 0)
    sys::forward_signal_from_handler(g_child, sig);
  else
    g_pending = sig;
}

constexpr std::array kForwarded{SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH};

struct SignalScope {
  std::array<struct sigaction, kForwarded.size()> old{};
  SignalScope() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (std::size_t i = 0; i < kForwarded.size(); ++i) ::sigaction(kForwarded[i], &sa, &old[i]);
  }
  ~SignalScope() {
    for (std::size_t i = 0; i < kForwarded.size(); ++i) ::sigaction(kForwarded[i], &old[i], nullptr);
    g_child = 0;
    g_pending = 0;
  }
};

Result<UniqueFd> open_pid_ns(int proc_fd, pid_t target, std::uint64_t& inode) {
  auto path = fmt::format("{}/ns/pid", target);
  UniqueFd ns(::openat(proc_fd, path.c_str(), O_RDONLY | O_CLOEXEC));
  std::string what = fmt::format("--target {}: open /proc/{}", target, path);
  if (!ns && errno == ENOENT)
    return fail(ENOENT, what, "no such process on this node",
                "'nsdebug pods' lists the pods' sandbox PIDs");
  if (!ns) return fail_errno(what, kRootHint);
  struct stat st {}, own {};
  if (::fstat(ns.get(), &st) < 0 || ::fstatat(proc_fd, "self/ns/pid", &own, 0) < 0)
    return fail_errno("stat the PID namespaces");
  if (st.st_ino == own.st_ino)
    return fail(EINVAL, fmt::format("--target {}", target),
                "that process is in nsdebug's own PID namespace, not in a pod's",
                "'nsdebug pods' lists the pods' sandbox PIDs");
  inode = st.st_ino;
  return ns;
}

std::vector<std::string> pod_side_environment(std::string_view tty_fds) {
  std::vector<std::string> env{fmt::format("{}=1", kPodSideEnv)};
  if (!tty_fds.empty()) env.push_back(fmt::format("{}={}", kPodTtyEnv, tty_fds));
  for (const char* name : kKeptEnv)
    if (const char* v = std::getenv(name)) env.push_back(fmt::format("{}={}", name, v));
  return env;
}

// The std fds that are a terminal get the pty, when stdout or stderr is one.
std::string terminal_fds() {
  if (!::isatty(STDOUT_FILENO) && !::isatty(STDERR_FILENO)) return {};
  std::string fds;
  for (int fd = 0; fd <= 2; ++fd)
    if (::isatty(fd)) fds += static_cast<char>('0' + fd);
  return fds;
}

struct Pipe {
  UniqueFd read, write;
};

Result<Pipe> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) return fail_errno("node mode: pipe");
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// Everything the first child holds when it executes the pod side: fds 0-2 pipes (stdin empty),
// 3 the channel, 4 the pod's PID namespace, 5 its network namespace; nothing else, and a clean
// environment.
struct Launch {
  pid_t pid = 0;
  UniqueFd channel, out, err;
};

[[noreturn]] void exec_pod_side(std::array<int, 7> fds, std::span<char* const> argv,
                                std::span<const std::string> env) {
  for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
  // fds: stdin, stdout, stderr, channel, pid ns, net ns, the sealed binary. Moved above 9 first
  // so that no dup2 below overwrites one still to be placed.
  for (int& fd : fds) fd = ::fcntl(fd, F_DUPFD, 10);
  for (int i = 0; i < 7; ++i) ::dup2(fds[static_cast<std::size_t>(i)], i);
  ::fcntl(kSealedBinaryFd, F_SETFD, FD_CLOEXEC);
  ::close_range(kSealedBinaryFd + 1, ~0U, 0);
  std::vector<char*> av(argv.begin(), argv.end());
  av.push_back(nullptr);
  std::vector<char*> ev;
  for (const auto& e : env) ev.push_back(const_cast<char*>(e.c_str()));
  ev.push_back(nullptr);
  ::fexecve(kSealedBinaryFd, av.data(), ev.data());
  auto e = fail_errno("node mode: execute nsdebug's sealed copy").error();
  (void)send_pod_message(3, PodMessage::kError, encode_error(e));
  ::_exit(127);
}

Result<Launch> launch_pod_side(int pid_ns, int net_ns, std::span<char* const> argv,
                               std::string_view tty) {
  auto binary = sys::sealed_copy_of_self();
  if (!binary) return std::unexpected(binary.error());
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    return fail_errno("node mode: socketpair");
  Launch l;
  l.channel.reset(sv[0]);
  UniqueFd theirs(sv[1]);
  auto in = make_pipe(), out = make_pipe(), err = make_pipe();
  if (!in || !out || !err) return fail_errno("node mode: pipe");
  auto env = pod_side_environment(tty);
  std::fflush(nullptr);  // nothing buffered may be printed twice
  l.pid = ::fork();
  if (l.pid < 0) return fail_errno("node mode: fork");
  if (l.pid == 0)
    exec_pod_side({in->read.get(), out->write.get(), err->write.get(), theirs.get(), pid_ns,
                   net_ns, binary->get()},
                  argv, env);
  l.out = std::move(out->read);
  l.err = std::move(err->read);
  return l;
}

}  // namespace
}  // namespace nsdebug

// ---- the relay -------------------------------------------------------------------------------

namespace nsdebug {
namespace {

// Copies what is readable on `from` to `to`; false at end of file (or EIO: a pty whose last
// slave closed). A reader that went away (| head) ends our copying, not the pod side.
bool pass_on(int from, int to) {
  char buf[65536];
  ssize_t n = ::read(from, buf, sizeof buf);
  if (n < 0) return errno == EINTR || errno == EAGAIN;
  if (n == 0) return false;
  for (ssize_t done = 0; done < n;) {
    ssize_t w = ::write(to, buf + done, static_cast<std::size_t>(n - done));
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return true;  // our stdout is gone: keep draining so the pod side is not stuck
    done += w;
  }
  return true;
}

// The operator's terminal in raw mode while its keys go to the pod side's pty; restored after.
class RawTerminal {
 public:
  void enter(int fd) {
    if (::tcgetattr(fd, &saved_) < 0) return;
    termios raw = saved_;
    ::cfmakeraw(&raw);
    if (::tcsetattr(fd, TCSAFLUSH, &raw) == 0) fd_ = fd;
  }
  ~RawTerminal() {
    if (fd_ >= 0) ::tcsetattr(fd_, TCSAFLUSH, &saved_);
  }

 private:
  int fd_ = -1;
  termios saved_{};
};

class Relay {
 public:
  Relay(Launch launch, std::string tty, int proc_fd, std::uint64_t pid_ns,
        const NodeServices& services)
      : first_(launch.pid), channel_(std::move(launch.channel)), out_(std::move(launch.out)),
        err_(std::move(launch.err)), tty_(std::move(tty)), proc_fd_(proc_fd), pid_ns_(pid_ns),
        services_(services) {}

  Result<int> run();

 private:
  Result<void> on_message();
  void on_terminal(UniqueFd master);
  void copy_size();
  Result<void> send_host_pids();
  void reap_first();
  int terminal_fd() const { return tty_.find('1') != std::string::npos ? 1 : 2; }

  pid_t first_;       // the process we executed; it exits once it has forked into the pod
  pid_t child_ = 0;   // the pod side inside the pod
  UniqueFd channel_, out_, err_, master_, child_pidfd_;
  std::string tty_;
  int proc_fd_;
  std::uint64_t pid_ns_;
  const NodeServices& services_;
  RawTerminal raw_;
  std::optional<Error> failed_;
};

void Relay::copy_size() {
  winsize ws{};
  if (::ioctl(terminal_fd(), TIOCGWINSZ, &ws) == 0) ::ioctl(master_.get(), TIOCSWINSZ, &ws);
}

void Relay::on_terminal(UniqueFd master) {
  master_ = std::move(master);
  termios modes{};
  if (::tcgetattr(terminal_fd(), &modes) == 0) ::tcsetattr(master_.get(), TCSANOW, &modes);
  copy_size();
  if (tty_.find('0') != std::string::npos) raw_.enter(STDIN_FILENO);
}

Result<void> Relay::send_host_pids() {
  std::string chunk;
  for (auto [pod, host] : host_pids(proc_fd_, pid_ns_)) {
    chunk += fmt::format("{} {}\n", pod, host);
    if (chunk.size() < 32768) continue;
    if (auto r = send_pod_message(channel_.get(), PodMessage::kHostPids, chunk); !r) return r;
    chunk.clear();
  }
  if (!chunk.empty())
    if (auto r = send_pod_message(channel_.get(), PodMessage::kHostPids, chunk); !r) return r;
  return send_pod_message(channel_.get(), PodMessage::kHostPids, {});
}

void Relay::reap_first() {
  if (first_ > 0) ::waitpid(first_, nullptr, 0);
  first_ = 0;
}

Result<void> Relay::on_message() {
  auto m = receive_pod_message(channel_.get());
  if (!m) {
    channel_.reset();  // both pod-side processes closed it: nothing more to serve
    return {};
  }
  switch (m->kind) {
    case PodMessage::kError: failed_ = decode_error(m->body); break;
    // The pod side may be traced by a container of the pod: what it sends is checked as a
    // hostile peer's. A terminal and a child are set up once, before the pod side runs anything.
    case PodMessage::kTerminal:
      if (m->fds.size() != 1 || master_ || child_)
        return fail(EPROTO, "node mode", "an unexpected terminal message");
      on_terminal(std::move(m->fds[0]));
      return send_pod_message(channel_.get(), PodMessage::kReady, {});
    case PodMessage::kChild: {
      if (child_) return fail(EPROTO, "node mode", "a second child message");
      child_ = std::atoi(m->body.c_str());
      auto fd = sys::pidfd_open(child_);
      if (fd) child_pidfd_ = std::move(*fd);
      g_child = child_;
      if (g_pending) sys::forward_signal_from_handler(child_, g_pending);
      reap_first();
      break;
    }
    case PodMessage::kHostPids: return send_host_pids();
    case PodMessage::kCopy: {
      auto f = split_fields(m->body);
      if (f.size() != 5 || m->fds.size() != 2 || !services_.copy)
        return fail(EPROTO, "node mode", "a malformed copy request");
      CopyRequest req{std::atoi(f[0].c_str()), std::move(m->fds[0]), std::move(m->fds[1]),
                      f[1], f[2], f[3] == "1", f[4] == "1"};
      int code = services_.copy(req);
      return send_pod_message(channel_.get(), PodMessage::kStatus, std::to_string(code));
    }
    default: return fail(EPROTO, "node mode", "an unknown message from the pod side");
  }
  return {};
}

}  // namespace
}  // namespace nsdebug

namespace nsdebug {
namespace {

Result<int> Relay::run() {
  SignalScope signals;
  bool child_gone = false, stdin_open = tty_.find('0') != std::string::npos;
  for (;;) {
    if (g_resized && master_) {
      g_resized = 0;
      copy_size();
    }
    bool relay_keys = master_ && stdin_open;
    std::array<pollfd, 6> p{{{channel_.get(), POLLIN, 0},
                             {out_.get(), POLLIN, 0},
                             {err_.get(), POLLIN, 0},
                             {master_.get(), POLLIN, 0},
                             {relay_keys ? STDIN_FILENO : -1, POLLIN, 0},
                             {child_pidfd_.get(), POLLIN, 0}}};
    if (!channel_ && !out_ && !err_ && !master_ && !child_pidfd_) break;
    // Once the pod side has exited, what it wrote is drained; nothing may keep us waiting.
    int n = ::poll(p.data(), p.size(), child_gone ? 200 : -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_errno("node mode: poll");
    if (n == 0) break;
    constexpr short kReady = POLLIN | POLLHUP | POLLERR;
    if (p[0].revents & kReady)
      if (auto r = on_message(); !r) return std::unexpected(r.error());
    if ((p[1].revents & kReady) && !pass_on(out_.get(), STDOUT_FILENO)) out_.reset();
    if ((p[2].revents & kReady) && !pass_on(err_.get(), STDERR_FILENO)) err_.reset();
    if ((p[3].revents & kReady) && !pass_on(master_.get(), terminal_fd())) master_.reset();
    if ((p[4].revents & kReady) && master_ && !pass_on(STDIN_FILENO, master_.get()))
      stdin_open = false;
    if (p[5].revents & kReady) {
      child_gone = true;
      child_pidfd_.reset();
    }
  }
  int status = 0;
  if (child_ > 0) {
    while (::waitpid(child_, &status, 0) < 0 && errno == EINTR) {
    }
  } else if (first_ > 0) {
    while (::waitpid(first_, &status, 0) < 0 && errno == EINTR) {
    }
    first_ = 0;
  }
  if (failed_) return std::unexpected(*failed_);
  return status;
}

}  // namespace

Result<int> run_in_pod(pid_t target, std::span<char* const> argv, const NodeServices& services) {
  if (auto missing = proc_unavailable()) return std::unexpected(std::move(*missing));
  UniqueFd proc(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!proc) return fail_errno("open /proc", "is /proc mounted here?");
  std::uint64_t pid_ns = 0;
  auto ns = open_pid_ns(proc.get(), target, pid_ns);
  if (!ns) return std::unexpected(ns.error());
  // The pod's network: `nsdebug net` reads its sockets, and the pod side holds no socket of
  // the node's network (nor its abstract unix names).
  auto net_path = fmt::format("{}/ns/net", target);
  UniqueFd net_ns(::openat(proc.get(), net_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!net_ns) return fail_errno(fmt::format("--target {}: open /proc/{}", target, net_path), kRootHint);
  std::string tty = terminal_fds();
  auto launch = launch_pod_side(ns->get(), net_ns.get(), argv, tty);
  if (!launch) return std::unexpected(launch.error());
  Relay relay(std::move(*launch), tty, proc.get(), pid_ns, services);
  return relay.run();
}

}  // namespace nsdebug
