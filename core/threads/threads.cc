#include "core/threads/threads.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <thread>

#include "core/base/unique_fd.h"
#include "core/net/fd_target.h"
#include "core/proc/access.h"
#include "core/proc/proc_parse.h"
#include "core/proc/procfs.h"

namespace nsdebug {
namespace {

using Clock = std::chrono::steady_clock;

std::unexpected<Error> gone(pid_t pid) {
  return fail(ESRCH, fmt::format("threads {}", pid), "the process has exited");
}

// The /proc/PID directory of the process `process` holds: reads through it fail once that
// process exits, even when the PID is given to another.
Result<UniqueFd> open_process_dir(const ProcessHandle& process) {
  UniqueFd dir(::open(fmt::format("/proc/{}", process.pid()).c_str(),
                      O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return gone(process.pid());
  auto stat = read_small_file(dir.get(), "stat", 4096);
  auto fields = stat ? parse_stat(*stat) : std::nullopt;
  if (!fields || fields->start_ticks != process.start_ticks() || process.exited())
    return gone(process.pid());
  return dir;
}

// One small task file, or the error (errno kept) of opening or reading it.
Result<std::string> read_task_file(int dir, pid_t tid, const char* name) {
  return read_small_file(dir, fmt::format("task/{}/{}", tid, name).c_str(), 64 * 1024);
}

std::optional<StatLine> read_task_stat(int dir, pid_t tid, std::string& text) {
  auto read = read_task_file(dir, tid, "stat");
  if (!read) return std::nullopt;
  text = std::move(*read);
  return parse_stat_line(text);
}

// "[<0>] do_sys_poll+0x3f/0x50\n" -> "do_sys_poll+0x3f/0x50"; without kallsyms access the
// kernel prints "[<0>] 0x0": kept as it is.
std::vector<std::string> stack_frames(std::string_view text) {
  std::vector<std::string> frames;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (line.starts_with("[<")) {
      auto close = line.find(">] ");
      if (close != std::string_view::npos) line.remove_prefix(close + 3);
    }
    if (!line.empty()) frames.emplace_back(line);
    pos = end + 1;
  }
  return frames;
}

Error syscall_unreadable(pid_t pid, const Error& e) {
  Error out{e.code, fmt::format("read /proc/{}/task/TID/syscall", pid), {}, {}};
  out = explain(std::move(out), pid);
  if (out.hint.empty() && (e.code == EACCES || e.code == EPERM))
    out.hint = "reading what a thread is in needs ptrace access: run nsdebug as the process's "
               "user, or add SYS_PTRACE to the debug container";
  return out;
}

Error stack_unreadable(pid_t pid, const Error& e) {
  Error out{e.code, fmt::format("read /proc/{}/task/TID/stack", pid), {}, {}};
  if (e.code == EACCES || e.code == EPERM) {
    out.why = "permission denied: a kernel stack is shown only to CAP_SYS_ADMIN in the "
              "host's user namespace";
    out.hint = "run nsdebug as root on the node, or give the debug container SYS_ADMIN "
               "(kubectl debug --profile=sysadmin)";
  } else if (e.code == ENOENT) {
    out.why = "this kernel keeps no stack file (CONFIG_STACKTRACE is off)";
  }
  return out;
}

// The second look at one thread: everything but the CPU sample's start.
void read_thread(int dir, pid_t pid, pid_t tid, bool stacks, FdNamer& fds, ThreadInfo& t,
                 ThreadsReport& report) {
  if (auto wchan = read_task_file(dir, tid, "wchan"); wchan && *wchan != "0")
    t.wchan = std::move(*wchan);
  if (!report.syscall_error) {
    auto text = read_task_file(dir, tid, "syscall");
    if (text) {
      t.syscall = parse_syscall_line(*text);
      if (t.syscall)
        t.call = decode_syscall(*t.syscall, [&fds](int fd) { return fds.describe(fd); });
    } else if (text.error().code == EACCES || text.error().code == EPERM) {
      report.syscall_error = syscall_unreadable(pid, text.error());
    }
  }
  if (stacks && !report.stack_error) {
    auto text = read_task_file(dir, tid, "stack");
    if (text)
      t.stack = stack_frames(*text);
    else if (text.error().code != ESRCH)
      report.stack_error = stack_unreadable(pid, text.error());
  }
}

}  // namespace

Result<ThreadsReport> read_threads(const ProcessHandle& process, const ThreadsOptions& options) {
  auto dir = open_process_dir(process);
  if (!dir) return std::unexpected(dir.error());
  const pid_t pid = process.pid();
  ThreadsReport report;
  report.pid = pid;

  // The first read: each thread's ticks at the start of the sample.
  std::vector<std::pair<pid_t, std::uint64_t>> before;
  std::string text;
  auto start = Clock::now();
  for (pid_t tid : task_ids(dir->get()))
    if (auto s = read_task_stat(dir->get(), tid, text)) before.emplace_back(tid, s->utime + s->stime);
  if (before.empty()) return gone(pid);
  if (options.interval.count() > 0) std::this_thread::sleep_for(options.interval);

  auto second = Clock::now();
  report.interval = std::chrono::duration<double>(second - start).count();
  FdNamer fds(pid, dir->get());
  long hz = clock_ticks_per_second();
  std::vector<std::string> words;
  for (pid_t tid : task_ids(dir->get())) {
    auto s = read_task_stat(dir->get(), tid, text);
    if (!s) continue;  // exited during the sample
    ThreadInfo t;
    t.tid = tid;
    t.comm = std::string(s->comm);
    t.state = s->state;
    t.cpu_ticks = s->utime + s->stime;
    auto it = std::ranges::lower_bound(before, tid, {}, &std::pair<pid_t, std::uint64_t>::first);
    if (it != before.end() && it->first == tid && options.interval.count() > 0)
      t.cpu_percent = cpu_percent(it->second, t.cpu_ticks, report.interval, hz);
    if (tid == pid) report.comm = t.comm;
    read_thread(dir->get(), pid, tid, options.stacks, fds, t, report);
    words.push_back(t.syscall ? syscall_word(*t.syscall) : "?");
    report.threads.push_back(std::move(t));
  }
  // A process that exited (or whose PID was reused) during the look: nothing read is its.
  if (report.threads.empty() || process.exited()) return gone(pid);
  report.summary = summary_line(words);
  return report;
}

}  // namespace nsdebug
