#include "core/proc/argv.h"

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
  std::size_t bytes = 0, words = 0;
  for (auto* p = strv; p && *p; ++p) {
    bytes += std::strlen(*p) + 1;
    ++words;
  }
  // A title written over argv (setproctitle) pads the rest of the old argv with NULs, which
  // read back as empty words: drop the trailing ones, as they are padding, not arguments.
  while (words > 1 && *strv[words - 1] == '\0') {
    --words;
    --bytes;
  }
  argv.words_.reserve(bytes);  // one allocation, sized exactly
  for (std::size_t i = 0; i < words; ++i) argv.push_back(strv[i]);
  return argv;
}

Argv Argv::from_cmdline(std::string_view raw) {
  Argv argv;
  if (raw.empty()) return argv;  // a kernel thread or a zombie
  // NULs after the last word's own are a title's padding (setproctitle): no empty words, as
  // from_strv; all NULs is one empty word (argv {""}).
  auto last = raw.find_last_not_of('\0');
  raw = last == std::string_view::npos ? std::string_view() : raw.substr(0, last + 1);
  argv.words_.reserve(raw.size() + 1);  // the text as it is: a newline stays inside its word
  argv.words_.assign(raw);
  argv.words_.push_back('\0');
  argv.count_ = static_cast<std::uint32_t>(std::ranges::count(argv.words_, '\0'));
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
