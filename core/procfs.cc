#include "core/procfs.h"

#include <fcntl.h>
#include <libproc2/misc.h>  // procps_uptime, defined below
#include <libproc2/pids.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "core/proc_parse.h"
#include "core/unique_fd.h"

namespace nsdebug {
namespace {

// Items chosen so libproc2 reads only /proc/PID/stat and /proc/PID/cmdline and stats the
// /proc/PID directory (effective ids come free with that stat). PIDS_RSS is stat's rss, in
// pages; PIDS_MEM_RES would read statm too, and any ID_R* item would read status.
// PIDS_CMDLINE_V last: a StatReader leaves it out, and the slots before it stay the same.
constexpr std::array kItems{
    PIDS_ID_PID,  PIDS_ID_PPID,     PIDS_STATE,    PIDS_ID_EUID,    PIDS_ID_EGID,
    PIDS_RSS,     PIDS_VSIZE_BYTES, PIDS_TICS_ALL, PIDS_TICS_BEGAN, PIDS_CMD,
    PIDS_NICE,    PIDS_NLWP,        PIDS_ID_SESSION, PIDS_ID_PGRP,  PIDS_ID_TPGID,
    PIDS_CMDLINE_V,
};
enum Slot {
  kPid, kPpid, kState, kEuid, kEgid, kRss, kVsize, kTics, kBegan, kCmd,
  kNice, kThreads, kSession, kPgrp, kTpgid, kArgv,
};
constexpr int kStatItems = kArgv;  // every item but the command line

struct PidsInfoDeleter {
  void operator()(pids_info* info) const { procps_pids_unref(&info); }
};
using PidsInfo = std::unique_ptr<pids_info, PidsInfoDeleter>;

Argv argv_of(const char* const* strv) {
  // libproc2 stands "-" in for an empty cmdline (kernel threads, zombies).
  if (strv && strv[0] && !strv[1] && std::strcmp(strv[0], "-") == 0) return {};
  return Argv::from_strv(strv);
}

Process process_from_stack(const pids_stack* stack, long page_kb, bool with_argv = true) {
  auto* h = stack->head;
  Process p;
  p.pid = h[kPid].result.s_int;
  p.ppid = h[kPpid].result.s_int;
  p.state = h[kState].result.s_ch;
  p.uid = h[kEuid].result.u_int;
  p.gid = h[kEgid].result.u_int;
  p.rss_kb = h[kRss].result.ul_int * static_cast<unsigned long>(page_kb);
  p.vsz_kb = h[kVsize].result.ul_int / 1024;
  p.cpu_ticks = h[kTics].result.ull_int;
  p.start_ticks = h[kBegan].result.ull_int;
  p.comm = h[kCmd].result.str ? h[kCmd].result.str : "";
  if (with_argv) p.argv = argv_of(h[kArgv].result.strv);
  p.nice = h[kNice].result.s_int;
  p.threads = h[kThreads].result.s_int;
  p.session = h[kSession].result.s_int;
  p.pgrp = h[kPgrp].result.s_int;
  p.tpgid = h[kTpgid].result.s_int;
  return p;
}

// How many processes to make room for. procfs gives its root directory one link per process
// of the whole system (proc_root_getattr: nr_processes()) plus a few, so this is an upper
// bound for the processes our /proc shows. Reserving it spares the vector's doublings, each
// of which touched fresh pages for a copy: at 10,000 processes, 800 page faults of ~30 us
// on a VM. Room reserved but never used is address space, not memory.
std::size_t process_count_hint(int proc_fd) {
  constexpr std::size_t kMaxHint = 1 << 22;  // PID_MAX_LIMIT: a wild nlink must not ask for more
  struct stat st {};
  if (::fstat(proc_fd, &st) < 0) return 0;
  return std::min<std::size_t>(st.st_nlink, kMaxHint);
}

// ns/mnt needs ptrace read access: from a sidecar without SYS_PTRACE some stay unknown (0),
// and container grouping falls back to the parent and the cgroup.
std::uint64_t mount_ns_of(int proc_fd, pid_t pid) {
  char path[32];
  auto end = std::to_chars(path, path + 20, pid).ptr;
  std::memcpy(end, "/ns/mnt", sizeof "/ns/mnt");
  struct stat st {};
  if (::fstatat(proc_fd, path, &st, 0) < 0) return 0;
  return st.st_ino;
}

void add_status(int proc_fd, Process& p) {
  auto text = read_small_file(proc_fd, fmt::format("{}/status", p.pid).c_str());
  if (!text) return;
  auto ids = parse_status(*text);
  if (!ids) return;
  p.ruid = ids->ruid;
  p.rgid = ids->rgid;
  if (ids->nspid.size() > 1 && ids->nspid.front() != p.pid) p.host_pid = ids->nspid.front();
}

}  // namespace

Result<std::vector<Process>> read_processes(const ReadOptions& options) {
  UniqueFd proc_fd(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!proc_fd) return fail_errno("open /proc", "is /proc mounted here?");

  pids_info* raw = nullptr;
  auto items = kItems;  // libproc2 takes a non-const pointer
  if (int rc = procps_pids_new(&raw, items.data(), static_cast<int>(items.size())); rc < 0)
    return fail(-rc, "libproc2: procps_pids_new");
  PidsInfo info(raw);

  // procps_pids_get, not _reap: one reused stack instead of all of them at once, which
  // halves peak memory at 10,000 processes.
  const long page_kb = ::sysconf(_SC_PAGESIZE) / 1024;
  std::vector<Process> processes;
  processes.reserve(process_count_hint(proc_fd.get()));
  errno = 0;
  while (const pids_stack* stack = procps_pids_get(info.get(), PIDS_FETCH_TASKS_ONLY)) {
    Process p = process_from_stack(stack, page_kb);
    p.mnt_ns = mount_ns_of(proc_fd.get(), p.pid);
    if (options.status) add_status(proc_fd.get(), p);
    processes.push_back(std::move(p));
  }
  // We are a process too: an empty table means /proc could not be read at all.
  if (processes.empty()) return fail(errno ? errno : EIO, "libproc2: read the process table");
  std::ranges::sort(processes, {}, &Process::pid);
  return processes;
}

struct StatReader::Impl {
  UniqueFd proc_fd;
  PidsInfo info;
  long page_kb = ::sysconf(_SC_PAGESIZE) / 1024;
};

StatReader::StatReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StatReader::StatReader(StatReader&&) noexcept = default;
StatReader& StatReader::operator=(StatReader&&) noexcept = default;
StatReader::~StatReader() = default;

Result<StatReader> StatReader::open() {
  auto impl = std::make_unique<Impl>();
  impl->proc_fd = UniqueFd(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!impl->proc_fd) return fail_errno("open /proc", "is /proc mounted here?");
  pids_info* raw = nullptr;
  auto items = kItems;  // libproc2 takes a non-const pointer
  if (int rc = procps_pids_new(&raw, items.data(), kStatItems); rc < 0)
    return fail(-rc, "libproc2: procps_pids_new");
  impl->info.reset(raw);
  return StatReader(std::move(impl));
}

Result<std::vector<Process>> StatReader::read() {
  std::vector<Process> processes;
  processes.reserve(process_count_hint(impl_->proc_fd.get()));
  // procps_pids_reap, not _get: _get leaves its directory stream at the end, so a second
  // look would see nothing; _reap opens and closes one each call (as top refreshes).
  errno = 0;
  const pids_fetch* fetched = procps_pids_reap(impl_->info.get(), PIDS_FETCH_TASKS_ONLY);
  if (!fetched) return fail(errno ? errno : EIO, "libproc2: read the process table");
  for (int i = 0; fetched->stacks[i]; ++i)
    processes.push_back(process_from_stack(fetched->stacks[i], impl_->page_kb, false));
  std::ranges::sort(processes, {}, &Process::pid);
  return processes;
}

void StatReader::complete(Process& p, const ReadOptions& options) const {
  int proc_fd = impl_->proc_fd.get();
  p.mnt_ns = mount_ns_of(proc_fd, p.pid);
  if (options.status) add_status(proc_fd, p);
  auto raw = read_small_file(proc_fd, fmt::format("{}/cmdline", p.pid).c_str(), 1 << 20);
  if (raw) p.argv = Argv::from_cmdline(*raw);
}

Result<std::string> read_small_file(int dirfd, const char* path, std::size_t limit) {
  // O_NONBLOCK: a FIFO planted where a file should be must not hang us.
  UniqueFd fd(::openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (!fd) return fail_errno(fmt::format("open {}", path));
  auto text = read_fd(fd.get(), limit);
  if (!text) text.error().what = fmt::format("read {}", path);
  return text;
}

Result<std::string> read_fd(int fd, std::size_t limit) {
  std::string out;
  char buf[4096];
  while (out.size() < limit) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_errno("read");
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  if (out.size() > limit) out.resize(limit);
  return out;
}

Result<std::string> read_proc_file(pid_t pid, const char* name) {
  auto path = fmt::format("/proc/{}/{}", pid, name);
  return read_small_file(AT_FDCWD, path.c_str());
}

// CLOCK_BOOTTIME is what /proc/uptime prints (time namespace offset included), without an
// open and a read, and without strtod's dependence on the locale.
double uptime_seconds() {
  timespec ts{};
  if (::clock_gettime(CLOCK_BOOTTIME, &ts) < 0) return 0;
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

long clock_ticks_per_second() {
  static const long hz = ::sysconf(_SC_CLK_TCK);
  return hz;
}

bool proc_matches_our_pid_namespace() {
  char buf[32];
  ssize_t n = ::readlink("/proc/self", buf, sizeof buf - 1);
  if (n <= 0) return false;
  return std::string_view(buf, static_cast<std::size_t>(n)) == std::to_string(::getpid());
}

}  // namespace nsdebug

// libproc2 4.0.2 (Debian 12) calls procps_uptime() from every procps_pids_get(), so once per
// process: fopen, newlocale, fscanf and fclose of /proc/uptime. At 10,000 processes that is
// four syscalls a process on top of the eight a ps row needs, and 8% of our instructions.
// Upstream libproc2 now reads CLOCK_BOOTTIME there instead, the clock /proc/uptime prints (time
// namespace offset included). This definition does the same; the dynamic linker binds
// libproc2's own call to it (the call goes through its PLT), and a static link takes it
// before libproc2.a's uptime.o. Same contract: 0 on success, -errno on failure.
extern "C" int procps_uptime(double* uptime_secs, double* idle_secs) {
  if (idle_secs) {  // only /proc/uptime has the idle time; nsdebug never asks for it
    auto text = nsdebug::read_small_file(AT_FDCWD, "/proc/uptime", 256);
    if (!text) return -text.error().code;
    const char* end = text->data() + text->size();
    double up = 0;
    auto [p, ec] = std::from_chars(text->data(), end, up);
    if (ec != std::errc{} || p == end) return -ERANGE;
    if (std::from_chars(p + 1, end, *idle_secs).ec != std::errc{}) return -ERANGE;
    if (uptime_secs) *uptime_secs = up;
    return 0;
  }
  double up = nsdebug::uptime_seconds();
  if (up <= 0) return -errno;
  if (uptime_secs) *uptime_secs = up;
  return 0;
}
