// /proc/PID/environ (and cmdline's NUL splitting), with the masking env and inspect apply.
#include <string>
#include <vector>

#include "core/diagnosis/inspect.h"
#include "core/proc/proc_parse.h"
#include "core/present/redact.h"
#include "tests/fuzz/fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz_text(data, size);
  auto words = nsdebug::split_nul(text);
  std::string joined;
  for (const auto& w : words) {
    FUZZ_CHECK(w.find('\0') == std::string::npos);
    joined += w;
    joined += '\0';
  }
  // Only trailing NUL padding is dropped: the words joined are the text up to its padding.
  FUZZ_CHECK(text.starts_with(std::string_view(joined).substr(0, text.size())));
  FUZZ_CHECK(nsdebug::split_nul(joined) == words);

  // Every non-empty word is kept, in order (env --json is lossless); the masking keeps a name.
  auto env = nsdebug::parse_environ(text);
  std::vector<std::string> nonempty;
  for (const auto& w : words)
    if (!w.empty()) nonempty.push_back(w);
  FUZZ_CHECK(env.entries == nonempty);
  for (const auto& e : env.entries) {
    FUZZ_CHECK(!e.empty() && e.find('\0') == std::string::npos);
    auto eq = e.find('=');
    if (eq == std::string::npos || eq == 0) continue;  // no NAME=VALUE: nothing named to mask
    auto masked = nsdebug::redact_env_entry(e);
    auto key = e.substr(0, eq);
    FUZZ_CHECK(masked.starts_with(key + "="));  // the name is always kept
    if (nsdebug::is_secret_name(key)) FUZZ_CHECK(masked == key + "=***");
  }
  return 0;
}
