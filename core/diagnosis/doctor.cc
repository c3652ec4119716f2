#include "core/diagnosis/doctor.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>

#include <fmt/format.h>

#include "core/proc/access.h"
#include "core/node/pidns.h"
#include "core/proc/procfs.h"
#include "core/files/rooted_fs.h"
#include "core/signals/kill_guard.h"
#include "core/proc/process_handle.h"
#include "core/signals/signals.h"
#include "core/pod/snapshot.h"
#include "core/base/sys.h"

namespace nsdebug {
namespace {

constexpr std::uint64_t kInitPidNs = 0xEFFFFFFC;  // PROC_PID_INIT_INO: the node's PID namespace
constexpr std::uint64_t bit(int cap) { return std::uint64_t{1} << cap; }

constexpr const char* kShareFix =
    "set shareProcessNamespace: true in the pod spec, or debug from an ephemeral container "
    "that targets the app: kubectl debug -it POD --image=IMAGE --target=CONTAINER";

Finding pid_namespace(const DoctorFacts& f) {
  Finding x{"pid namespace", Verdict::ok, {}, {}, FindingKind::pid_namespace};
  std::size_t others = std::ranges::count_if(
      f.containers, [](const ContainerFacts& c) { return !c.own && !c.sandbox; });
  if (!f.pid1_seen) {
    x.verdict = Verdict::warn;
    x.detail = "PID 1 is not visible here (hidepid on /proc?): cannot tell whether it is shared";
    x.fix = "see the /proc line";
  } else if (f.pid1_sandbox && others > 0) {
    x.detail = fmt::format("shared: {} other container{} and the pod sandbox (PID 1 is the pause)",
                           others, others == 1 ? "" : "s");
  } else if (!f.pid1_sandbox && !f.pid1_own) {
    x.detail = fmt::format("ephemeral-style: PID 1 is the main process of container '{}' "
                           "(kubectl debug --target); signalling PID 1 stops that container",
                           f.pid1_container);
  } else {
    x.verdict = Verdict::fail;
    x.detail = f.pid1_sandbox ? "not shared: only the pod sandbox is here, no application"
                              : "not shared: only this container's processes are visible";
    x.fix = kShareFix;
  }
  return x;
}

std::string yes_no(std::uint64_t caps, int cap) { return caps & bit(cap) ? "yes" : "no"; }

Finding capabilities(const DoctorFacts& f) {
  Finding x{"capabilities", Verdict::ok, {}, {}};
  std::uint64_t c = f.cap_eff;
  x.detail = fmt::format("CAP_SYS_PTRACE {}, CAP_KILL {}, CAP_SYS_ADMIN {}",
                         yes_no(c, CAP_SYS_PTRACE), yes_no(c, CAP_KILL), yes_no(c, CAP_SYS_ADMIN));
  if (f.place == Place::node) {
    if (!(c & bit(CAP_SYS_ADMIN))) {
      x.verdict = Verdict::fail;
      x.detail += ": --target/--pod need CAP_SYS_ADMIN (setns, mount)";
      x.fix = "run nsdebug on the node as root (sudo nsdebug ...)";
    }
    return x;
  }
  std::vector<std::string> fixes;
  if (!(c & bit(CAP_SYS_PTRACE))) {
    x.detail += "; without CAP_SYS_PTRACE other users' roots and environments are closed";
    fixes.emplace_back("add SYS_PTRACE to the debug container (securityContext.capabilities.add: "
                       "[SYS_PTRACE], or kubectl debug --profile=general)");
  }
  if (!(c & bit(CAP_KILL))) {
    x.detail += "; without CAP_KILL only processes of nsdebug's own uid can be signalled";
    fixes.emplace_back("add KILL (securityContext.capabilities.add: [KILL])");
  }
  if (!fixes.empty()) x.verdict = Verdict::warn;
  for (const auto& fix : fixes) x.fix += (x.fix.empty() ? "" : "; ") + fix;
  return x;
}

// Appends "WHAT yes" or "WHAT no (why)"; the first failure's fix becomes the finding's.
void add_access(Finding& x, std::string_view sep, std::string_view what, const AccessTry& a) {
  x.detail += fmt::format("{}{} {}", sep, what, a.ok ? "yes" : "no");
  if (a.ok) return;
  x.verdict = Verdict::warn;
  x.detail += fmt::format(" ({})", a.why);
  if (x.fix.empty()) x.fix = a.fix;
}

// "PID 6: root readable yes, environ readable yes, signallable yes; PID 11 (uid 101): root
// readable no (why)".
Finding container(const ContainerFacts& c) {
  Finding x{fmt::format("container {}", c.name), Verdict::ok,
            fmt::format("PID {}{}: ", c.main_pid, c.own ? " (nsdebug's own)" : ""), {}};
  add_access(x, "", "root readable", c.root);
  add_access(x, ", ", "environ readable", c.environ);
  add_access(x, ", ", "signallable", c.signal);
  for (const auto& u : c.other_users)
    add_access(x, fmt::format("; PID {} (uid {}): ", u.pid, u.uid), "root readable", u.root);
  return x;
}

// hidepid=1/2/noaccess/invisible/ptraceable and subset=pid: the kernel then leaves processes
// (or /proc/uptime and friends) out without an error.
Finding proc_mount(const DoctorFacts& f) {
  Finding x{"/proc", Verdict::ok, {}, {}};
  if (!f.proc || f.proc->fstype != "proc") {
    x.verdict = Verdict::fail;
    x.detail = f.proc ? fmt::format("masked: /proc is a {} mount, not procfs", f.proc->fstype)
                      : "no /proc mount";
    x.fix = "mount procfs on /proc (mount -t proc proc /proc)";
    return x;
  }
  std::vector<std::string> notes;
  std::string opts = "," + f.proc->super_options + "," + f.proc->options + ",";
  auto hp = opts.find(",hidepid=");
  if (hp != std::string::npos) {
    std::string v = opts.substr(hp + 9, opts.find(',', hp + 9) - hp - 9);
    if (v != "0" && v != "off") notes.push_back("hidepid=" + v + ": process lists are incomplete");
  }
  if (opts.find(",subset=pid,") != std::string::npos)
    notes.emplace_back("subset=pid: /proc/uptime and other system files are hidden");
  if (!f.proc_matches_pid_ns)
    notes.emplace_back("this /proc belongs to another PID namespace (nsenter --pid without "
                       "--mount-proc): its PIDs are not ours");
  bool ro = opts.find(",ro,") != std::string::npos;
  if (notes.empty()) {
    x.detail = ro ? "procfs, read-only (nsdebug only reads it)" : "procfs, no hidepid";
    return x;
  }
  x.verdict = Verdict::warn;
  for (const auto& n : notes) x.detail += (x.detail.empty() ? "" : "; ") + n;
  x.fix = f.proc_matches_pid_ns
              ? "remount /proc without them (mount -o remount,hidepid=0 /proc, or drop subset=pid), "
                "or run nsdebug with the gid= group of the mount"
              : "enter with nsenter --pid --mount-proc, or use nsdebug --target HOSTPID";
  return x;
}

Finding kernel(const char* topic, const std::optional<Error>& e, const char* needs,
               const char* without) {
  if (!e) return {topic, Verdict::ok, "available", {}};
  return {topic, Verdict::fail,
          fmt::format("{}: {}; nothing falls back: {}", e->what, e->reason(), without),
          fmt::format("{} (and a seccomp profile that allows it)", needs)};
}

Finding pods(const Result<std::size_t>& n) {
  if (!n) return {"pods", Verdict::fail, n.error().what + ": " + n.error().reason(), n.error().hint};
  if (*n == 0)
    return {"pods", Verdict::warn, "no pod PID namespaces found on this node",
            "start the pod, or run nsdebug where its processes are (kubectl debug)"};
  return {"pods", Verdict::ok,
          fmt::format("{} pod PID namespace{} ('nsdebug pods'); 'nsdebug --pod NAME doctor' "
                      "checks one",
                      *n, *n == 1 ? "" : "s"),
          {}};
}

}  // namespace

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::ok: return "ok";
    case Verdict::warn: return "warn";
    case Verdict::fail: return "fail";
  }
  return "?";
}

std::vector<Finding> diagnose(const DoctorFacts& f) {
  std::vector<Finding> out;
  static constexpr const char* kWhere[] = {
      "inside a pod's PID namespace", "on the node (its own PID namespace)",
      "on the node, inside a pod's PID namespace (--target/--pod)",
      "unknown: /proc/self/ns/pid cannot be read (see the /proc line)"};
  out.push_back({"where", Verdict::ok, kWhere[static_cast<int>(f.place)], {}});
  if (f.place != Place::node && f.place != Place::unknown) out.push_back(pid_namespace(f));
  if (f.pods) out.push_back(pods(*f.pods));
  out.push_back(capabilities(f));
  for (const auto& c : f.containers) out.push_back(container(c));
  out.push_back(proc_mount(f));
  out.push_back(kernel("openat2", f.openat2, "Linux 5.6 or newer",
                       "cat, ls, stat and env refuse to resolve paths in a container's root"));
  out.push_back(kernel("pidfd", f.pidfd, "Linux 5.3 or newer",
                       "kill refuses, since it signals only through pidfds (a recycled PID is "
                       "never hit)"));
  return out;
}

bool limited(std::span<const Finding> findings) {
  return std::ranges::any_of(findings, [](const Finding& x) { return x.verdict != Verdict::ok; });
}

}  // namespace nsdebug

// ---- gathering the facts -------------------------------------------------------

namespace nsdebug {
namespace {

std::uint64_t self_ns(const char* ns) {
  struct stat st {};
  auto path = fmt::format("/proc/self/ns/{}", ns);
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

// From capget(2), not /proc/self/status: without procfs root was reported as having none.
std::uint64_t own_cap_eff() { return sys::effective_capabilities().value_or(0); }

AccessTry denied(Error e, pid_t pid) {
  Error x = explain(std::move(e), pid);
  return {false, x.reason(), x.hint};
}

AccessTry try_root(pid_t pid) {
  auto r = RootedFs::open(pid);
  return r ? AccessTry{} : denied(r.error(), pid);
}

AccessTry try_environ(pid_t pid) {
  auto r = read_pid_file(pid, PidFile::environ);
  return r ? AccessTry{} : denied(r.error(), pid);
}

// The same permission check as a real signal, delivering nothing.
AccessTry try_signal(pid_t pid) {
  auto probe = sys::probe_signal(pid);
  if (probe) return {};
  Error e = explain_kill_denied(probe.error(), pid);
  return {false, e.reason(), e.hint};
}

// The last /proc mount is the one on top, the one paths resolve through.
std::optional<MountEntry> proc_entry() {
  auto text = read_small_file(AT_FDCWD, "/proc/self/mountinfo", 4 << 20);
  if (!text) return std::nullopt;
  std::optional<MountEntry> found;
  for (auto& m : parse_mountinfo(*text))
    if (m.mount_point == "/proc") found = std::move(m);
  return found;
}

std::optional<Error> probe_openat2() {
  auto fd = sys::openat2(AT_FDCWD, "/", O_PATH | O_CLOEXEC, 0, RESOLVE_IN_ROOT);
  return fd ? std::nullopt : std::optional(fd.error());
}

std::optional<Error> probe_pidfd() {
  auto fd = sys::pidfd_open(::getpid());
  return fd ? std::nullopt : std::optional(fd.error());
}

// One process per (container, uid) other than the main process's uid, in PID order.
void add_other_users(DoctorFacts& f, const Snapshot& s) {
  for (const Process& p : s.processes) {
    if (p.container < 0) continue;
    const Container& c = s.containers[static_cast<std::size_t>(p.container)];
    ContainerFacts& cf = f.containers[static_cast<std::size_t>(p.container)];
    const Process* main = s.find(c.main_pid);
    if (!main || p.uid == main->uid ||
        std::ranges::find(cf.other_users, p.uid, &ContainerFacts::OtherUser::uid) !=
            cf.other_users.end())
      continue;
    cf.other_users.push_back({p.uid, p.pid, try_root(p.pid)});
  }
}

// PID 1 and the containers as `s` shows them; the access tries only when `probe`.
void add_pod_view(DoctorFacts& f, const Snapshot& s, bool probe) {
  std::uint64_t own_mnt = self_ns("mnt");
  for (const auto& c : s.containers) {
    ContainerFacts cf{c.name, c.main_pid, c.sandbox, own_mnt && c.mnt_ns == own_mnt, {}, {}, {}, {}};
    if (probe) {
      cf.root = try_root(c.main_pid);
      cf.environ = try_environ(c.main_pid);
      cf.signal = try_signal(c.main_pid);
    }
    f.containers.push_back(std::move(cf));
  }
  if (probe) add_other_users(f, s);
  const Process* pid1 = s.find(1);
  if (!pid1) return;
  const Container* c = s.container_of(*pid1);
  f.pid1_seen = true;
  f.pid1_sandbox = c && c->sandbox;
  f.pid1_own = c && own_mnt && c->mnt_ns == own_mnt;
  f.pid1_container = c ? c->name : "";
}

Place where_we_run(bool entered) {
  if (entered) return Place::entered;
  std::uint64_t pid_ns = self_ns("pid");
  if (!pid_ns) return Place::unknown;  // no procfs on /proc to tell by
  return pid_ns == kInitPidNs ? Place::node : Place::pod;
}

}  // namespace

DoctorFacts gather_doctor_facts(bool entered) {
  DoctorFacts f;
  f.place = where_we_run(entered);
  f.cap_eff = own_cap_eff();
  if (f.place == Place::node) {
    auto pods = list_pod_namespaces();
    f.pods = pods ? Result<std::size_t>(pods->size()) : std::unexpected(pods.error());
  } else if (auto s = take_snapshot()) {
    add_pod_view(f, *s, true);
  }
  f.proc = proc_entry();
  f.proc_matches_pid_ns = proc_matches_our_pid_namespace();
  f.openat2 = probe_openat2();
  f.pidfd = probe_pidfd();
  return f;
}

std::string add_where_hint(std::string hint, const Snapshot& s) {
  auto where = where_hint(s);
  if (where.empty()) return hint;
  return hint.empty() ? where : fmt::format("{}; {}", hint, where);
}

std::string where_hint(const Snapshot& s) {
  DoctorFacts f;
  if (where_we_run(false) == Place::node) return {};  // (entered through node mode: a pod's)
  add_pod_view(f, s, false);
  f.proc = proc_entry();
  f.proc_matches_pid_ns = proc_matches_our_pid_namespace();
  // /proc first: under hidepid PID 1 is hidden as well, and the pid namespace's finding then
  // says only "see the /proc line", a line a failing kill or cat never printed.
  for (const Finding& x : {proc_mount(f), pid_namespace(f)})
    if (x.verdict != Verdict::ok) return fmt::format("{}: {}", x.detail, x.fix);
  return {};
}

}  // namespace nsdebug
