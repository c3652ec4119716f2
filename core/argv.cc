#include "core/argv.h"

#include <algorithm>
#include <cstring>

namespace nsdebug {

Argv::Argv(std::initializer_list<std::string_view> words) {
  for (auto w : words) push_back(w);
}

Argv::Argv(const std::vector<std::string>& words) {
  for (const auto& w : words) push_back(w);
}

Argv Argv::from_strv(const char* const* strv) {
  Argv argv;
  std::size_t bytes = 0;
  for (auto* p = strv; p && *p; ++p) bytes += std::strlen(*p) + 1;
  argv.words_.reserve(bytes);  // one allocation, sized exactly
  for (auto* p = strv; p && *p; ++p) argv.push_back(*p);
  return argv;
}

Argv Argv::from_cmdline(std::string_view raw) {
  Argv argv;
  raw = raw.substr(0, raw.find_last_not_of('\0') + 1);  // npos + 1 == 0: all NULs
  if (raw.empty()) return argv;
  argv.words_.reserve(raw.size() + 1);
  for (std::size_t start = 0; start <= raw.size();) {
    std::size_t end = std::min(raw.find('\0', start), raw.size());
    argv.push_back(raw.substr(start, end - start));
    start = end + 1;
  }
  return argv;
}

void Argv::push_back(std::string_view word) {
  words_.append(word);
  words_.push_back('\0');
  ++count_;
}

std::string_view Argv::operator[](std::size_t i) const {
  auto it = begin();
  while (i--) ++it;
  return *it;
}

std::vector<std::string> Argv::to_vector() const {
  std::vector<std::string> out;
  out.reserve(count_);
  for (auto w : *this) out.emplace_back(w);
  return out;
}

void Argv::append_joined(std::string& out) const {
  if (words_.empty()) return;
  auto start = out.size();
  out.append(words_, 0, words_.size() - 1);  // the last NUL ends the line, not a word
  std::replace(out.begin() + static_cast<std::ptrdiff_t>(start), out.end(), '\0', ' ');
}

}  // namespace nsdebug
