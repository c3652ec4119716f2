#include "tools/kill_args.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <csignal>

#include "core/proc/procfs.h"
#include "core/signals/signals.h"

namespace nsdebug::cli {
namespace {

using std::chrono::milliseconds;

constexpr double kMaxSeconds = 1e9;  // longer is "for ever", and still fits in milliseconds

std::unexpected<Error> usage(std::string what, std::string why, std::string hint = {}) {
  return fail(0, std::move(what), std::move(why), std::move(hint));
}

bool after_dashes(const KillOptions& o, std::size_t i) {
  return o.args_before_dashes && i >= *o.args_before_dashes;
}

// The signal may come as -s NAME, as "-NAME" (an extra to CLI11) or "-9" (a positional
// before "--"; after it, "-9" is a process group, as kill(1) reads it).
Result<std::optional<std::string>> signal_spec(const KillOptions& o) {
  std::vector<std::string> specs;
  if (!o.signal.empty()) specs.push_back(o.signal);
  for (const auto& a : o.extras) {
    if (a == "--") continue;
    if (a.starts_with("--") || a.size() < 2 || a[0] != '-')
      return usage(fmt::format("kill {}", a), "unknown option", "see 'nsdebug kill --help'");
    specs.push_back(a.substr(1));
  }
  for (std::size_t i = 0; i < o.args.size(); ++i)
    if (o.args[i].size() > 1 && o.args[i][0] == '-' && !after_dashes(o, i))
      specs.push_back(o.args[i].substr(1));
  if (specs.size() > 1)
    return usage("kill", fmt::format("two signals given ({} and {})", specs[0], specs[1]),
                 "give one, as -s NAME, -NAME or -NUMBER");
  if (specs.empty()) return std::nullopt;
  return specs.front();
}

Result<pid_t> pid_arg(const std::string& text) {
  pid_t pid = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (ec != std::errc() || end != text.data() + text.size())
    return usage(fmt::format("kill {}", text), "not a process ID",
                 "targets are PIDs as 'nsdebug ps' shows them; -n PATTERN selects by command "
                 "line, -c NAME by container");
  if (pid == -1)
    return usage(fmt::format("kill {}", text),
                 "-1 means every process nsdebug may signal, which it does not do",
                 "name the processes, or select them with -n PATTERN or -c CONTAINER");
  if (pid <= 0)
    return usage(fmt::format("kill {}", text), "process groups are not supported",
                 "name the processes, or select them with -n PATTERN or -c CONTAINER");
  // PIDs stay below kernel.pid_max: a larger one is a typo, not a process that exited.
  if (auto max = pid_max(); max && pid >= *max)
    return usage(fmt::format("kill {}", text),
                 fmt::format("beyond pid_max: PIDs here go up to {}", *max - 1),
                 "targets are PIDs as 'nsdebug ps' shows them");
  return pid;
}

}  // namespace

Result<milliseconds> seconds_arg(std::string_view option, const std::string& text) {
  double s = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), s);
  std::string what = fmt::format("{} {}", option, text);
  std::string hint = fmt::format("write {}=SECONDS, e.g. {}=5 or {}=0.5", option, option, option);
  bool whole = end == text.data() + text.size() && !text.empty();
  if (ec == std::errc::result_out_of_range && whole)
    return usage(what, "too large a number of seconds", hint);
  if (ec != std::errc() || !whole || std::isnan(s))
    return usage(what, "not a number of seconds", hint);
  // An infinite grace would never escalate: a TERM-ignoring process would be waited for ever.
  if (std::isinf(s))
    return usage(what, "not a finite number of seconds",
                 option == "--wait" ? "a bare --wait waits until they exit" : hint);
  if (s < 0) return usage(what, "a negative number of seconds", hint);
  return milliseconds(static_cast<long long>(std::min(s, kMaxSeconds) * 1000));
}

Result<KillRequest> make_request(const KillOptions& o) {
  KillRequest rq;
  auto spec = signal_spec(o);
  if (!spec) return std::unexpected(spec.error());
  if (*spec) {
    auto sig = parse_signal(**spec);
    if (!sig) return std::unexpected(sig.error());
    rq.sig = *sig;
  }
  for (std::size_t i = 0; i < o.args.size(); ++i) {
    const auto& a = o.args[i];
    if (a.size() > 1 && a[0] == '-' && !after_dashes(o, i)) continue;
    auto pid = pid_arg(a);
    if (!pid) return std::unexpected(pid.error());
    rq.pids.push_back(*pid);
  }
  if (rq.pids.empty() && o.filter.patterns.empty() && o.filter.containers.empty())
    return usage("kill", "no process given",
                 "name PIDs, or select with -n PATTERN or -c CONTAINER");
  rq.wait = !o.wait.empty() || !o.timeout.empty();
  if (!o.wait.empty() && o.wait != "true") {  // a bare --wait reads as "true"
    auto limit = seconds_arg("--wait", o.wait);
    if (!limit) return std::unexpected(limit.error());
    rq.wait_limit = *limit;
  }
  if (!o.timeout.empty()) {
    auto t = seconds_arg("--timeout", o.timeout);
    if (!t) return std::unexpected(t.error());
    rq.timeout = *t;
  }
  return rq;
}

void note_dashes(CLI::App& sub, CLI::Option& pid, KillOptions& o) {
  sub.validate_positionals();
  CLI::App* app = &sub;
  CLI::Option* opt = &pid;
  KillOptions* opts = &o;
  // Run as each word is parsed (validate_positionals), and again once parsing is done, when
  // "--" given after the last PID is seen with every PID counted before it.
  pid.check(CLI::Validator(
      [app, opt, opts](std::string&) {
        auto rest = app->remaining();
        if (!opts->args_before_dashes && std::ranges::find(rest, "--") != rest.end())
          opts->args_before_dashes = opt->count();
        return std::string();
      },
      ""));
}

}  // namespace nsdebug::cli
