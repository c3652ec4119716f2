#include "core/proc/procfs.h"

#include <dirent.h>
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
#include <span>

#include <fmt/format.h>

#include "core/proc/proc_parse.h"
#include "core/proc/proc_path.h"
#include "core/base/unique_fd.h"

namespace nsdebug {
namespace {

// libproc2 lists the processes and gives the effective ids, from its stat(2) of /proc/PID
// (the owner of that directory). Those items need no file read; the stat line is parsed by
// read_stat below. libproc2's stat2proc, one sscanf of 40 conversions, was a third of
// `nsdebug ps`'s instructions in a pod (23,000 a process) and escaped comm on the way.
// With --locked the slots read status (VmRSS, and VmLck for STAT's L) instead of statm.
constexpr std::array kItems{PIDS_ID_PID, PIDS_ID_EUID, PIDS_ID_EGID, PIDS_noop, PIDS_noop};
enum Slot { kPid, kEuid, kEgid, kRss, kLocked };

struct PidsInfoDeleter {
  void operator()(pids_info* info) const { procps_pids_unref(&info); }
};
using PidsInfo = std::unique_ptr<pids_info, PidsInfoDeleter>;

Result<PidsInfo> open_pids_info(bool locked) {
  pids_info* raw = nullptr;
  auto items = kItems;  // libproc2 takes a non-const pointer
  if (locked) {
    items[kRss] = PIDS_VM_RSS;
    items[kLocked] = PIDS_VM_RSS_LOCKED;
  }
  if (int rc = procps_pids_new(&raw, items.data(), static_cast<int>(items.size())); rc < 0)
    return fail(-rc, "libproc2: procps_pids_new");
  return PidsInfo(raw);
}

// The process libproc2 listed, with its stat line and resident size; nullopt when it left
// before its stat was read. RSS as procps ps has it: stat's rss field is the mm counters'
// per-CPU cached value, off by up to a few hundred KiB on Linux 6.x, while statm and status
// (VmRSS) sum the counters.
std::optional<Process> process_from_stack(int proc_fd, const pids_stack* stack, bool locked) {
  auto* h = stack->head;
  auto p = read_stat(proc_fd, h[kPid].result.s_int);
  if (!p) return std::nullopt;
  p->uid = h[kEuid].result.u_int;
  p->gid = h[kEgid].result.u_int;
  if (locked) {
    p->rss_kb = h[kRss].result.ul_int;
    p->locked_kb = h[kLocked].result.ul_int;
  } else {
    p->rss_kb = read_resident_kb(proc_fd, p->pid).value_or(0);
  }
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
// and container grouping falls back to the parent and the cgroup. readlink, not stat: the
// link's text carries the inode number, while stat follows the link into nsfs, which makes
// a dentry and an inode and frees them again through RCU each time (a tenth of ps's kernel
// time in a pod).
std::uint64_t mount_ns_of(int proc_fd, pid_t pid) {
  char link[64];
  ssize_t n = ::readlinkat(proc_fd, ProcPath(pid, "ns/mnt").text, link, sizeof link);
  if (n <= 0) return 0;
  return parse_ns_link(std::string_view(link, static_cast<std::size_t>(n)), "mnt").value_or(0);
}

// cmdline read here, not as libproc2's PIDS_CMDLINE_V: its file2strvec splits words at a
// newline as well as at a NUL, so "two\nlines" came back as two words. The same one read a
// process, now exact; empty for kernel threads and zombies (libproc2 said "-").
// A command line longer than kArgvLimit (Linux allows a quarter of the stack limit: 2 MB and
// more) keeps its first kArgvLimit bytes and says it was cut; the byte past the limit tells.
void read_argv(int proc_fd, Process& p) {
  char path[32];
  *fmt::format_to_n(path, sizeof path - 1, "{}/cmdline", p.pid).out = '\0';
  auto raw = read_small_file(proc_fd, path, kArgvLimit + 1);
  if (!raw) return;
  bool cut = raw->size() > kArgvLimit;
  p.argv = Argv::from_cmdline(std::string_view(*raw).substr(0, kArgvLimit));
  if (cut) p.argv.mark_truncated();
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
  auto info = open_pids_info(options.locked);
  if (!info) return std::unexpected(info.error());

  // procps_pids_get, not _reap: one reused stack instead of all of them at once, which
  // halves peak memory at 10,000 processes.
  std::vector<Process> processes;
  processes.reserve(process_count_hint(proc_fd.get()));
  errno = 0;
  while (const pids_stack* stack = procps_pids_get(info->get(), PIDS_FETCH_TASKS_ONLY)) {
    auto p = process_from_stack(proc_fd.get(), stack, options.locked);
    if (!p) continue;  // gone since libproc2 listed it
    read_details(proc_fd.get(), *p, {.status = options.status});
    processes.push_back(std::move(*p));
  }
  // We are a process too: an empty table means /proc could not be read at all.
  if (processes.empty()) return std::unexpected(empty_process_table(errno ? errno : EIO));
  std::ranges::sort(processes, {}, &Process::pid);
  return processes;
}

Error empty_process_table(int code) {
  return Error{code, "read the process table", "/proc lists no process, not even nsdebug",
               "mount procfs on /proc (mount -t proc proc /proc)"};
}

struct PidsReader::Impl {
  UniqueFd proc_fd;
  PidsInfo info;
};

PidsReader::PidsReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PidsReader::PidsReader(PidsReader&&) noexcept = default;
PidsReader& PidsReader::operator=(PidsReader&&) noexcept = default;
PidsReader::~PidsReader() = default;

Result<PidsReader> PidsReader::open() {
  UniqueFd proc_fd(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!proc_fd) return fail_errno("open /proc", "is /proc mounted here?");
  auto info = open_pids_info(false);
  if (!info) return std::unexpected(info.error());
  return PidsReader(std::make_unique<Impl>(Impl{std::move(proc_fd), std::move(*info)}));
}

std::vector<Process> PidsReader::read(std::span<const pid_t> pids) {
  // libproc2 selects at most FILL_ID_MAX (255) PIDs a call.
  constexpr std::size_t kBatch = 255;
  std::vector<Process> processes;
  processes.reserve(pids.size());
  std::vector<unsigned> batch;
  for (std::size_t at = 0; at < pids.size(); at += kBatch) {
    auto part = pids.subspan(at, std::min(kBatch, pids.size() - at));
    batch.assign(part.begin(), part.end());
    const pids_fetch* fetched = procps_pids_select(impl_->info.get(), batch.data(),
                                                   static_cast<int>(batch.size()), PIDS_SELECT_PID);
    if (!fetched) continue;  // every one of them gone, or out of memory: seen next time
    for (int i = 0; fetched->stacks[i]; ++i)
      if (auto p = process_from_stack(impl_->proc_fd.get(), fetched->stacks[i], false))
        processes.push_back(std::move(*p));
  }
  return processes;
}

UniqueFd open_pid_file(int proc_fd, pid_t pid, const char* name) {
  return UniqueFd(::openat(proc_fd, ProcPath(pid, name).text, O_RDONLY | O_CLOEXEC));
}

std::optional<std::string_view> read_pid_file_once(int proc_fd, pid_t pid, const char* name,
                                                   std::span<char> buf) {
  UniqueFd fd = open_pid_file(proc_fd, pid, name);
  if (!fd) return std::nullopt;
  ssize_t n;
  do n = ::read(fd.get(), buf.data(), buf.size());
  while (n < 0 && errno == EINTR);
  if (n <= 0) return std::nullopt;
  return std::string_view(buf.data(), static_cast<std::size_t>(n));
}

std::optional<Process> read_stat(int proc_fd, pid_t pid) {
  std::array<char, 1024> buf;  // a stat line is well under 1 KiB
  auto text = read_pid_file_once(proc_fd, pid, "stat", buf);
  auto line = text ? parse_stat_line(*text) : std::nullopt;
  if (!line) return std::nullopt;
  return process_from_stat(pid, *line);
}

namespace {

// A thread's row: the process's, with what stat says of the thread itself.
Process thread_row(const Process& p, pid_t tid, const StatLine& s) {
  Process t = p;
  t.tid = tid;
  t.comm.assign(s.comm);
  t.state = s.state;
  t.nice = s.nice;
  t.policy = s.policy;
  t.priority = s.priority;
  t.processor = s.processor;
  t.cpu_ticks = s.utime + s.stime;
  return t;
}

}  // namespace

std::vector<pid_t> task_ids(int dir) {
  std::vector<pid_t> tids;
  int task = ::openat(dir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (task < 0) return tids;
  DIR* listing = ::fdopendir(task);
  if (!listing) {
    ::close(task);
    return tids;
  }
  while (dirent* d = ::readdir(listing)) {
    pid_t tid = 0;
    auto len = std::char_traits<char>::length(d->d_name);
    auto [end, ec] = std::from_chars(d->d_name, d->d_name + len, tid);
    if (ec == std::errc{} && end == d->d_name + len && tid > 0) tids.push_back(tid);
  }
  ::closedir(listing);
  std::ranges::sort(tids);
  return tids;
}

std::vector<Process> read_thread_rows(int proc_fd, const Process& p) {
  std::vector<Process> rows;
  UniqueFd dir(::openat(proc_fd, std::to_string(p.pid).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return rows;
  std::array<char, 1024> buf;  // a stat line is well under 1 KiB
  auto read_stat_at = [&](const std::string& path) -> std::optional<StatLine> {
    UniqueFd fd(::openat(dir.get(), path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return std::nullopt;  // exited since the listing
    ssize_t n = ::read(fd.get(), buf.data(), buf.size());
    if (n <= 0) return std::nullopt;
    return parse_stat_line(std::string_view(buf.data(), static_cast<std::size_t>(n)));
  };
  auto own = read_stat_at("stat");
  if (!own || own->start_ticks != p.start_ticks) return rows;  // gone, or its PID reused
  for (pid_t tid : task_ids(dir.get()))
    if (auto s = read_stat_at(fmt::format("task/{}/stat", tid))) rows.push_back(thread_row(p, tid, *s));
  return rows;
}

std::optional<std::uint64_t> read_resident_kb(int proc_fd, pid_t pid) {
  std::array<char, 256> buf;
  auto text = read_pid_file_once(proc_fd, pid, "statm", buf);
  auto pages = text ? parse_statm_resident(*text) : std::nullopt;
  if (!pages) return std::nullopt;
  return *pages * page_kb();
}

std::uint64_t page_kb() {
  static const auto kb = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)) / 1024;
  return kb;
}

Process process_from_stat(pid_t pid, const StatLine& s) {
  Process p;
  p.pid = pid;
  p.ppid = s.ppid;
  p.state = s.state;
  p.nice = s.nice;
  p.threads = s.threads;
  p.session = s.session;
  p.pgrp = s.pgrp;
  p.tpgid = s.tpgid;
  p.policy = s.policy;
  p.priority = s.priority;
  p.processor = s.processor;
  p.tty_nr = s.tty_nr;
  p.vsz_kb = s.vsize / 1024;
  p.cpu_ticks = s.utime + s.stime;  // libproc2's PIDS_TICS_ALL
  p.start_ticks = s.start_ticks;
  p.comm.assign(s.comm);  // raw: the faces escape it (core/present/escape.h), JSON encodes it
  return p;
}

void read_details(int proc_fd, Process& p, const ReadOptions& options) {
  p.mnt_ns = mount_ns_of(proc_fd, p.pid);
  if (options.status) add_status(proc_fd, p);
  read_argv(proc_fd, p);
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

namespace {
const char* name_of(PidFile file) {
  switch (file) {
    case PidFile::stat: return "stat";
    case PidFile::status: return "status";
    case PidFile::cgroup: return "cgroup";
    case PidFile::mountinfo: return "mountinfo";
    case PidFile::environ: return "environ";
    case PidFile::wchan: return "wchan";
  }
  return "";
}
}  // namespace

Result<std::string> read_pid_file(pid_t pid, PidFile file) {
  return read_proc_file(pid, name_of(file));
}

std::optional<StatLine> read_stat_line(pid_t pid) {
  auto text = read_pid_file(pid, PidFile::stat);
  return text ? parse_stat_line(*text) : std::nullopt;
}

std::optional<pid_t> pid_max() {
  auto text = read_small_file(AT_FDCWD, "/proc/sys/kernel/pid_max", 64);
  pid_t max = 0;
  if (!text || std::from_chars(text->data(), text->data() + text->size(), max).ec != std::errc())
    return std::nullopt;
  return max;
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
