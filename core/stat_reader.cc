#include "core/stat_reader.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <optional>
#include <string_view>

#include "core/proc_parse.h"
#include "core/unique_fd.h"

namespace nsdebug {
namespace {

// "PID" or "PID/NAME", relative to /proc.
struct ProcPath {
  ProcPath(pid_t pid, std::string_view name = {}) {
    char* end = std::to_chars(text, text + 16, pid).ptr;
    if (!name.empty()) {
      *end++ = '/';
      end = std::copy(name.begin(), name.end(), end);
    }
    *end = '\0';
  }
  char text[40];
};

// The PIDs /proc lists: processes, not threads, in the order procfs gives them (ascending).
Result<std::vector<pid_t>> list_pids(int proc_fd, std::size_t expected) {
  if (::lseek(proc_fd, 0, SEEK_SET) < 0) return fail_errno("read /proc");
  std::vector<pid_t> pids;
  pids.reserve(expected + expected / 8 + 64);
  alignas(dirent64) std::array<char, 32768> buf;
  for (;;) {
    ssize_t n = ::getdents64(proc_fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_errno("read /proc");
    if (n == 0) break;
    for (ssize_t at = 0; at < n;) {
      const auto* entry = reinterpret_cast<const dirent64*>(buf.data() + at);
      at += entry->d_reclen;
      const char* name = entry->d_name;
      pid_t pid = 0;
      auto [end, ec] = std::from_chars(name, name + std::strlen(name), pid);
      if (ec == std::errc() && *end == '\0' && pid > 0) pids.push_back(pid);
    }
  }
  if (!std::ranges::is_sorted(pids)) std::ranges::sort(pids);
  return pids;
}

// What stat says that tells a process that did something from one that did not.
struct Motion {
  char state = '?';
  pid_t ppid = 0;
  int threads = 0;
  std::uint64_t faults = 0, ticks = 0, vsize = 0, rss_pages = 0;
  bool operator==(const Motion&) const = default;
};

Motion motion_of(const StatLine& s) {
  return {s.state, s.ppid, s.threads, s.minflt + s.majflt, s.utime + s.stime, s.vsize,
          s.rss_pages};
}

Process process_of(pid_t pid, const StatLine& s) {
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
  p.vsz_kb = s.vsize / 1024;
  p.cpu_ticks = s.utime + s.stime;  // libproc2's PIDS_TICS_ALL
  p.start_ticks = s.start_ticks;
  p.comm.assign(s.comm);
  return p;
}

// [0, sorted) is in order already; the rest is sorted and merged in.
template <typename T, typename Key>
void merge_sorted(std::vector<T>& v, std::size_t sorted, Key key) {
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(sorted);
  std::ranges::sort(mid, v.end(), {}, key);
  std::ranges::inplace_merge(v.begin(), mid, v.end(), {}, key);
}

std::uint64_t page_kb() {
  static const auto kb = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)) / 1024;
  return kb;
}

}  // namespace

struct StatReader::Impl {
  struct Entry {
    pid_t pid = 0;
    std::uint64_t start_ticks = 0;
    UniqueFd stat;       // /proc/PID/stat held open, or none: read through the path
    Motion last;         // as of the last look
    bool young = true;   // first seen at the last read: owner and size looked at again
    uid_t uid = 0;
    gid_t gid = 0;
    std::uint64_t rss_kb = 0;
  };

  Impl(UniqueFd proc, PidsReader reader, std::size_t max_held_files)
      : proc_fd(std::move(proc)), pids(std::move(reader)), max_held(max_held_files) {}

  UniqueFd proc_fd;
  PidsReader pids;
  std::size_t max_held = 0;
  std::size_t held = 0;
  unsigned generation = 0;     // reads so far
  std::vector<Entry> entries;  // sorted by pid
  std::array<char, 4096> buf;  // one stat line; the kernel's are well under 1 KiB

  // stat's text, from the held file or through the path; nullopt when the process is gone.
  std::optional<std::string_view> read_stat(const Entry& e) {
    ssize_t n;
    if (e.stat) {
      do n = ::pread(e.stat.get(), buf.data(), buf.size(), 0);
      while (n < 0 && errno == EINTR);
    } else {
      UniqueFd fd(::openat(proc_fd.get(), ProcPath(e.pid, "stat").text, O_RDONLY | O_CLOEXEC));
      if (!fd) return std::nullopt;
      do n = ::read(fd.get(), buf.data(), buf.size());
      while (n < 0 && errno == EINTR);
    }
    if (n <= 0) return std::nullopt;
    return std::string_view(buf.data(), static_cast<std::size_t>(n));
  }

  // The owner of /proc/PID is the effective uid and gid (root for a non-dumpable process), as
  // libproc2 reads them; statm's resident pages are procps ps's RSS.
  void look_at_owner_and_size(Entry& e) {
    struct stat st {};
    if (::fstatat(proc_fd.get(), ProcPath(e.pid).text, &st, 0) == 0) {
      e.uid = st.st_uid;
      e.gid = st.st_gid;
    }
    // Its own buffer: the caller still holds a view of stat's text in buf.
    std::array<char, 256> statm;
    UniqueFd fd(::openat(proc_fd.get(), ProcPath(e.pid, "statm").text, O_RDONLY | O_CLOEXEC));
    ssize_t n = fd ? ::read(fd.get(), statm.data(), statm.size()) : -1;
    if (n <= 0) return;
    if (auto pages = parse_statm_resident(std::string_view(statm.data(), static_cast<std::size_t>(n))))
      e.rss_kb = *pages * page_kb();
  }

  // A process can call setuid or unmap a little memory in less than a clock tick and without
  // a fault, which stat does not show: each read looks again at 1 process in kSweep, so none
  // stays stale for longer than kSweep reads.
  static constexpr unsigned kSweep = 32;
  bool due_for_sweep(const Entry& e) const {
    return (static_cast<unsigned>(e.pid) + generation) % kSweep == 0;
  }

  // A process seen before: nullopt when it has gone (its PID may name another one now).
  std::optional<Process> look_again(Entry& e) {
    auto text = read_stat(e);
    auto line = text ? parse_stat_line(*text) : std::nullopt;
    if (!line || line->start_ticks != e.start_ticks) return std::nullopt;
    auto motion = motion_of(*line);
    if (e.young || motion != e.last || due_for_sweep(e)) look_at_owner_and_size(e);
    e.last = motion;
    e.young = false;
    Process p = process_of(e.pid, *line);
    p.uid = e.uid;
    p.gid = e.gid;
    p.rss_kb = e.rss_kb;
    return p;
  }

  // A process libproc2 has just read: its entry, holding its stat file while the budget
  // allows. nullopt when the PID named another process by the time the file was opened.
  std::optional<Entry> first_look(Process& p) {
    Entry e{p.pid, p.start_ticks, {}, {}, true, p.uid, p.gid, p.rss_kb};
    if (held < max_held) {
      e.stat = UniqueFd(
          ::openat(proc_fd.get(), ProcPath(p.pid, "stat").text, O_RDONLY | O_CLOEXEC));
    }
    auto text = read_stat(e);
    auto line = text ? parse_stat_line(*text) : std::nullopt;
    if (!line || line->start_ticks != p.start_ticks) return std::nullopt;
    // libproc2 hands comm through its escaper; stat's own bytes are exact (core/escape.h
    // escapes for terminals, --json encodes them losslessly).
    p.comm.assign(line->comm);
    e.last = motion_of(*line);
    if (e.stat) ++held;
    return e;
  }
};

StatReader::StatReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StatReader::StatReader(StatReader&&) noexcept = default;
StatReader& StatReader::operator=(StatReader&&) noexcept = default;
StatReader::~StatReader() = default;

Result<StatReader> StatReader::open(std::size_t max_held_files) {
  UniqueFd proc_fd(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!proc_fd) return fail_errno("open /proc", "is /proc mounted here?");
  auto pids = PidsReader::open();
  if (!pids) return std::unexpected(pids.error());
  return StatReader(
      std::make_unique<Impl>(std::move(proc_fd), std::move(*pids), max_held_files));
}

Result<std::vector<Process>> StatReader::read() {
  Impl& r = *impl_;
  auto pids = list_pids(r.proc_fd.get(), r.entries.size());
  if (!pids) return std::unexpected(pids.error());

  std::vector<Process> processes;
  processes.reserve(pids->size());
  std::vector<Impl::Entry> kept;
  kept.reserve(pids->size());
  std::vector<pid_t> unseen;
  auto old = r.entries.begin();
  for (pid_t pid : *pids) {
    while (old != r.entries.end() && old->pid < pid) ++old;
    if (old != r.entries.end() && old->pid == pid) {
      if (auto p = r.look_again(*old)) {
        processes.push_back(std::move(*p));
        kept.push_back(std::move(*old));
        continue;
      }
    }
    unseen.push_back(pid);  // new, or its PID recycled since the last look
  }
  r.entries = std::move(kept);  // closes the files of processes gone
  auto kept_count = r.entries.size();
  r.held = static_cast<std::size_t>(
      std::ranges::count_if(r.entries, [](const Impl::Entry& e) { return bool(e.stat); }));

  auto known = processes.size();
  for (Process& p : r.pids.read(unseen)) {
    auto entry = r.first_look(p);
    if (!entry) continue;  // replaced between the two reads: new at the next one
    r.entries.push_back(std::move(*entry));
    processes.push_back(std::move(p));
  }
  if (processes.empty()) return fail(EIO, "read the process table", "is /proc mounted here?");
  ++r.generation;
  merge_sorted(processes, known, &Process::pid);
  merge_sorted(r.entries, kept_count, &Impl::Entry::pid);
  return processes;
}

void StatReader::complete(Process& p, const ReadOptions& options) const {
  read_details(impl_->proc_fd.get(), p, options);
}

std::size_t StatReader::held_files() const { return impl_->held; }

}  // namespace nsdebug
