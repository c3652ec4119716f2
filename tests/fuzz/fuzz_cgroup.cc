// /proc/PID/cgroup and what its paths say about the container runtime.
#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "core/proc/proc_parse.h"
#include "tests/fuzz/fuzz.h"

namespace {
bool hex_id(const std::string& s) {
  return s.size() >= 32 && std::ranges::all_of(s, [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz_text(data, size);
  auto lines = nsdebug::parse_cgroup(text);
  std::string rendered;
  for (const auto& l : lines) {
    FUZZ_CHECK(l.path.starts_with('/'));
    FUZZ_CHECK(l.controllers.find_first_of(":\n") == std::string::npos);
    FUZZ_CHECK(l.path.find('\n') == std::string::npos);
    rendered += fmt::format("{}:{}:{}\n", l.hierarchy, l.controllers, l.path);
  }
  // The lines written back parse to the same lines.
  auto again = nsdebug::parse_cgroup(rendered);
  FUZZ_CHECK(again.size() == lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i)
    FUZZ_CHECK(again[i].hierarchy == lines[i].hierarchy &&
               again[i].controllers == lines[i].controllers && again[i].path == lines[i].path);
  if (auto r = nsdebug::runtime_id_from_cgroup(text)) {
    FUZZ_CHECK(hex_id(r->id));
    FUZZ_CHECK(text.find(r->id) != std::string_view::npos);
    FUZZ_CHECK(r->pod_uid.empty() || r->pod_uid.size() >= 32);
    // Only the lines matter, not how they were spelled.
    auto r2 = nsdebug::runtime_id_from_cgroup(rendered);
    FUZZ_CHECK(r2 && r2->id == r->id && r2->runtime == r->runtime && r2->pod_uid == r->pod_uid);
  }
  return 0;
}
