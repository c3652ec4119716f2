#pragma once
// `nsdebug kill`'s words as CLI11 leaves them, made into a request: the signal (-s NAME,
// -NAME, -NUMBER), the PIDs, --wait and --timeout. Usage errors only: nothing is read here.
#include <CLI/CLI.hpp>
#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <optional>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/present/select.h"

namespace nsdebug::cli {

struct KillOptions {
  std::string signal;               // -s
  std::vector<std::string> args;    // PIDs; "-9" lands here too
  std::vector<std::string> extras;  // "-HUP": CLI11 sees an unknown option
  std::string unused;               // see setup_kill
  // How many of `args` came before "--": the ones after it are PIDs, never signals
  // (`kill -KILL -- -1`). nullopt: no "--".
  std::optional<std::size_t> args_before_dashes;
  Filter filter;                    // -n, -c
  bool list = false, table = false, force = false, dry_run = false;
  std::string wait;     // "" not given, "true" (a bare --wait), or seconds
  std::string timeout;  // "" not given, else seconds
};

struct KillRequest {
  int sig = SIGTERM;
  std::vector<pid_t> pids;
  bool wait = false;
  std::optional<std::chrono::milliseconds> wait_limit;  // nullopt: until they exit
  std::optional<std::chrono::milliseconds> timeout;     // escalate to KILL after this
};

// A usage error: exit 2.
Result<KillRequest> make_request(const KillOptions& o);

// "--timeout 2.5" -> 2500 ms. A word, nan, inf or a negative number is a usage error that
// says which in one line (CLI11's own check printed the whole range of a double).
Result<std::chrono::milliseconds> seconds_arg(std::string_view option, const std::string& text);

// Records in o.args_before_dashes where "--" fell among the PIDs: CLI11 keeps "--" among the
// extras but not its position, so a validator on `pid` looks at the extras as each word is
// parsed.
void note_dashes(CLI::App& sub, CLI::Option& pid, KillOptions& o);

}  // namespace nsdebug::cli
