#pragma once
// Signals' names and numbers as kill(1) spells them. The guards are in kill_guard.h, the
// pidfd handles in process_handle.h.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/proc/access.h"
#include "core/base/error.h"
#include "core/base/unique_fd.h"

namespace nsdebug {

// The real-time range depends on the C library (glibc keeps 32 and 33 for itself: 34..64;
// musl: 35..64), so the parsers take it as a parameter and tests can pin it.
struct SignalRange {
  int rtmin = 34;
  int rtmax = 64;
};
SignalRange host_signal_range();  // SIGRTMIN and SIGRTMAX of the libc nsdebug runs on

// "HUP", "RTMIN+3", "RTMAX-1", "RTMAX"; a number with no name (32, 33) as digits; 0 as "0".
std::string signal_name(int sig, SignalRange range = host_signal_range());

// Every nameable signal in number order, as `kill -l` lists them.
std::vector<int> listed_signals(SignalRange range = host_signal_range());

// "HUP", "sighup", "SIGHUP", "1", "RTMIN+3", "SIGRTMAX-1" -> number; 0 (check only) allowed.
// EINVAL when unknown, with a hint naming the close matches.
Result<int> parse_signal(std::string_view text, SignalRange range = host_signal_range());

// As parse_signal, for `kill -l`: a number above 128 is a shell's exit status, 128 + the
// signal that ended the command (bash and busybox accept `kill -l $?`): 137 is KILL.
Result<int> parse_listed_signal(std::string_view text, SignalRange range = host_signal_range());

// Names close to `text` (same prefix, or a small edit distance), closest first.
std::vector<std::string> similar_signal_names(std::string_view text,
                                              SignalRange range = host_signal_range());

}  // namespace nsdebug
