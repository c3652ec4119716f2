#include "core/node/pod_entry.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>

#include <cstdlib>
#include <ctime>
#include <string>

#include <fmt/format.h>

#include "core/node/pod_channel.h"
#include "core/base/sys.h"

namespace nsdebug {
namespace {

constexpr std::uint64_t bit(int cap) { return std::uint64_t{1} << cap; }

Result<void> check(int rc, const char* what) {
  if (rc < 0) return fail_errno(fmt::format("node mode: {}", what));
  return {};
}

// An empty tmpfs becomes "/": on it only the mount points the pod side needs. It is mounted on
// /proc only because /proc surely exists; the old root, the node's, is detached right after.
Result<void> enter_empty_root(bool terminal) {
  if (auto r = sys::unshare(CLONE_NEWNS); !r) return r;
  if (auto r = sys::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, "make / private"); !r)
    return r;
  if (auto r = sys::mount("nsdebug", "/proc", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                          "node mode: mount an empty tmpfs for the root",
                          "size=16k,nr_inodes=16,mode=0555");
      !r)
    return r;
  if (auto r = check(::chdir("/proc"), "chdir into the new root"); !r) return r;
  if (auto r = check(::mkdir("proc", 0555), "mkdir /proc in the new root"); !r) return r;
  if (terminal) {
    if (auto r = check(::mkdir("dev", 0555), "mkdir /dev"); !r) return r;
    if (auto r = check(::mkdir("dev/pts", 0555), "mkdir /dev/pts"); !r) return r;
    // A devpts of our own: the pty is no file of the node's /dev/pts.
    if (auto r = sys::mount("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
                            "node mode: mount a private devpts",
                            "newinstance,ptmxmode=0600,mode=0600");
        !r)
      return r;
  }
  if (auto r = sys::pivot_root_to_cwd(); !r) return r;
  return sys::mount(nullptr, "/", nullptr,
                    MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                    "make the new root read-only");
}

// The pty, from our devpts: its master goes to the node side, which relays it to the operator's
// terminal; its slave replaces the std fds named in kPodTtyEnv. Returns the slave.
Result<UniqueFd> make_terminal(int channel, std::string_view std_fds) {
  UniqueFd master(::open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!master) return fail_errno("node mode: open /dev/pts/ptmx");
  int unlock = 0;
  if (auto r = check(::ioctl(master.get(), TIOCSPTLCK, &unlock), "unlock the pty"); !r)
    return std::unexpected(r.error());
  UniqueFd slave(::ioctl(master.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!slave) return fail_errno("node mode: open the pty", "needs Linux 4.13 or newer");
  int fds[] = {master.get()};
  if (auto r = send_pod_message(channel, PodMessage::kTerminal, {}, fds); !r)
    return std::unexpected(r.error());
  // The node side sets the pty's size and modes from the operator's terminal first.
  auto ready = receive_pod_message(channel);
  if (!ready) return std::unexpected(ready.error());
  for (char c : std_fds)
    if (c >= '0' && c <= '2' && ::dup2(slave.get(), c - '0') < 0)
      return fail_errno("node mode: use the pty");
  return slave;
}

// Nothing a pod could use: no new privileges through exec, not dumpable (no core, /proc
// entries owned by root), and capabilities cut to `keep`.
Result<void> drop_privileges(std::uint64_t bounding, std::uint64_t permitted) {
  if (auto r = check(::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "set no_new_privs"); !r) return r;
  if (auto r = check(::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "clear dumpable"); !r) return r;
  return sys::limit_capabilities(bounding, permitted);
}

// In the pod: its /proc, then CAP_SYS_ADMIN goes. Ends with the node side if it dies.
Result<void> settle_in_pod(int channel, int slave) {
  // Read-only: a fresh procfs has none of the runtime's masks, and through /proc/PID/root a
  // container running as root could otherwise write /proc/sys (core_pattern: the node).
  if (auto r = sys::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY,
                          "mount the pod's proc on /proc");
      !r)
    return r;
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  pollfd p{channel, POLLIN, 0};
  if (::poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR)))
    return fail(ESRCH, "node mode", "the node-side nsdebug has gone");
  // A session of our own: the operator's terminal is not our controlling terminal, ours is the
  // private pty (the TUI needs one for job control and size changes).
  if (auto r = check(::setsid(), "setsid"); !r) return r;
  if (slave >= 0) return check(::ioctl(slave, TIOCSCTTY, 0), "take the pty as terminal");
  return {};
}

}  // namespace

bool is_pod_side() { return std::getenv(kPodSideEnv) != nullptr; }

Result<PodSide> enter_pod(std::uint64_t capabilities) {
  const char* tty = std::getenv(kPodTtyEnv);
  std::string_view std_fds = tty ? tty : "";
  UniqueFd channel(kPodChannelFd);
  UniqueFd pid_ns(kPodPidNsFd);
  UniqueFd net_ns(kPodNetNsFd);
  ::fcntl(channel.get(), F_SETFD, FD_CLOEXEC);
  ::prctl(PR_SET_NAME, "nsdebug");  // executed from a memfd, our comm would be its fd number
  // The node's zone, read now: the empty root has no /etc/localtime (glibc keeps what it read
  // while TZ does not change).
  ::tzset();
  if (auto r = enter_empty_root(!std_fds.empty()); !r) return std::unexpected(r.error());
  UniqueFd slave;
  if (!std_fds.empty()) {
    auto made = make_terminal(channel.get(), std_fds);
    if (!made) return std::unexpected(made.error());
    slave = std::move(*made);
  }
  if (auto r = sys::setns(pid_ns.get(), CLONE_NEWPID); !r) return std::unexpected(r.error());
  pid_ns.reset();
  if (auto r = sys::setns(net_ns.get(), CLONE_NEWNET); !r) return std::unexpected(r.error());
  net_ns.reset();
  // CAP_SYS_ADMIN only until the pod's /proc is mounted; never in the bounding set.
  if (auto r = drop_privileges(capabilities, capabilities | bit(CAP_SYS_ADMIN)); !r)
    return std::unexpected(r.error());
  auto child = sys::fork_sibling();
  if (!child) return std::unexpected(child.error());
  if (*child > 0) {
    if (auto r = send_pod_message(channel.get(), PodMessage::kChild, std::to_string(*child)); !r)
      return std::unexpected(r.error());
    return PodSide{false, {}};
  }
  if (auto r = settle_in_pod(channel.get(), slave.get()); !r) return std::unexpected(r.error());
  if (auto r = sys::limit_capabilities(capabilities, capabilities); !r)
    return std::unexpected(r.error());
  return PodSide{true, std::move(channel)};
}

}  // namespace nsdebug
