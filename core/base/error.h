#pragma once
// The one error type core returns. A user sees it as
//   nsdebug: <what>: <why>
//   hint: <hint>
#include <cerrno>
#include <cstring>
#include <expected>
#include <string>

namespace nsdebug {

struct Error {
  int code = 0;          // errno where one applies, else 0
  std::string what;      // the thing that failed: "open /proc/42/root"
  std::string why;       // empty: strerror(code)
  std::string hint;      // the fix, when there is one

  std::string reason() const { return why.empty() ? std::string(std::strerror(code)) : why; }
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(int code, std::string what, std::string why = {},
                                   std::string hint = {}) {
  return std::unexpected(Error{code, std::move(what), std::move(why), std::move(hint)});
}

// errno at the call, for the common "a syscall failed" case.
inline std::unexpected<Error> fail_errno(std::string what, std::string hint = {}) {
  return fail(errno, std::move(what), {}, std::move(hint));
}

}  // namespace nsdebug
