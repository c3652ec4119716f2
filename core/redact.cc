#include "core/redact.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace nsdebug {
namespace {

constexpr std::array<std::string_view, 7> kSecretWords{
    "PASSWORD", "SECRET", "TOKEN", "KEY", "CREDENTIAL", "AUTH", "PRIVATE"};

// ASCII only, not std::toupper: the words are ASCII, and this runs for every option of every
// ps row, where a locale call a character was half the cost of deciding argv holds no secret.
char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

bool contains_nocase(std::string_view hay, std::string_view needle) {
  if (hay.size() < needle.size()) return false;
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                        [](char a, char b) { return ascii_upper(a) == b; });
  return it != hay.end();
}

bool is_scheme_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
}

// An environment-style name: letters, digits, '_', not starting with a digit.
bool is_env_name(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::ranges::all_of(s, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

}  // namespace

bool is_secret_name(std::string_view name) {
  return std::ranges::any_of(kSecretWords,
                             [&](std::string_view w) { return contains_nocase(name, w); });
}

std::string mask_url_credentials(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    auto sep = text.find("://", pos);
    if (sep == std::string_view::npos) break;
    // A scheme must precede "://", else this is no URL.
    bool has_scheme = sep > 0 && is_scheme_char(text[sep - 1]);
    auto auth_begin = sep + 3;
    auto auth_end = text.find_first_of("/?# \t\n", auth_begin);
    if (auth_end == std::string_view::npos) auth_end = text.size();
    auto authority = text.substr(auth_begin, auth_end - auth_begin);
    auto at = authority.rfind('@');
    auto colon = at == std::string_view::npos ? at : authority.substr(0, at).find(':');
    out.append(text.substr(pos, auth_begin - pos));
    if (has_scheme && colon != std::string_view::npos) {
      out.append(authority.substr(0, colon + 1));
      out.append(kMask);
      out.append(authority.substr(at));
    } else {
      out.append(authority);
    }
    pos = auth_end;
  }
  out.append(text.substr(pos));
  return out;
}

std::string redact_env_entry(std::string_view entry) {
  auto eq = entry.find('=');
  if (eq == std::string_view::npos) return mask_url_credentials(entry);
  auto key = entry.substr(0, eq);
  if (is_secret_name(key)) return std::string(key) + "=" + std::string(kMask);
  return std::string(key) + "=" + mask_url_credentials(entry.substr(eq + 1));
}

namespace {

// A title written over argv (setproctitle, exec -a): one word holding the whole command line,
// "nginx: worker process" or "app --password=x". Its words get argv's rules.
bool is_title(std::string_view first_word) {
  return first_word.find(' ') != std::string_view::npos;
}

// The words between spaces. A run of spaces separates two words; it holds no empty word, which
// would take the place of the value after "--token" and leave the value unmasked.
template <class F>
void for_each_title_word(std::string_view title, F on_word) {
  for (std::size_t i = 0; i < title.size();) {
    if (title[i] == ' ') {
      ++i;
      continue;
    }
    auto end = std::min(title.find(' ', i), title.size());
    on_word(i, end);
    i = end;
  }
}

Argv title_words(std::string_view title) {
  Argv words;
  for_each_title_word(title,
                      [&](std::size_t b, std::size_t e) { words.push_back(title.substr(b, e - b)); });
  return words;
}

// Each word replaced by its masked form; the spaces around them stay as they were, so a title
// with nothing to mask comes back unchanged (as argv_may_hold_secret promises).
std::string redact_title(std::string_view title) {
  auto masked = redact_argv(title_words(title));
  std::string out;
  std::size_t at = 0, k = 0;
  for_each_title_word(title, [&](std::size_t b, std::size_t e) {
    out.append(title.substr(at, b - at));
    out.append(masked[k++]);
    at = e;
  });
  out.append(title.substr(at));
  return out;
}

}  // namespace

// The tests redact_argv makes, without building anything: a URL anywhere, an option with a
// secret-looking name, or an assignment with a secret-looking key. Any option or '=' alone is
// not enough: most command lines have options ("--inner", "-c"), and redacting them for
// nothing was an allocation per argument on every ps row.
bool argv_may_hold_secret(const Argv& argv) {
  std::size_t i = 0;
  for (std::string_view a : argv) {
    if (a.find("://") != std::string_view::npos) return true;
    if (i++ == 0) {
      if (is_title(a) && argv_may_hold_secret(title_words(a))) return true;
      continue;
    }
    auto name = a.substr(0, a.find('='));
    if (a.starts_with('-') && is_secret_name(name)) return true;
    if (name.size() < a.size() && is_env_name(name) && is_secret_name(name)) return true;
  }
  return false;
}

std::vector<std::string> redact_argv(const Argv& argv) {
  std::vector<std::string> out;
  out.reserve(argv.size());
  bool mask_next = false;
  std::size_t i = 0;
  for (std::string_view a : argv) {
    bool first = i++ == 0;
    if (mask_next && !a.starts_with('-')) {
      out.emplace_back(kMask);
      mask_next = false;
      continue;
    }
    mask_next = false;
    if (first && is_title(a)) {
      out.push_back(redact_title(a));
      continue;
    }
    // argv[0] is the program: "/usr/bin/keyring-daemon" holds no secret.
    if (first || a.empty()) {
      out.push_back(mask_url_credentials(a));
      continue;
    }
    auto eq = a.find('=');
    if (a.starts_with('-')) {
      auto name = a.substr(0, eq);
      if (is_secret_name(name)) {
        if (eq == std::string_view::npos) {
          mask_next = true;  // "--token x": the value is the next word
          out.emplace_back(a);
        } else {
          out.push_back(std::string(a.substr(0, eq + 1)) + std::string(kMask));
        }
        continue;
      }
    } else if (eq != std::string_view::npos && is_env_name(a.substr(0, eq))) {
      out.push_back(redact_env_entry(a));
      continue;
    }
    out.push_back(mask_url_credentials(a));
  }
  return out;
}

}  // namespace nsdebug
