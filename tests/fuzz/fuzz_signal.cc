// Signal names and numbers as kill(1) takes them, for glibc's and musl's real-time ranges.
#include <string>

#include "core/signals/signals.h"
#include "tests/fuzz/fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz_text(data, size);
  for (auto range : {nsdebug::SignalRange{34, 64}, nsdebug::SignalRange{35, 64}}) {
    auto sig = nsdebug::parse_signal(text, range);
    if (sig) {
      FUZZ_CHECK(*sig >= 0 && *sig <= range.rtmax);
      // Its name parses back to it.
      auto name = nsdebug::signal_name(*sig, range);
      auto again = nsdebug::parse_signal(name, range);
      FUZZ_CHECK(again && *again == *sig);
    } else {
      FUZZ_CHECK(!sig.error().what.empty());
    }
    if (size < 64) (void)nsdebug::similar_signal_names(text, range);
  }
  return 0;
}
