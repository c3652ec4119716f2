// nsdebug trace: a live system call trace of a pod's process through ptrace, as strace -p
// gives it, for images that hold no strace. The tracing is core/trace/tracer.h's; here are the
// options, the guards and where the lines go.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "core/net/fd_target.h"
#include "core/pod/snapshot.h"
#include "core/pod/target.h"
#include "core/containers/container.h"
#include "core/trace/trace_stop.h"
#include "core/trace/tracer.h"
#include "tools/command.h"
#include "tools/output.h"

namespace nsdebug::cli {
namespace {

struct TraceOptions {
  std::string pid;
  std::string container;
  bool follow = false;
  std::vector<std::string> expressions;  // -e, each a comma list
  int string_limit = 32;
  bool durations = false;
  int timestamps = 0;
  bool summary = false;
  std::string output;
  bool force = false;
};

Result<TargetRef> target_of(const TraceOptions& o) {
  if (o.pid.empty() == o.container.empty())
    return fail(EINVAL, "trace", o.pid.empty() ? "no process named" : "both a PID and -c given",
                "nsdebug trace PID, or nsdebug trace -c CONTAINER");
  if (!o.container.empty()) return TargetRef{o.container, 0};
  char* end = nullptr;
  long pid = std::strtol(o.pid.c_str(), &end, 10);
  if (*end != '\0' || pid <= 0 || pid > 0x3fffffff)
    return fail(EINVAL, fmt::format("trace '{}'", o.pid), "not a PID",
                "a container is named with -c: nsdebug trace -c CONTAINER");
  return TargetRef{o.pid, static_cast<pid_t>(pid)};
}

Result<SyscallSelection> selection_of(const TraceOptions& o) {
  std::string spec;
  for (const auto& e : o.expressions) {
    std::string_view word = e;
    if (word.starts_with("trace=")) word.remove_prefix(6);
    spec += (spec.empty() ? "" : ",") + std::string(word);
  }
  if (spec.empty()) return SyscallSelection{};
  return SyscallSelection::parse(spec);
}

// nsdebug itself cannot be traced by itself (the kernel refuses), and stopping the pod
// sandbox's pause, which holds the pod's namespaces, only changes timing that matters.
std::optional<Error> guard_refusal(pid_t pid, bool force) {
  if (pid == ::getpid())
    return Error{EINVAL, fmt::format("trace {}", pid), "that is nsdebug itself",
                 "name another process ('nsdebug ps' lists them)"};
  if (force) return std::nullopt;
  auto s = take_snapshot();
  if (!s) return std::nullopt;
  const Process* p = s->find(pid);
  const Container* c = p ? s->container_of(*p) : nullptr;
  if (c && c->sandbox)
    return Error{EPERM, fmt::format("trace {}", pid),
                 "it is the pod sandbox (pause), which holds the pod's namespaces",
                 "--force traces it all the same"};
  return std::nullopt;
}

// A path is its link, read with one readlink; a socket, an epoll set and their kin are worded
// by core/net (addresses, peers), which costs a look at the socket table each time, since a
// socket's addresses change as the trace runs (connect, accept).
std::string name_descriptor(pid_t pid, int fd) {
  char link[4096];
  std::string at = fmt::format("/proc/{}/fd/{}", pid, fd);
  ssize_t n = ::readlink(at.c_str(), link, sizeof link);
  if (n <= 0) return {};
  std::string_view text(link, static_cast<std::size_t>(n));
  if (text.starts_with('/') && static_cast<std::size_t>(n) < sizeof link) return std::string(text);
  return describe_fd(pid, fd);
}

// Where the lines go: stdout, or the -o file (created, or emptied).
struct Output {
  std::FILE* file = stdout;
  ~Output() {
    if (file && file != stdout) std::fclose(file);
  }
};

Result<void> open_output(const std::string& path, Output& out) {
  if (path.empty()) return {};
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail_errno("trace -o " + path);
  out.file = ::fdopen(fd, "w");
  if (!out.file) {
    ::close(fd);
    return fail_errno("trace -o " + path);
  }
  return {};
}

int run_trace(const TraceOptions& o, Context& ctx) {
  if (ctx.read_only)
    return exit_failure({EPERM, "trace", "tracing is off (--read-only): it stops the process at "
                                         "every system call, which changes its timing",
                         "run without --read-only (and without NSDEBUG_READ_ONLY)"});
  auto ref = target_of(o);
  if (!ref) return exit_usage(ref.error());
  auto selection = selection_of(o);
  if (!selection) return exit_usage(selection.error());
  if (o.string_limit < 0)
    return exit_usage({EINVAL, "trace -s", "a negative length", "-s BYTES, 32 by default"});

  auto handle = resolve_target(*ref);
  if (!handle) return exit_failure(handle.error());
  if (auto refused = guard_refusal(handle->pid(), o.force)) return exit_failure(*refused);
  Output out;
  if (auto opened = open_output(o.output, out); !opened) return exit_failure(opened.error());

  TraceSettings settings;
  settings.follow = o.follow;
  settings.selection = std::move(*selection);
  settings.decode.string_limit = static_cast<std::size_t>(o.string_limit);
  settings.decode.name_fd = name_descriptor;
  settings.durations = o.durations;
  settings.timestamps = o.timestamps;
  settings.lines = !o.summary;

  auto stop = TraceStop::install();
  if (!stop) return exit_failure(stop.error());
  auto tracer = Tracer::attach(*handle, std::move(settings));
  if (!tracer) return exit_failure(tracer.error());
  // On stdout, lines go through write_all: a lost write is said once, by main, as for every
  // command (and a reader gone is quiet); the tracer detaches either way.
  std::FILE* file = out.file;
  TraceSink sink = [file](std::string_view line) {
    std::string text = std::string(line) + '\n';
    if (file == stdout) return write_all(stdout, text).has_value() && flush_stdout().has_value();
    return std::fwrite(text.data(), 1, text.size(), file) == text.size();
  };
  auto end = tracer->run(sink, *stop);
  if (o.summary) {
    std::string table = summary_table(tracer->stats());
    if (table.ends_with('\n')) table.pop_back();  // the sink ends each line itself
    (void)sink(table);
  }
  bool flushed = file == stdout ? flush_stdout().has_value() : std::fflush(file) == 0;
  if (end == Tracer::End::stopped)
    std::fprintf(stderr, "nsdebug: trace: detached from PID %d\n", tracer->pid());
  if (file == stdout && (end == Tracer::End::output_failed || !flushed)) return 1;
  if (end == Tracer::End::output_failed || !flushed)
    return exit_failure({errno, "trace -o " + o.output, {}, "the trace was detached; the process runs on"});
  return 0;
}

}  // namespace

void setup_trace(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<TraceOptions>();
  auto* sub = app.add_subcommand(
      "trace", "Trace a process's system calls live, as strace -p (Ctrl-C detaches)");
  sub->add_option("pid", o->pid, "The process to trace, as 'nsdebug ps' shows it");
  sub->add_option("-c,--container", o->container, "Trace the main process of this container");
  sub->add_flag("-f,--follow", o->follow, "Trace every thread, and children as they start");
  sub->add_option("-e,--expr", o->expressions,
                  "Only these calls: names or classes, comma-separated (openat,connect; "
                  "%file, %network, %process, %signal, %memory, %desc; !NAME for all but)")
      ->allow_extra_args(false);
  sub->add_option("-s,--string-limit", o->string_limit,
                  "Bytes of each buffer shown (default 32; paths are shown whole)");
  sub->add_flag("-T", o->durations, "Show the time spent in each call");
  sub->add_flag("-t", o->timestamps,
                "Prefix each line with the time (-tt: microseconds, -ttt: since the epoch)");
  sub->add_flag("--summary", o->summary,
                "Count calls, errors and time per system call, and print a table at the end "
                "(as strace -c; -c is the container here)");
  sub->add_option("-o,--output", o->output, "Write the trace to FILE");
  sub->add_flag("--force", o->force, "Trace the pod sandbox too");
  sub->callback([o, &ctx] { ctx.exit_code = run_trace(*o, ctx); });
}

}  // namespace nsdebug::cli
