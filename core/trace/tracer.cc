#include "core/trace/tracer.h"

#include <dirent.h>
#include <fmt/format.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <ctime>
#include <optional>
#include <vector>

#include "core/signals/signals.h"
#include "core/trace/syscall_names.h"
#include "core/trace/trace_access.h"

namespace nsdebug {
namespace {

using Clock = std::chrono::steady_clock;

// A call between its entry and exit stops.
struct Pending {
  long nr = -1;
  Clock::time_point entered;
  timespec wall{};             // for -t
  std::optional<CallDecoder> call;  // decoded at entry when its line is shown
  bool counted = false;       // selected: counted in the summary
};

struct Task {
  std::optional<Pending> pending;
};

bool is_group_stop_signal(int sig) {
  return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

std::string sig_text(int sig) { return "SIG" + signal_name(sig); }

std::string si_code_text(const siginfo_t& si) {
  switch (si.si_code) {
    case SI_USER: return "SI_USER";
    case SI_KERNEL: return "SI_KERNEL";
    case SI_QUEUE: return "SI_QUEUE";
    case SI_TIMER: return "SI_TIMER";
    case SI_MESGQ: return "SI_MESGQ";
    case SI_ASYNCIO: return "SI_ASYNCIO";
    case SI_SIGIO: return "SI_SIGIO";
    case SI_TKILL: return "SI_TKILL";
    default: return std::to_string(si.si_code);
  }
}

std::string timestamp(const timespec& ts, int mode) {
  if (mode >= 3) return fmt::format("{}.{:06} ", ts.tv_sec, ts.tv_nsec / 1000);
  std::tm tm{};
  ::localtime_r(&ts.tv_sec, &tm);
  std::string hms = fmt::format("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec);
  return mode == 2 ? fmt::format("{}.{:06} ", hms, ts.tv_nsec / 1000) : hms + " ";
}

}  // namespace

struct Tracer::State {
  TraceSettings settings;
  pid_t leader = 0;
  unsigned options = 0;
  std::map<pid_t, Task> tasks;
  std::map<long, SyscallStats> stats;
  const TraceSink* sink = nullptr;
  bool sink_failed = false;

  void emit(pid_t tid, std::string_view text, const timespec* wall = nullptr) {
    if (!settings.lines || !sink || sink_failed) return;
    std::string line;
    if (tasks.size() > 1 || tid != leader) line = fmt::format("[pid {:>5}] ", tid);
    if (settings.timestamps > 0) {
      timespec now{};
      if (!wall) ::clock_gettime(CLOCK_REALTIME, &now);
      line += timestamp(wall ? *wall : now, settings.timestamps);
    }
    line += text;
    if (!(*sink)(line)) sink_failed = true;
  }

  static void resume(pid_t tid, int sig) { ::ptrace(PTRACE_SYSCALL, tid, 0, sig); }

  void on_entry(pid_t tid, Task& t, const __ptrace_syscall_info& info) {
    Pending p;
    p.nr = static_cast<long>(info.entry.nr);
    p.counted = settings.selection.shows(p.nr);
    if (settings.timestamps > 0) ::clock_gettime(CLOCK_REALTIME, &p.wall);
    if (p.counted && settings.lines) {
      SyscallArgs args;
      std::copy(std::begin(info.entry.args), std::end(info.entry.args), args.begin());
      p.call.emplace(tid, p.nr, args, settings.decode);
      // exit and exit_group never return: their line is written now, as strace's "= ?".
      if (p.call->name() == "exit" || p.call->name() == "exit_group") {
        emit(tid, p.call->unfinished(), &p.wall);
        ++stats[p.nr].calls;
        return;
      }
    }
    p.entered = Clock::now();
    t.pending = std::move(p);
  }

  void on_exit(pid_t tid, Task& t, const __ptrace_syscall_info& info) {
    if (!t.pending) return;  // attached in the middle of the call
    Pending& p = *t.pending;
    auto spent = Clock::now() - p.entered;
    if (p.counted) {
      auto& s = stats[p.nr];
      ++s.calls;
      s.errors += info.exit.is_error ? 1 : 0;
      s.time += std::chrono::duration_cast<std::chrono::nanoseconds>(spent);
    }
    if (p.call) {
      std::string line = p.call->finish(info.exit.rval, info.exit.is_error != 0);
      if (settings.durations)
        line += fmt::format(" <{:.6f}>", std::chrono::duration<double>(spent).count());
      emit(tid, line, &p.wall);
    }
    t.pending.reset();
  }

  void on_syscall_stop(pid_t tid, Task& t) {
    __ptrace_syscall_info info{};
    if (::ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) <= 0) return;
    if (info.op == PTRACE_SYSCALL_INFO_ENTRY) on_entry(tid, t, info);
    if (info.op == PTRACE_SYSCALL_INFO_EXIT) on_exit(tid, t, info);
  }

  void on_signal(pid_t tid, int sig) {
    siginfo_t si{};
    if (::ptrace(PTRACE_GETSIGINFO, tid, 0, &si) != 0) {
      emit(tid, fmt::format("--- {} ---", sig_text(sig)));
      return;
    }
    std::string detail = fmt::format("si_signo={}, si_code={}", sig_text(sig), si_code_text(si));
    if (si.si_code <= 0)  // sent by a process: who
      detail += fmt::format(", si_pid={}, si_uid={}", si.si_pid, si.si_uid);
    emit(tid, fmt::format("--- {} {{{}}} ---", sig_text(sig), detail));
  }

  // A task that was stopped or ended; false when it is not ours.
  void on_wait(pid_t tid, int status) {
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      if (!tasks.contains(tid)) return;
      if (WIFEXITED(status))
        emit(tid, fmt::format("+++ exited with {} +++", WEXITSTATUS(status)));
      else
        emit(tid, fmt::format("+++ killed by {}{} +++", sig_text(WTERMSIG(status)),
                              WCOREDUMP(status) ? " (core dumped)" : ""));
      tasks.erase(tid);
      return;
    }
    if (!WIFSTOPPED(status)) return;
    // A new child may report before its parent's clone event: it is ours all the same.
    Task& t = tasks[tid];
    int sig = WSTOPSIG(status);
    int event = status >> 16;
    if (sig == (SIGTRAP | 0x80)) {
      on_syscall_stop(tid, t);
      return resume(tid, 0);
    }
    switch (event) {
      case 0:  // signal-delivery-stop: shown, and delivered as it was going to be
        on_signal(tid, sig);
        return resume(tid, sig);
      case PTRACE_EVENT_STOP:
        if (is_group_stop_signal(sig)) {
          emit(tid, fmt::format("--- stopped by {} ---", sig_text(sig)));
          // Stays stopped, as it would untraced, and we hear of the SIGCONT that ends it.
          ::ptrace(PTRACE_LISTEN, tid, 0, 0);
          return;
        }
        return resume(tid, 0);  // our PTRACE_INTERRUPT, or a new child's first stop
      case PTRACE_EVENT_CLONE:
      case PTRACE_EVENT_FORK:
      case PTRACE_EVENT_VFORK: {
        unsigned long child = 0;
        if (::ptrace(PTRACE_GETEVENTMSG, tid, 0, &child) == 0)
          tasks.try_emplace(static_cast<pid_t>(child));
        return resume(tid, 0);
      }
      case PTRACE_EVENT_EXEC: {
        // A thread other than the leader that execs takes the leader's TID: its call goes on.
        unsigned long former = 0;
        if (::ptrace(PTRACE_GETEVENTMSG, tid, 0, &former) == 0 &&
            static_cast<pid_t>(former) != tid) {
          auto it = tasks.find(static_cast<pid_t>(former));
          if (it != tasks.end()) {
            t.pending = std::move(it->second.pending);
            tasks.erase(it);
          }
        }
        return resume(tid, 0);
      }
      default: return resume(tid, 0);
    }
  }

  bool seize(pid_t tid) { return ::ptrace(PTRACE_SEIZE, tid, 0, options) == 0; }

  // Every thread of the leader, until a pass finds none new (threads made meanwhile by a
  // thread already seized are attached by the kernel: PTRACE_O_TRACECLONE).
  void seize_threads() {
    for (bool found = true; found;) {
      found = false;
      DIR* d = ::opendir(fmt::format("/proc/{}/task", leader).c_str());
      if (!d) return;
      while (dirent* e = ::readdir(d)) {
        pid_t tid = static_cast<pid_t>(std::atol(e->d_name));
        if (tid <= 0 || tasks.contains(tid)) continue;
        if (seize(tid)) {
          tasks.try_emplace(tid);
          found = true;
        }
      }
      ::closedir(d);
    }
  }

  void detach_all() {
    if (tasks.empty()) return;
    // Each must be in a stop to be detached: interrupt them all, then detach each as it stops,
    // passing on a signal caught at its delivery stop.
    for (const auto& [tid, _] : tasks) ::ptrace(PTRACE_INTERRUPT, tid, 0, 0);
    while (!tasks.empty()) {
      int status = 0;
      pid_t tid = ::waitpid(-1, &status, __WALL);
      if (tid < 0) {
        if (errno == EINTR) continue;
        break;  // ECHILD: none left to wait for
      }
      if (WIFEXITED(status) || WIFSIGNALED(status)) {
        tasks.erase(tid);
        continue;
      }
      if (!WIFSTOPPED(status)) continue;
      int sig = WSTOPSIG(status);
      int inject = (status >> 16) == 0 && sig != (SIGTRAP | 0x80) ? sig : 0;
      // A child auto-attached at this moment is not listed: detached all the same.
      ::ptrace(PTRACE_DETACH, tid, 0, inject);
      tasks.erase(tid);
    }
    tasks.clear();
  }
};

Tracer::Tracer(std::unique_ptr<State> state) : state_(std::move(state)) {}
Tracer::Tracer(Tracer&&) noexcept = default;

Tracer::~Tracer() {
  if (state_) state_->detach_all();
}

Result<Tracer> Tracer::attach(const ProcessHandle& target, TraceSettings settings) {
  auto s = std::make_unique<State>();
  s->settings = std::move(settings);
  s->leader = target.pid();
  // No PTRACE_O_EXITKILL: a tracer that dies must leave its tracees running, not killed.
  s->options = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC;
  if (s->settings.follow)
    s->options |= PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;
  if (target.exited())
    return fail(ESRCH, fmt::format("trace {}", target.pid()), "it exited");
  if (!s->seize(s->leader)) return std::unexpected(explain_trace_failure(errno, s->leader));
  s->tasks.try_emplace(s->leader);
  Tracer tracer(std::move(s));
  // The PID may have been reused between the handle's opening and the seize: the handle still
  // names the process the user chose, and says it is gone.
  if (target.exited()) {
    tracer.detach();
    return fail(ESRCH, fmt::format("trace {}", target.pid()), "it exited");
  }
  if (tracer.state_->settings.follow) tracer.state_->seize_threads();
  // Seized tasks run on; an interrupt stops each once, where it is resumed into syscall stops.
  for (const auto& [tid, _] : tracer.state_->tasks) ::ptrace(PTRACE_INTERRUPT, tid, 0, 0);
  return tracer;
}

Tracer::End Tracer::run(const TraceSink& sink, const TraceStop& stop) {
  State& s = *state_;
  s.sink = &sink;
  while (!s.tasks.empty()) {
    if (stop.requested() != 0) {
      detach();
      return End::stopped;
    }
    if (s.sink_failed) {
      detach();
      return End::output_failed;
    }
    int status = 0;
    pid_t tid = ::waitpid(-1, &status, __WALL);
    if (tid < 0) {
      if (errno == EINTR) continue;
      s.tasks.clear();  // ECHILD: nothing is traced any more
      break;
    }
    if (tid == stop.waker()) continue;  // the stop signal's wake-up: checked above
    s.on_wait(tid, status);
  }
  s.sink = nullptr;
  return End::exited;
}

void Tracer::detach() { state_->detach_all(); }

const std::map<long, SyscallStats>& Tracer::stats() const { return state_->stats; }

pid_t Tracer::pid() const { return state_->leader; }

std::string summary_table(const std::map<long, SyscallStats>& stats) {
  std::vector<std::pair<long, SyscallStats>> rows(stats.begin(), stats.end());
  std::ranges::stable_sort(rows, [](const auto& a, const auto& b) {
    return a.second.time != b.second.time ? a.second.time > b.second.time
                                          : a.second.calls > b.second.calls;
  });
  SyscallStats total;
  for (const auto& [_, s] : rows) {
    total.calls += s.calls;
    total.errors += s.errors;
    total.time += s.time;
  }
  auto seconds = [](std::chrono::nanoseconds ns) { return static_cast<double>(ns.count()) / 1e9; };
  const char* rule =
      "------ ----------- ----------- --------- --------- ----------------\n";
  std::string out = "% time     seconds  usecs/call     calls    errors syscall\n";
  out += rule;
  for (const auto& [nr, s] : rows) {
    double share = total.time.count() > 0 ? 100.0 * static_cast<double>(s.time.count()) /
                                                static_cast<double>(total.time.count())
                                          : 0.0;
    auto per_call = s.calls ? s.time.count() / 1000 / static_cast<long>(s.calls) : 0;
    std::string name(syscall_name(nr));
    if (name.empty()) name = fmt::format("syscall_{:#x}", nr);
    out += fmt::format("{:6.2f} {:11.6f} {:11} {:9} {:>9} {}\n", share, seconds(s.time),
                       per_call, s.calls, s.errors ? std::to_string(s.errors) : "", name);
  }
  out += rule;
  out += fmt::format("{:6.2f} {:11.6f} {:11} {:9} {:>9} total\n", total.calls ? 100.0 : 0.0,
                     seconds(total.time), "", total.calls,
                     total.errors ? std::to_string(total.errors) : "");
  return out;
}

}  // namespace nsdebug
