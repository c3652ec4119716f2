// /proc/PID/status: ids, NSpid, capabilities, state and name; and SigIgn/SigCgt for the guards.
#include <string>

#include <fmt/format.h>

#include "core/signals/kill_guard.h"
#include "core/proc/proc_parse.h"
#include "tests/fuzz/fuzz.h"

namespace {

// The kernel's own escaping of Name (seq_escape_str with "\n\\").
std::string escape_name(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c == '\n') out += "\\n";
    else if (c == '\\') out += "\\\\";
    else out += c;
  }
  return out;
}

// StatusIds written back as the kernel writes them.
std::string render(const nsdebug::StatusIds& s) {
  std::string out = fmt::format("Name:\t{}\nState:\t{}\n", escape_name(s.name), s.state);
  out += fmt::format("Uid:\t{}\t{}\t{}\t{}\n", s.ruid, s.euid, s.suid, s.fsuid);
  out += fmt::format("Gid:\t{}\t{}\t{}\t{}\n", s.rgid, s.egid, s.sgid, s.fsgid);
  if (!s.nspid.empty()) out += fmt::format("NSpid:\t{}\n", fmt::join(s.nspid, "\t"));
  out += fmt::format("CapPrm:\t{:016x}\nCapEff:\t{:016x}\nCapBnd:\t{:016x}\n", s.cap_prm,
                     s.cap_eff, s.cap_bnd);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz_text(data, size);
  if (auto s = nsdebug::parse_status(text)) {
    auto again = nsdebug::parse_status(render(*s));
    FUZZ_CHECK(again);
    FUZZ_CHECK(again->ruid == s->ruid && again->euid == s->euid && again->suid == s->suid &&
               again->fsuid == s->fsuid);
    FUZZ_CHECK(again->rgid == s->rgid && again->egid == s->egid && again->sgid == s->sgid &&
               again->fsgid == s->fsgid);
    FUZZ_CHECK(again->nspid == s->nspid);
    FUZZ_CHECK(again->cap_eff == s->cap_eff && again->cap_prm == s->cap_prm &&
               again->cap_bnd == s->cap_bnd);
    // A state of '\n' or ' ' cannot be written back on its line; every other byte can.
    if (s->state != '\n' && s->state != ' ' && s->state != '\t' && s->state != '\r')
      FUZZ_CHECK(again->state == s->state);
    FUZZ_CHECK(again->name == s->name);
  }
  if (auto m = nsdebug::parse_signal_masks(text)) {
    auto again = nsdebug::parse_signal_masks(
        fmt::format("SigIgn:\t{:016x}\nSigCgt:\t{:016x}\n", m->ignored, m->caught));
    FUZZ_CHECK(again && again->ignored == m->ignored && again->caught == m->caught);
  }
  return 0;
}
