// The parsers for the files a process table reads again and again: /proc/PID/stat, statm and
// schedstat (core/proc/stat_reader.h reads them every refresh, so they are plain from_chars loops).
#include <charconv>
#include <cstdint>
#include <string_view>

#include "core/proc/proc_parse.h"

namespace nsdebug {

namespace {

// Reads space-separated numbers left to right; any miss sticks, so the caller checks once.
class FieldCursor {
 public:
  explicit FieldCursor(std::string_view text) : at_(text.data()), end_(text.data() + text.size()) {}
  template <typename T>
  T next() {
    T value{};
    while (at_ < end_ && *at_ == ' ') ++at_;
    auto [p, ec] = std::from_chars(at_, end_, value);
    if (ec != std::errc() || (p < end_ && *p != ' ' && *p != '\n')) ok_ = false;
    at_ = p;
    return value;
  }
  char next_char() {
    while (at_ < end_ && *at_ == ' ') ++at_;
    if (at_ == end_) {
      ok_ = false;
      return '?';
    }
    return *at_++;
  }
  // Fields skipped by their text: rsslim is an unsigned long that may be 2^64-1.
  void skip(int fields) {
    for (int i = 0; i < fields; ++i) {
      while (at_ < end_ && *at_ == ' ') ++at_;
      const char* start = at_;
      while (at_ < end_ && *at_ != ' ' && *at_ != '\n') ++at_;
      if (at_ == start) ok_ = false;
    }
  }
  bool ok() const { return ok_; }

 private:
  const char* at_;
  const char* end_;
  bool ok_ = true;
};

}  // namespace

std::optional<StatLine> parse_stat_line(std::string_view text) {
  auto open = text.find('(');
  auto close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return std::nullopt;
  StatLine s;
  s.comm = text.substr(open + 1, close - open - 1);
  FieldCursor in(text.substr(close + 1));
  s.state = in.next_char();              // 3
  s.ppid = in.next<pid_t>();             // 4
  s.pgrp = in.next<pid_t>();             // 5
  s.session = in.next<pid_t>();          // 6
  s.tty_nr = in.next<int>();             // 7
  s.tpgid = in.next<pid_t>();            // 8
  in.skip(1);                            // 9 flags
  s.minflt = in.next<std::uint64_t>();   // 10
  in.skip(1);                            // 11 cminflt
  s.majflt = in.next<std::uint64_t>();   // 12
  in.skip(1);                            // 13 cmajflt
  s.utime = in.next<std::uint64_t>();    // 14
  s.stime = in.next<std::uint64_t>();    // 15
  in.skip(2);                            // 16 cutime, 17 cstime
  s.priority = in.next<int>();           // 18
  s.nice = in.next<int>();               // 19
  s.threads = in.next<int>();            // 20
  in.skip(1);                            // 21 itrealvalue
  s.start_ticks = in.next<std::uint64_t>();  // 22
  s.vsize = in.next<std::uint64_t>();        // 23
  s.rss_pages = in.next<std::uint64_t>();    // 24
  in.skip(14);                           // 25 rsslim .. 38 exit_signal
  s.processor = in.next<int>();          // 39
  in.skip(1);                            // 40 rt_priority
  s.policy = in.next<int>();             // 41
  if (!in.ok()) return std::nullopt;
  return s;
}

std::optional<SchedStat> parse_schedstat(std::string_view text) {
  FieldCursor in(text);
  SchedStat s;
  s.run_ns = in.next<std::uint64_t>();
  s.wait_ns = in.next<std::uint64_t>();
  s.timeslices = in.next<std::uint64_t>();
  if (!in.ok()) return std::nullopt;
  return s;
}

std::optional<std::uint64_t> parse_statm_resident(std::string_view text) {
  FieldCursor in(text);
  in.skip(1);
  auto resident = in.next<std::uint64_t>();
  if (!in.ok()) return std::nullopt;
  return resident;
}

std::optional<std::uint64_t> parse_ns_link(std::string_view text, std::string_view type) {
  if (!text.starts_with(type) || !text.substr(type.size()).starts_with(":[") || !text.ends_with(']'))
    return std::nullopt;
  auto digits = text.substr(type.size() + 2, text.size() - type.size() - 3);
  std::uint64_t inode = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), inode);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) return std::nullopt;
  return inode;
}

}  // namespace nsdebug
