#include "core/signals.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/capability.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <csignal>
#include <sstream>

#include "core/proc_parse.h"
#include "core/procfs.h"
#include "core/sys.h"

namespace nsdebug {
namespace {

struct NamedSignal {
  std::string_view name;
  int number;
};

// kill -l's names, in Linux's numbering (the macros keep it right on every architecture).
constexpr NamedSignal kNames[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},       {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT},     {"BUS", SIGBUS},   {"FPE", SIGFPE},
    {"KILL", SIGKILL},     {"USR1", SIGUSR1},     {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE},     {"ALRM", SIGALRM},     {"TERM", SIGTERM},
#ifdef SIGSTKFLT
    {"STKFLT", SIGSTKFLT},
#endif
    {"CHLD", SIGCHLD},     {"CONT", SIGCONT},     {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN},     {"TTOU", SIGTTOU},     {"URG", SIGURG},   {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ},     {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
    {"POLL", SIGPOLL},     {"PWR", SIGPWR},       {"SYS", SIGSYS},
};
// Accepted, never printed: other spellings kill(1) and bash accept.
constexpr NamedSignal kAliases[] = {{"IOT", SIGABRT}, {"IO", SIGIO}, {"CLD", SIGCHLD}};

std::string normalized(std::string_view text) {
  std::string s(text);
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (s.starts_with("SIG")) s.erase(0, 3);
  return s;
}

std::optional<int> number_of(std::string_view digits) {
  int n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
    return std::nullopt;
  return n;
}

// "RTMIN", "RTMIN+3", "RTMAX-1", "RTMAX"; out of range is nullopt.
std::optional<int> realtime_number(std::string_view name, SignalRange r) {
  bool min = name.starts_with("RTMIN"), max = name.starts_with("RTMAX");
  if (!min && !max) return std::nullopt;
  std::string_view rest = name.substr(5);
  int n = min ? r.rtmin : r.rtmax;
  if (!rest.empty()) {
    auto k = number_of(rest.substr(1));
    if (!k || rest.front() != (min ? '+' : '-')) return std::nullopt;
    n = min ? n + *k : n - *k;
  }
  if (n < r.rtmin || n > r.rtmax) return std::nullopt;
  return n;
}

std::optional<int> number_of_name(std::string_view name, SignalRange r) {
  using Table = std::span<const NamedSignal>;
  for (Table table : {Table(kNames), Table(kAliases)})
    for (const auto& s : table)
      if (s.name == name) return s.number;
  return realtime_number(name, r);
}

// Optimal string alignment distance: a swapped pair ("TREM") counts as one edit.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

SignalRange host_signal_range() { return {SIGRTMIN, SIGRTMAX}; }

std::string signal_name(int sig, SignalRange r) {
  for (const auto& s : kNames)
    if (s.number == sig) return std::string(s.name);
  if (sig == r.rtmin) return "RTMIN";
  if (sig == r.rtmax) return "RTMAX";
  // Split as bash does: the lower half counts up from RTMIN, the upper half down from RTMAX.
  if (sig > r.rtmin && sig < r.rtmax)
    return sig - r.rtmin <= (r.rtmax - r.rtmin) / 2 ? fmt::format("RTMIN+{}", sig - r.rtmin)
                                                    : fmt::format("RTMAX-{}", r.rtmax - sig);
  return std::to_string(sig);
}

std::vector<int> listed_signals(SignalRange r) {
  std::vector<int> out;
  for (const auto& s : kNames) out.push_back(s.number);
  for (int n = r.rtmin; n <= r.rtmax; ++n) out.push_back(n);
  std::ranges::sort(out);
  return out;
}

Result<int> parse_signal(std::string_view text, SignalRange r) {
  std::string what = fmt::format("signal '{}'", text);
  if (auto n = number_of(text)) {
    // 0 sends nothing: it checks that the process exists and that we may signal it.
    if (*n >= 0 && *n <= r.rtmax) return *n;
    return fail(EINVAL, what, fmt::format("signal numbers go from 0 to {}", r.rtmax),
                "'nsdebug kill -L' lists them with their numbers");
  }
  if (auto n = number_of_name(normalized(text), r)) return *n;
  auto close = similar_signal_names(text, r);
  std::string hint = "'nsdebug kill -l' lists them";
  if (!close.empty()) {
    std::string names;
    for (const auto& c : close) names += (names.empty() ? "" : ", ") + c;
    hint = fmt::format("did you mean {}? ({})", names, hint);
  }
  return fail(EINVAL, what, "no such signal", hint);
}

std::vector<std::string> similar_signal_names(std::string_view text, SignalRange r) {
  std::string want = normalized(text);
  // RTMIN+N / RTMAX-N: match the base name, keep the offset when it is in range.
  std::string suffix;
  if (auto at = want.find_first_of("+-"); at != std::string::npos && at > 0) {
    suffix = want.substr(at);
    want.resize(at);
  }
  std::vector<std::pair<std::size_t, std::string>> scored;
  auto consider = [&](std::string_view name) {
    std::size_t limit = want.size() <= 3 ? 1 : 2;
    bool prefix = !want.empty() && name.starts_with(want);
    std::size_t d = prefix ? 0 : edit_distance(want, name);
    std::string full = std::string(name) + suffix;
    if (d <= limit && (suffix.empty() || realtime_number(full, r))) scored.emplace_back(d, full);
  };
  for (const auto& s : kNames) consider(s.name);
  for (const auto& s : kAliases) consider(s.name);
  consider("RTMIN");
  consider("RTMAX");
  std::ranges::stable_sort(scored, {}, &std::pair<std::size_t, std::string>::first);
  std::vector<std::string> out;
  for (auto& [d, name] : scored) out.push_back(std::move(name));
  return out;
}

std::optional<StatFields> parse_stat(std::string_view text) {
  // comm may hold spaces and parentheses: the fields start after the last ')'.
  auto close = text.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  std::istringstream in{std::string(text.substr(close + 1))};
  StatFields f;
  in >> f.state >> f.ppid;  // fields 3 and 4 of proc(5)
  std::string skipped;
  for (int field = 5; field < 22 && in; ++field) in >> skipped;
  in >> f.start_ticks;  // field 22
  if (!in) return std::nullopt;
  return f;
}

std::optional<SignalMasks> parse_signal_masks(std::string_view text) {
  SignalMasks m;
  int found = 0;
  while (!text.empty()) {
    auto nl = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(std::min(nl + 1, text.size()));
    std::uint64_t* into = line.starts_with("SigIgn:")   ? &m.ignored
                          : line.starts_with("SigCgt:") ? &m.caught
                                                        : nullptr;
    if (!into) continue;
    line.remove_prefix(7);
    line.remove_prefix(std::min(line.find_first_not_of(" \t"), line.size()));
    auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), *into, 16);
    if (ec != std::errc()) return std::nullopt;
    ++found;
  }
  if (found != 2) return std::nullopt;
  return m;
}

// ---- guards -------------------------------------------------------------------

GuardReason guard_reason(const GuardFacts& f) {
  if (f.pid == f.self) return GuardReason::self;
  if (f.sandbox) return GuardReason::sandbox;
  if (f.pid == 1) return GuardReason::init;
  if (std::ranges::find(f.ancestors, f.pid) != f.ancestors.end()) return GuardReason::ancestor;
  return GuardReason::none;
}

bool init_receives(int sig, const SignalMasks& m, bool from_ancestor_namespace) {
  if (sig <= 0 || sig > 64) return sig == 0;
  std::uint64_t bit = std::uint64_t{1} << (sig - 1);
  if (m.ignored & bit) return false;
  if (m.caught & bit) return true;
  return from_ancestor_namespace && (sig == SIGKILL || sig == SIGSTOP);
}

namespace {

// What the signal would do to a namespace's init, given what it would do if it arrived.
std::string init_effect(const GuardCase& c, std::string_view effect) {
  std::string sig = signal_name(c.sig);
  if (!c.delivered)
    return fmt::format(
        "{} if it handles {}; as the namespace's init it only receives the "
        "signals it handles (KILL and STOP sent from inside are dropped)",
        effect, sig);
  if (!*c.delivered)
    return fmt::format(
        "it has no handler for {}, and the namespace's init only receives the "
        "signals it handles: the kernel would drop it",
        sig);
  return fmt::format("it handles {}: {}", sig, effect);
}

}  // namespace

Error guard_refusal(const GuardCase& c) {
  std::string what = fmt::format("kill -{} {}", signal_name(c.sig), c.pid);
  constexpr const char* kForce = "--force sends it anyway";
  switch (c.reason) {
    case GuardReason::self:
      return {EPERM, what, "that is this nsdebug process", kForce};
    case GuardReason::ancestor:
      return {EPERM, what,
              "that process started this nsdebug (your shell, or one of its parents): "
              "signalling it can end your session",
              kForce};
    case GuardReason::sandbox:
      return {EPERM, what,
              fmt::format("PID {} is the pod sandbox (pause), which holds the pod's namespaces; "
                          "{}",
                          c.pid,
                          init_effect(c,
                                      "it would exit, ending the pod sandbox and every "
                                      "container with it")),
              fmt::format("to restart a container, signal its main process ('nsdebug "
                          "containers' shows it); {}",
                          kForce)};
    case GuardReason::init:
      return {EPERM, what,
              fmt::format("PID 1 is not a pod sandbox here but the main process of container "
                          "'{}' (as an ephemeral container sees it); {}",
                          c.container, init_effect(c, "signalling it stops that container")),
              kForce};
    case GuardReason::none:
      break;
  }
  return {0, what, "not guarded", {}};
}

Error explain_kill_denied(Error e, const Credentials& self, const Credentials& t) {
  constexpr std::uint64_t kCapKill = std::uint64_t{1} << CAP_KILL;
  bool uid_match =
      self.ruid == t.ruid || self.ruid == t.suid || self.euid == t.ruid || self.euid == t.suid;
  if (self.cap_eff & kCapKill) {
    e.why =
        "denied although nsdebug holds CAP_KILL: the process is in another user namespace, "
        "or a security module (AppArmor, SELinux) forbids it";
    e.hint = "run nsdebug in the target's user namespace, or check the security profile";
  } else if (!uid_match) {
    e.why = fmt::format(
        "it runs as uid {} (real {}, saved {}) and nsdebug as uid {} (real {}), "
        "without CAP_KILL; kill needs CAP_KILL or a matching uid",
        t.euid, t.ruid, t.suid, self.euid, self.ruid);
    e.hint = fmt::format(
        "add KILL to the debug container (securityContext.capabilities.add: "
        "[KILL]) or run it as uid {} (securityContext.runAsUser: {}); "
        "CAP_SYS_PTRACE does not help: that is what reading another "
        "container's files needs, not kill, so a sidecar can often kill what "
        "it cannot read",
        t.ruid, t.ruid);
  } else {
    e.why =
        "its uid matches nsdebug's, yet the kernel refused: a security module (AppArmor, "
        "SELinux) forbids it";
    e.hint = "check the debug container's security profile";
  }
  return e;
}

namespace {

std::optional<Credentials> credentials_of(const char* pid_dir) {
  auto text = read_small_file(AT_FDCWD, fmt::format("/proc/{}/status", pid_dir).c_str());
  if (!text) return std::nullopt;
  auto s = parse_status(*text);
  if (!s) return std::nullopt;
  return Credentials{s->ruid, s->euid, s->suid,  s->fsuid,   s->rgid,
                     s->egid, s->sgid, s->fsgid, s->cap_eff, s->cap_prm};
}

}  // namespace

Error explain_kill_denied(Error e, pid_t target) {
  auto self = credentials_of("self");
  auto t = credentials_of(std::to_string(target).c_str());
  if (!self || !t) return e;
  return explain_kill_denied(std::move(e), *self, *t);
}

// ---- handles ------------------------------------------------------------------

namespace {

std::optional<StatFields> stat_of(pid_t pid) {
  auto text = read_proc_file(pid, "stat");
  return text ? parse_stat(*text) : std::nullopt;
}

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
  auto stat = stat_of(pid);
  if (!stat) return gone(pid, "it has exited");
  if (stat->start_ticks != start_ticks)
    return gone(pid, "it has exited, and its PID now names another process, which was spared");
  return ProcessHandle(std::move(*fd), pid, start_ticks);
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
  auto stat = stat_of(pid_);
  if (stat && stat->start_ticks == start_ticks_ && stat->state == 'Z')
    return gone(pid_,
                fmt::format("it has exited: a zombie until its parent (PID {}) reaps it, which "
                            "no signal can change",
                            stat->ppid),
                "a zombie holds nothing but its PID; if they pile up, its parent is not "
                "calling wait()");
  return gone(pid_, "it has exited");
}

bool ProcessHandle::wait_exit(std::optional<std::chrono::milliseconds> timeout) const {
  const ProcessHandle* self = this;
  return wait_for_exit(std::span(&self, 1), timeout).empty();
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

bool proc_matches_our_pid_namespace() {
  char buf[32];
  ssize_t n = ::readlink("/proc/self", buf, sizeof buf - 1);
  if (n <= 0) return false;
  return std::string_view(buf, static_cast<std::size_t>(n)) == std::to_string(::getpid());
}

}  // namespace nsdebug
