#include "core/proc/stat_reader.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>

#include "core/proc/proc_parse.h"
#include "core/proc/proc_path.h"
#include "core/base/unique_fd.h"

namespace nsdebug {
namespace {

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

// [0, sorted) is in order already; the rest is sorted and merged in.
template <typename T, typename Key>
void merge_sorted(std::vector<T>& v, std::size_t sorted, Key key) {
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(sorted);
  std::ranges::sort(mid, v.end(), {}, key);
  std::ranges::inplace_merge(v.begin(), mid, v.end(), {}, key);
}

// The fields read() gives, copied from the last read's row of a process that has not run since.
Process stat_fields_of(const Process& before) {
  Process p;
  p.pid = before.pid;
  p.ppid = before.ppid;
  p.state = before.state;
  p.uid = before.uid;
  p.gid = before.gid;
  p.nice = before.nice;
  p.threads = before.threads;
  p.session = before.session;
  p.pgrp = before.pgrp;
  p.tpgid = before.tpgid;
  p.rss_kb = before.rss_kb;
  p.policy = before.policy;
  p.priority = before.priority;
  p.processor = before.processor;
  p.tty_nr = before.tty_nr;
  p.vsz_kb = before.vsz_kb;
  p.cpu_ticks = before.cpu_ticks;
  p.start_ticks = before.start_ticks;
  p.comm = before.comm;
  return p;
}

}  // namespace

struct StatReader::Impl {
  // Which of a process's files its entry keeps open.
  enum class Held : std::uint8_t { none, stat, schedstat };
  // schedstat's main-thread figures: nanoseconds on a CPU and times it was put on one.
  struct Runs {
    std::uint64_t ns = 0, count = 0;
    bool operator==(const Runs&) const = default;
  };
  struct Entry {
    pid_t pid = 0;
    std::uint64_t start_ticks = 0;
    UniqueFd file;  // what `held` says, or none: read through the path
    Held held = Held::none;
    Motion last;    // stat as of the last look
    Runs runs;      // schedstat as of the last look
    bool young = true;  // first seen at the last read: looked at whole again
    uid_t uid = 0;
    gid_t gid = 0;
    std::uint64_t rss_kb = 0;
  };

  Impl(UniqueFd proc, PidsReader reader, std::size_t max_held_files)
      : proc_fd(std::move(proc)), pids(std::move(reader)), max_held(max_held_files) {
    schedstat_works = read_runs_of_self().value_or(Runs{}).ns > 0;
  }

  UniqueFd proc_fd;
  PidsReader pids;
  std::size_t max_held = 0;
  std::size_t held = 0;
  bool schedstat_works = false;  // "0 0 0" when the kernel keeps no sched_info
  unsigned generation = 0;       // reads so far
  std::vector<Entry> entries;    // sorted by pid
  std::vector<pid_t> left;       // sorted: processes gone at this read or missed at the last
  std::array<char, 4096> buf;    // one stat line; the kernel's are well under 1 KiB

  static const char* name_of(Held kind) { return kind == Held::schedstat ? "schedstat" : "stat"; }

  // A /proc/PID file's text into `into`, from the held file or through the path; nullopt when
  // the process is gone (a held file of a reaped process reads ESRCH).
  std::optional<std::string_view> read_file(const Entry& e, Held kind, std::span<char> into) {
    if (e.held != kind) return read_pid_file_once(proc_fd.get(), e.pid, name_of(kind), into);
    ssize_t n;
    do n = ::pread(e.file.get(), into.data(), into.size(), 0);
    while (n < 0 && errno == EINTR);
    if (n <= 0) return std::nullopt;
    return std::string_view(into.data(), static_cast<std::size_t>(n));
  }

  static std::optional<Runs> parse_runs(std::string_view text) {
    auto fields = parse_schedstat(text);
    if (!fields) return std::nullopt;
    return Runs{fields->run_ns, fields->timeslices};
  }
  std::optional<Runs> read_runs(const Entry& e) {
    std::array<char, 128> text;
    auto t = read_file(e, Held::schedstat, text);
    return t ? parse_runs(*t) : std::nullopt;
  }
  std::optional<Runs> read_runs_of_self() {
    auto text = read_small_file(proc_fd.get(), "self/schedstat", 128);
    return text ? parse_runs(*text) : std::nullopt;
  }

  // schedstat counts the main thread only: it answers "did it run?" for a process of one
  // thread; a process of several is asked through stat every time.
  bool asks_schedstat(const Entry& e) const { return schedstat_works && e.last.threads == 1; }

  // The file worth keeping open for `e`, while the budget allows. A new file is opened
  // through the path, so it is checked against the start time before it is kept.
  void hold_best(Entry& e) {
    Held want = asks_schedstat(e) ? Held::schedstat : Held::stat;
    if (e.held == want) return;
    if (e.held != Held::none) --held;
    e.file.reset();
    e.held = Held::none;
    if (held >= max_held) return;
    UniqueFd fd = open_pid_file(proc_fd.get(), e.pid, name_of(want));
    if (!fd || !still_the_same(e)) return;
    e.file = std::move(fd);
    e.held = want;
    ++held;
  }

  // Whether e.pid still names the process that started at e.start_ticks.
  bool still_the_same(const Entry& e) {
    auto text = read_file(e, Held::stat, buf);  // e holds nothing yet: through the path
    auto line = text ? parse_stat_line(*text) : std::nullopt;
    return line && line->start_ticks == e.start_ticks;
  }

  // The owner of /proc/PID is the effective uid and gid (root for a non-dumpable process), as
  // libproc2 reads them; statm's resident pages are procps ps's RSS.
  void look_at_owner_and_size(Entry& e) {
    struct stat st {};
    if (::fstatat(proc_fd.get(), ProcPath(e.pid).text, &st, 0) == 0) {
      e.uid = st.st_uid;
      e.gid = st.st_gid;
    }
    if (auto kb = read_resident_kb(proc_fd.get(), e.pid)) e.rss_kb = *kb;
  }

  // What stat cannot show and schedstat does not flag: a setuid or a small unmap done in less
  // than a clock tick without a fault, a renice from outside, a process whose parent left
  // while it slept (its ppid changes without it running). The gone parents are looked up;
  // for the rest each read looks at 1 process in kSweep whole, so none is staler than kSweep
  // reads.
  static constexpr unsigned kSweep = 32;
  bool due_for_sweep(const Entry& e) const {
    return (static_cast<unsigned>(e.pid) + generation) % kSweep == 0;
  }
  bool parent_left(const Entry& e) const { return std::ranges::binary_search(left, e.last.ppid); }

  // A process seen before: nullopt when it has gone (its PID may name another one now).
  // `before` is its row from the last read, kept as it was when it has not run since.
  std::optional<Process> look_again(Entry& e, const Process* before) {
    bool whole = e.young || !before || due_for_sweep(e) || parent_left(e);
    std::optional<Runs> runs;
    if (asks_schedstat(e)) {
      // Read before stat: a run between the two reads must not hide in the baseline.
      runs = read_runs(e);
      if (!runs && e.held == Held::schedstat) return std::nullopt;  // reaped
      if (runs && *runs == e.runs && !whole) return stat_fields_of(*before);
    }
    auto text = read_file(e, Held::stat, buf);
    auto line = text ? parse_stat_line(*text) : std::nullopt;
    if (!line || line->start_ticks != e.start_ticks) return std::nullopt;
    auto motion = motion_of(*line);
    if (whole || motion != e.last) look_at_owner_and_size(e);
    e.last = motion;
    e.runs = runs.value_or(Runs{});
    e.young = false;
    Process p = process_from_stat(e.pid, *line);
    p.uid = e.uid;
    p.gid = e.gid;
    p.rss_kb = e.rss_kb;
    hold_best(e);  // the thread count may have crossed 1
    return p;
  }

  // A process PidsReader has just read: its entry, holding a file while the budget allows.
  // nullopt when the PID named another process by the time stat was read. stat is read again
  // after schedstat, so a run between the two reads cannot hide in the baseline.
  std::optional<Entry> first_look(const Process& p) {
    Entry e{p.pid, p.start_ticks, {}, Held::none, {}, {}, true, p.uid, p.gid, p.rss_kb};
    e.last.threads = p.threads;
    if (asks_schedstat(e)) e.runs = read_runs(e).value_or(Runs{});
    auto text = read_file(e, Held::stat, buf);
    auto line = text ? parse_stat_line(*text) : std::nullopt;
    if (!line || line->start_ticks != p.start_ticks) return std::nullopt;
    e.last = motion_of(*line);
    hold_best(e);
    return e;
  }

  // The processes of the last read that /proc no longer lists, added to `left`.
  void note_gone(const std::vector<pid_t>& listed) {
    for (const Entry& e : entries)
      if (!std::ranges::binary_search(listed, e.pid)) left.push_back(e.pid);
    std::ranges::sort(left);
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

Result<std::vector<Process>> StatReader::read(const std::vector<Process>& before) {
  Impl& r = *impl_;
  auto pids = list_pids(r.proc_fd.get(), r.entries.size());
  if (!pids) return std::unexpected(pids.error());
  r.note_gone(*pids);

  std::vector<Process> processes;
  processes.reserve(pids->size());
  std::vector<Impl::Entry> kept;
  kept.reserve(pids->size());
  std::vector<pid_t> unseen, missed;
  auto old = r.entries.begin();
  auto prev = before.begin();
  for (pid_t pid : *pids) {
    while (old != r.entries.end() && old->pid < pid) ++old;
    if (old != r.entries.end() && old->pid == pid) {
      while (prev != before.end() && prev->pid < pid) ++prev;
      bool same = prev != before.end() && prev->pid == pid && prev->start_ticks == old->start_ticks;
      if (auto p = r.look_again(*old, same ? &*prev : nullptr)) {
        processes.push_back(std::move(*p));
        kept.push_back(std::move(*old));
        continue;
      }
      missed.push_back(pid);  // gone while we looked: its children are looked up next time
    }
    unseen.push_back(pid);  // new, or its PID recycled since the last look
  }
  r.left = std::move(missed);
  r.entries = std::move(kept);  // closes the files of processes gone
  auto kept_count = r.entries.size();
  r.held = static_cast<std::size_t>(std::ranges::count_if(
      r.entries, [](const Impl::Entry& e) { return e.held != Impl::Held::none; }));

  auto known = processes.size();
  for (Process& p : r.pids.read(unseen)) {
    auto entry = r.first_look(p);
    if (!entry) continue;  // replaced between the two reads: new at the next one
    r.entries.push_back(std::move(*entry));
    processes.push_back(std::move(p));
  }
  if (processes.empty()) return std::unexpected(empty_process_table(EIO));
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
