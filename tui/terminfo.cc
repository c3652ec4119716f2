// The terminfo entries that travel with nsdebug (terminfo_entries.inc, from gen_terminfo.sh).
#include <cstring>
#include <string>

#include "tui/screen.h"

namespace nsdebug::tui {
namespace {

struct Entry {
  const char* name;
  const char* compiled;
};
constexpr Entry kEntries[] = {
#include "tui/terminfo_entries.inc"
};

}  // namespace

const char* builtin_terminfo_entry(const std::string& name) {
  for (const auto& e : kEntries)
    if (name == e.name) return e.compiled;
  return nullptr;
}

const char* builtin_terminfo_for(const std::string& term) {
  if (builtin_terminfo_entry(term)) {
    for (const auto& e : kEntries)
      if (term == e.name) return e.name;
  }
  // Most terminals emulate xterm; a family we know keeps its own entry.
  bool many = term.find("256color") != std::string::npos;
  if (term.starts_with("tmux")) return many ? "tmux-256color" : "tmux";
  if (term.starts_with("screen")) return many ? "screen-256color" : "screen";
  if (term.starts_with("vt2") || term.starts_with("vt3") || term.starts_with("vt4")) return "vt220";
  if (term.starts_with("vt1")) return "vt100";
  if (term == "linux" || term.starts_with("linux-")) return "linux";
  return many || term.empty() || term == "dumb" ? "xterm-256color" : "xterm";
}

}  // namespace nsdebug::tui
