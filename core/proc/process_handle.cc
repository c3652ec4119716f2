#include "core/proc/process_handle.h"

#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>

#include "core/proc/proc_parse.h"
#include "core/proc/procfs.h"
#include "core/base/sys.h"

namespace nsdebug {

std::optional<StatFields> parse_stat(std::string_view text) {
  auto line = parse_stat_line(text);
  if (!line) return std::nullopt;
  return StatFields{line->state, line->ppid, line->start_ticks};
}

namespace {

std::unexpected<Error> gone(pid_t pid, std::string why, std::string hint = {}) {
  return fail(ESRCH, fmt::format("pid {}", pid), std::move(why), std::move(hint));
}

bool readable(short revents) { return revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL); }

}  // namespace

Result<ProcessHandle> ProcessHandle::open(pid_t pid, std::uint64_t start_ticks) {
  auto fd = sys::pidfd_open(pid);
  if (!fd && fd.error().code == ESRCH) return gone(pid, "it has exited");
  if (!fd) return std::unexpected(fd.error());
  // The pidfd names whoever holds `pid` now. Read the start time after opening: if it is still
  // the listed one, the pidfd was opened on the listed process. (Two processes on one PID
  // within one clock tick would fool this; a listed process has lived longer than that.)
  auto stat = read_stat_line(pid);
  if (!stat) return gone(pid, "it has exited");
  if (stat->start_ticks != start_ticks)
    return gone(pid, "it has exited, and its PID now names another process, which was spared");
  return ProcessHandle(std::move(*fd), pid, start_ticks);
}

Result<ProcessHandle> ProcessHandle::open_current(pid_t pid) {
  auto fd = sys::pidfd_open(pid);
  if (!fd && fd.error().code == ESRCH) return gone(pid, "no such process");
  if (!fd) return std::unexpected(fd.error());
  // Read after the open, so it is the pidfd's process's unless that one exited meanwhile.
  auto stat = read_stat_line(pid);
  ProcessHandle h(std::move(*fd), pid, stat ? stat->start_ticks : 0);
  if (!stat || h.exited()) return gone(pid, "it has exited");
  return h;
}

bool ProcessHandle::exited() const {
  pollfd p{fd_.get(), POLLIN, 0};
  return ::poll(&p, 1, 0) > 0 && readable(p.revents);
}

Result<void> ProcessHandle::send(int sig) const {
  if (!exited()) {
    auto sent = sys::pidfd_send_signal(fd_.get(), sig);
    if (sent || sent.error().code != ESRCH) return sent;
  }
  auto stat = read_stat_line(pid_);
  if (stat && stat->start_ticks == start_ticks_ && stat->state == 'Z')
    return gone(pid_,
                fmt::format("it has exited: a zombie until its parent (PID {}) reaps it, which "
                            "no signal can change",
                            stat->ppid),
                "a zombie holds nothing but its PID; if they pile up, its parent is not "
                "calling wait()");
  return gone(pid_, "it has exited");
}

std::vector<std::size_t> wait_for_exit(std::span<const ProcessHandle* const> handles,
                                       std::optional<std::chrono::milliseconds> timeout) {
  using Clock = std::chrono::steady_clock;
  auto deadline = timeout ? std::optional(Clock::now() + *timeout) : std::nullopt;
  std::vector<std::size_t> running(handles.size());
  for (std::size_t i = 0; i < running.size(); ++i) running[i] = i;
  while (!running.empty()) {
    std::vector<pollfd> fds;
    for (auto i : running) fds.push_back({handles[i]->fd(), POLLIN, 0});
    int ms = -1;
    if (deadline) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now()).count();
      ms = static_cast<int>(std::clamp<long long>(left, 0, INT_MAX));
    }
    int n = ::poll(fds.data(), fds.size(), ms);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // timed out (or poll failed: report them as running)
    std::vector<std::size_t> still;
    for (std::size_t k = 0; k < running.size(); ++k)
      if (!readable(fds[k].revents)) still.push_back(running[k]);
    running = std::move(still);
  }
  return running;
}

StopResult wait_and_escalate(std::span<const ProcessHandle* const> handles,
                             std::optional<std::chrono::milliseconds> grace,
                             std::optional<std::chrono::milliseconds> then_kill) {
  StopResult r;
  auto running = wait_for_exit(handles, grace);
  if (!then_kill) {
    r.running = std::move(running);
    return r;
  }
  std::vector<const ProcessHandle*> killed;
  for (auto i : running) {
    auto sent = handles[i]->send(SIGKILL);
    if (sent) {
      r.killed.push_back(i);
      killed.push_back(handles[i]);
    } else if (sent.error().code != ESRCH) {  // ESRCH: it exited on its own meanwhile
      r.kill_failed.emplace_back(i, sent.error());
      r.running.push_back(i);
    }
  }
  for (auto j : wait_for_exit(killed, then_kill)) r.running.push_back(r.killed[j]);
  std::ranges::sort(r.running);
  return r;
}
}  // namespace nsdebug
