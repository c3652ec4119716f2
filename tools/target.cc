#include "tools/target.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "core/proc/access.h"
#include "core/diagnosis/doctor.h"
#include "core/proc/process_handle.h"
#include "core/proc/procfs.h"
#include "core/pod/snapshot.h"

namespace nsdebug::cli {
namespace {

constexpr const char* kTargetHint =
    "write TARGET:PATH, TARGET a pod PID or a container name (see 'nsdebug containers'), "
    "e.g. nginx:/etc/nginx/nginx.conf";

bool all_digits(std::string_view s) {
  return !s.empty() && std::ranges::all_of(s, [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

// A PID that exists but has nothing to look into: a zombie (its root, cwd and environ are
// gone) or a kernel thread (its root is the kernel's, not a container's).
Result<pid_t> check_lookable(pid_t pid) {
  auto stat = read_proc_file(pid, "stat");
  auto fields = stat ? parse_stat(*stat) : std::nullopt;
  if (!fields) return pid;  // gone since: the open that follows says so
  std::string what = fmt::format("PID {}", pid);
  if (fields->state == 'Z')
    return fail(ESRCH, what, "a zombie: it has exited; its files and environment are gone",
                fmt::format("its parent, PID {}, has not reaped it yet", fields->ppid));
  auto cmdline = read_proc_file(pid, "cmdline");
  if (cmdline && cmdline->empty() && (fields->ppid == 2 || pid == 2))
    return fail(EINVAL, what, "a kernel thread: it has no files or environment of its own",
                "name a process of the pod; 'nsdebug ps' lists them");
  return pid;
}

}  // namespace

Result<Target> parse_target(std::string_view text) {
  if (text.empty()) return fail(EINVAL, "target ''", "empty target", kTargetHint);
  if (text.find_first_of("/:") != std::string_view::npos)
    return fail(EINVAL, fmt::format("target '{}'", text),
                "a target is a PID or a container name", kTargetHint);
  // "-5": a negative PID (a process group to kill(1)); no container name starts with '-'.
  if (text.front() == '-')
    return fail(EINVAL, fmt::format("target '{}'", text), "not a valid PID", kTargetHint);
  Target t{std::string(text), 0};
  if (all_digits(text)) {
    int pid = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
    if (ec != std::errc() || end != text.data() + text.size() || pid <= 0)
      return fail(EINVAL, fmt::format("target '{}'", text), "not a valid PID", kTargetHint);
    t.pid = pid;
  }
  return t;
}

Result<TargetPath> parse_target_path(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos)
    return fail(EINVAL, fmt::format("'{}'", text), "no TARGET: before the path", kTargetHint);
  auto target = parse_target(text.substr(0, colon));
  if (!target) return std::unexpected(target.error());
  auto path = text.substr(colon + 1);
  if (path.empty())
    return fail(EINVAL, fmt::format("'{}'", text), "empty path", kTargetHint);
  return TargetPath{std::move(*target), std::string(path)};
}

Result<ProcessHandle> resolve_target(const Target& t) {
  if (t.pid > 0) {
    auto h = ProcessHandle::open_current(t.pid);
    if (h) {
      if (auto ok = check_lookable(t.pid); !ok) return std::unexpected(ok.error());
      return h;
    }
    if (h.error().code != ESRCH) return h;
    // A zombie holds its PID but counts as exited: say which it is.
    if (auto ok = check_lookable(t.pid); !ok) return std::unexpected(ok.error());
    auto snapshot = take_snapshot();
    if (!snapshot) return std::unexpected(snapshot.error());  // no /proc: every PID is "gone"
    return fail(ESRCH, fmt::format("PID {}", t.pid), why_not_listed(t.pid),
                add_where_hint("see 'nsdebug ps'", *snapshot));
  }
  auto snapshot = take_snapshot();
  if (!snapshot) return std::unexpected(snapshot.error());
  std::string names, pids;
  std::vector<pid_t> matches;
  for (const auto& c : snapshot->containers) {
    if (c.name == t.name) {
      matches.push_back(c.main_pid);
      pids += fmt::format("{}{}", pids.empty() ? "" : ", ", c.main_pid);
    }
    names += names.empty() ? c.name : ", " + c.name;
  }
  if (matches.size() == 1) {
    const Process* main = snapshot->find(matches.front());
    return ProcessHandle::open(matches.front(), main ? main->start_ticks : 0);
  }
  // Grouping makes names unique (core/containers/container.cc); should two ever match, never guess.
  if (matches.size() > 1)
    return fail(EINVAL, fmt::format("container '{}'", t.name),
                fmt::format("ambiguous: {} containers have that name (main PIDs {})",
                            matches.size(), pids),
                fmt::format("name one by its PID, e.g. {}:/etc/hostname", matches.front()));
  return fail(ENOENT, fmt::format("container '{}'", t.name), "no such container",
              add_where_hint(fmt::format("containers here: {}", names), *snapshot));
}

}  // namespace nsdebug::cli
