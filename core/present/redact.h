#pragma once
// Secret masking for what every container of a shared-PID pod can read of every other: the
// environment (with ptrace access) and argv (world-readable /proc/PID/cmdline).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/proc/argv.h"

namespace nsdebug {

inline constexpr std::string_view kMask = "***";

// A name that usually holds a secret: contains PASSWORD, SECRET, TOKEN, KEY, CREDENTIAL, AUTH
// or PRIVATE, in any case. Over-matching (MONKEY) is the safe side.
bool is_secret_name(std::string_view name);

// "scheme://user:pass@host/..." -> "scheme://user:***@host/..." wherever it occurs in `text`.
std::string mask_url_credentials(std::string_view text);

// "Authorization: Bearer abc" -> "Authorization: Bearer ***", "X-Api-Key: abc" ->
// "X-Api-Key: ***": a header whose name is secret-looking; nullopt when `text` is none.
std::optional<std::string> mask_header(std::string_view text);

// One environ entry "KEY=VALUE": the value masked when KEY is secret-looking, else only the
// URL credentials inside it.
std::string redact_env_entry(std::string_view entry);

// argv with "--password=x", "--token x", "-p" style... values and URL credentials masked, and
// "KEY=VALUE" words (env(1), sh -c assignments) treated as environ entries.
// False when redact_argv would return argv unchanged (no URL, no secret-looking option or
// assignment): most command lines, checked without allocating.
bool argv_may_hold_secret(const Argv& argv);

std::vector<std::string> redact_argv(const Argv& argv);

}  // namespace nsdebug
