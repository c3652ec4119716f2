#pragma once
// What both faces say of a kill guard's refusal (core/signals/kill_guard.h's GuardCase): the
// command refused and why, in the words `nsdebug kill` prints and the TUI's confirmation shows.
// What to do about it is each face's own (tools/kill_words.h: --force; the TUI: y).
#include <string>

#include "core/signals/kill_guard.h"

namespace nsdebug {

// "kill -TERM 1"
std::string guard_what(const GuardCase& c);
// What the process is and what the signal would do to it.
std::string guard_why(const GuardCase& c);

}  // namespace nsdebug
