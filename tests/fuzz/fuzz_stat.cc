// /proc/PID/stat (the table's fast path and the pidfd handle's start-time check), statm, and
// /proc/stat's btime.
#include <string>

#include <fmt/format.h>

#include "core/proc/process_handle.h"
#include "core/proc/proc_parse.h"
#include "tests/fuzz/fuzz.h"

namespace {

// A stat line the kernel's way, from parsed fields: it must parse back to the same fields.
std::string write_back(const nsdebug::StatLine& s) {
  return fmt::format(
      "7 ({}) {} {} {} {} 0 {} 0 {} 0 {} 0 {} {} 0 0 20 {} {} 0 {} {} {} "
      "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 {} 0 0 0\n",
      s.comm, s.state, s.ppid, s.pgrp, s.session, s.tpgid, s.minflt, s.majflt, s.utime, s.stime,
      s.nice, s.threads, s.start_ticks, s.vsize, s.rss_pages, s.policy);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz_text(data, size);
  if (auto s = nsdebug::parse_stat_line(text)) {
    FUZZ_CHECK(s->comm.data() >= text.data() && s->comm.end() <= text.end());
    // A state of ')' or ' ' would end comm or the field again when written back; the
    // kernel's states are letters.
    if (s->state != ')' && s->state != ' ' && s->state != '\n') {
      std::string again_text = write_back(*s);
      auto again = nsdebug::parse_stat_line(again_text);
      FUZZ_CHECK(again && again->comm == s->comm && again->state == s->state &&
                 again->ppid == s->ppid && again->tpgid == s->tpgid &&
                 again->utime == s->utime && again->stime == s->stime &&
                 again->start_ticks == s->start_ticks && again->rss_pages == s->rss_pages &&
                 again->policy == s->policy && again->threads == s->threads);
      auto f = nsdebug::parse_stat(again_text);
      FUZZ_CHECK(f && f->start_ticks == s->start_ticks && f->ppid == s->ppid);
    }
  }
  if (auto r = nsdebug::parse_statm_resident(text))
    FUZZ_CHECK(nsdebug::parse_statm_resident(fmt::format("9 {} 3 1 0 2 0\n", *r)) == *r);
  if (auto t = nsdebug::parse_boot_time(text)) {
    FUZZ_CHECK(*t > 0);
    FUZZ_CHECK(text.find("btime ") != std::string_view::npos);
    FUZZ_CHECK(nsdebug::parse_boot_time(fmt::format("cpu 1 2\nbtime {}\n", *t)) == *t);
  }
  return 0;
}
