// Secret masking of argv and environment entries: the input is a NUL-separated argv.
#include <string>

#include "core/proc/argv.h"
#include "core/proc/proc_parse.h"
#include "core/present/redact.h"
#include "tests/fuzz/fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz_text(data, size);
  auto words = nsdebug::split_nul(text);
  nsdebug::Argv argv(words);
  FUZZ_CHECK(argv.to_vector() == words);
  auto masked = nsdebug::redact_argv(argv);
  FUZZ_CHECK(masked.size() == words.size());
  // The cheap test ps makes before masking never skips an argv that masking would change.
  if (!nsdebug::argv_may_hold_secret(argv)) FUZZ_CHECK(masked == words);
  for (const auto& w : words) {
    auto m = nsdebug::mask_url_credentials(w);
    FUZZ_CHECK(w.find("://") != std::string::npos || m == w);
    (void)nsdebug::redact_env_entry(w);
  }
  return 0;
}
