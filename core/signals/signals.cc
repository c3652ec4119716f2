#include "core/signals/signals.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <csignal>

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

// "RTMIN+40", "RTMAX-99": well formed, whatever the range.
bool is_realtime_spelling(std::string_view name) {
  if (!name.starts_with("RTMIN") && !name.starts_with("RTMAX")) return false;
  std::string_view rest = name.substr(5);
  return rest.size() > 1 && (rest.front() == '+' || rest.front() == '-') &&
         number_of(rest.substr(1)).has_value();
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
  if (is_realtime_spelling(normalized(text)))
    return fail(EINVAL, what,
                fmt::format("real-time signals go from RTMIN ({}) to RTMAX ({})", r.rtmin, r.rtmax),
                fmt::format("write RTMIN+N with N at most {}, or RTMAX-N", r.rtmax - r.rtmin));
  auto close = similar_signal_names(text, r);
  std::string hint = "'nsdebug kill -l' lists them";
  if (!close.empty()) {
    std::string names;
    for (const auto& c : close) names += (names.empty() ? "" : ", ") + c;
    hint = fmt::format("did you mean {}? ({})", names, hint);
  }
  return fail(EINVAL, what, "no such signal", hint);
}

Result<int> parse_listed_signal(std::string_view text, SignalRange r) {
  constexpr int kExitBySignal = 128;  // a shell's $? for a command a signal ended
  if (auto n = number_of(text); n && *n > kExitBySignal && *n - kExitBySignal <= r.rtmax)
    return *n - kExitBySignal;
  return parse_signal(text, r);
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

}  // namespace nsdebug
