#include "core/present/redact.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

namespace nsdebug {
namespace {

constexpr std::array<std::string_view, 9> kSecretWords{
    "PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "KEY", "CREDENTIAL", "AUTH", "PRIVATE"};

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

bool equals_nocase(std::string_view a, std::string_view upper) {
  return a.size() == upper.size() &&
         std::equal(a.begin(), a.end(), upper.begin(), [](char x, char y) { return ascii_upper(x) == y; });
}

// "PASS" only as the name's last word: --db-pass, DB_PASS, --pass; not --pass-through,
// BYPASS or COMPASS_DIR.
bool ends_with_pass_word(std::string_view name) {
  auto cut = name.find_last_of("-_.");
  std::string_view last = cut == std::string_view::npos ? name : name.substr(cut + 1);
  return equals_nocase(last, "PASS");
}

// Where the authority after "://" ends. RFC 3986 ends it at the first '/', '?' or '#', but
// passwords are pasted unencoded ("mongodb://app:pa/ss@db"): when an '@' follows in the same
// word and a ':' comes before the first '/', the userinfo runs to that '@', unless what
// follows the ':' is a port ("https://host:8080/@scope/pkg").
std::size_t userinfo_end(std::string_view text, std::size_t begin, std::size_t rfc_end) {
  auto word_end = std::min(text.find_first_of(" \t\n", begin), text.size());
  auto at = text.substr(0, word_end).rfind('@');
  if (at == std::string_view::npos || at < rfc_end) return rfc_end;
  if (text.substr(begin, rfc_end - begin).find('@') != std::string_view::npos) return rfc_end;
  auto colon = text.find(':', begin);
  if (colon >= rfc_end) return rfc_end;
  auto after = text.substr(colon + 1, rfc_end - colon - 1);
  bool port = !after.empty() && std::ranges::all_of(after, [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
  if (port) return rfc_end;
  return std::min(text.find_first_of("/?#", at), word_end);
}

}  // namespace

bool is_secret_name(std::string_view name) {
  return ends_with_pass_word(name) ||
         std::ranges::any_of(kSecretWords,
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
    auth_end = userinfo_end(text, auth_begin, auth_end);
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

namespace {

bool is_header_name(std::string_view s) {
  return !s.empty() && std::ranges::all_of(s, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

bool is_authorization(std::string_view name) {
  return equals_nocase(name, "AUTHORIZATION") || equals_nocase(name, "PROXY-AUTHORIZATION");
}

}  // namespace

std::optional<std::string> mask_header(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto name = text.substr(0, colon);
  auto value_at = text.find_first_not_of(" \t", colon + 1);
  bool spaced = value_at != colon + 1;
  // "keycloak:21.0" is an image, "X-Api-Key: abc" a header: a space after the colon, or the
  // Authorization header itself, says header.
  if (!is_header_name(name) || !is_secret_name(name) || (!spaced && !is_authorization(name)) ||
      value_at == std::string_view::npos)
    return std::nullopt;
  std::string out(text.substr(0, value_at));
  auto value = text.substr(value_at);
  // "Bearer abc", "Basic dXNlcjpw": the scheme says what kind of secret, and stays.
  if (auto sp = value.find(' '); is_authorization(name) && sp != std::string_view::npos)
    out.append(value.substr(0, sp + 1));
  out.append(kMask);
  return out;
}

std::string redact_env_entry(std::string_view entry) {
  auto eq = entry.find('=');
  if (eq == std::string_view::npos) return mask_url_credentials(entry);
  auto key = entry.substr(0, eq);
  if (is_secret_name(key)) return std::string(key) + "=" + std::string(kMask);
  auto value = entry.substr(eq + 1);
  if (auto header = mask_header(value)) return std::string(key) + "=" + *header;
  return std::string(key) + "=" + mask_url_credentials(value);
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

// mysql and mariadb take the password glued to -p ("-phunter2"; a bare -p prompts, and the
// word after it is the database). Anywhere else -p is a port, a path, a pid.
bool glued_password_program(std::string_view argv0) {
  auto base = argv0.substr(std::min(argv0.rfind('/') + 1, argv0.size()));
  return base.starts_with("mysql") || base.starts_with("mariadb");
}

bool is_glued_password(std::string_view a) { return a.size() > 2 && a.starts_with("-p"); }

// "Authorization:" alone: the header's value comes as the next words (a title split at spaces).
bool is_bare_header_name(std::string_view a) {
  return a.size() > 1 && a.back() == ':' && is_header_name(a.substr(0, a.size() - 1)) &&
         is_secret_name(a.substr(0, a.size() - 1));
}

}  // namespace

// The tests redact_argv makes, without building anything: a URL anywhere, an option, header
// or assignment with a secret-looking name, mysql's -pX. Any option or '=' alone is not enough:
// most command lines have options ("--inner", "-c"), and redacting them for nothing was an
// allocation per argument on every ps row.
bool argv_may_hold_secret(const Argv& argv) {
  std::size_t i = 0;
  bool glued = false;
  for (std::string_view a : argv) {
    if (a.find("://") != std::string_view::npos) return true;
    if (i++ == 0) {
      if (is_title(a) && argv_may_hold_secret(title_words(a))) return true;
      glued = glued_password_program(a);
      continue;
    }
    auto name = a.substr(0, a.find('='));
    if (a.starts_with('-') && is_secret_name(name)) return true;
    if (name.size() < a.size() && is_env_name(name) && is_secret_name(name)) return true;
    if (glued && is_glued_password(a)) return true;
    bool assigned = name.size() < a.size();  // "--header=Authorization: Bearer x"
    if (a.find(':') != std::string_view::npos &&
        (is_bare_header_name(a) || mask_header(a) ||
         (assigned && mask_header(a.substr(name.size() + 1)))))
      return true;
  }
  return false;
}

namespace {

// One word that is not the program and not a value we were told to mask.
std::string redact_word(std::string_view a, bool glued, int& pending) {
  if (glued && is_glued_password(a)) return "-p" + std::string(kMask);
  if (is_bare_header_name(a)) {
    pending = is_authorization(a.substr(0, a.size() - 1)) ? 2 : 1;  // 2: a scheme comes first
    return std::string(a);
  }
  if (auto header = mask_header(a)) return *header;
  auto eq = a.find('=');
  if (a.starts_with('-')) {
    auto name = a.substr(0, eq);
    if (is_secret_name(name)) {
      if (eq == std::string_view::npos) {
        pending = 1;  // "--token x": the value is the next word
        return std::string(a);
      }
      return std::string(a.substr(0, eq + 1)) + std::string(kMask);
    }
    // "--header=Authorization: Bearer x"
    if (eq != std::string_view::npos)
      if (auto header = mask_header(a.substr(eq + 1)))
        return std::string(a.substr(0, eq + 1)) + *header;
  } else if (eq != std::string_view::npos && is_env_name(a.substr(0, eq))) {
    return redact_env_entry(a);
  }
  return mask_url_credentials(a);
}

bool is_auth_scheme(std::string_view a) {
  return !a.empty() && std::ranges::all_of(a, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
  });
}

}  // namespace

std::vector<std::string> redact_argv(const Argv& argv) {
  std::vector<std::string> out;
  out.reserve(argv.size());
  int pending = 0;  // words still to mask: 1 the next, 2 the one after a header's scheme
  bool glued = false;
  std::size_t i = 0;
  for (std::string_view a : argv) {
    bool first = i++ == 0;
    if (pending && !a.starts_with('-')) {
      bool scheme = pending == 2 && is_auth_scheme(a);
      out.emplace_back(scheme ? a : kMask);
      pending = scheme ? 1 : 0;
      continue;
    }
    pending = 0;
    if (first && is_title(a)) {
      out.push_back(redact_title(a));
      continue;
    }
    // argv[0] is the program: "/usr/bin/keyring-daemon" holds no secret.
    if (first || a.empty()) {
      if (first) glued = glued_password_program(a);
      out.push_back(mask_url_credentials(a));
      continue;
    }
    out.push_back(redact_word(a, glued, pending));
  }
  return out;
}

}  // namespace nsdebug
