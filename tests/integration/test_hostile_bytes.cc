// A target that feeds us hostile bytes: an argv[0] with a terminal title sequence, a comm of
// é漢字x, an argv element with a newline, a byte that is not UTF-8, an environment and file
// names with escape sequences. Text output must carry none of them raw; --json must parse and
// give back the exact bytes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/present/escape.h"
#include "run.h"

using nsdebug::testing::Ran;
using nsdebug::testing::run_shell;

namespace {

// Three hostile processes, then `body` with $nsdebug, $title (argv[0] with OSC 0), $wide
// (comm é漢字x), $esc (comm with ESC and BEL), $args (argv with a newline and bytes 0xff, ESC)
// and $dir (a directory of hostile names, the cwd of $args).
Ran with_hostile(const std::string& body) {
  return run_shell(R"sh(
dir=$(mktemp -d)
mkdir "$dir/$(printf 'cwd\033[2J')"
touch "$dir/$(printf 'f\033]0;PWNED\a')" "$dir/$(printf 'nl\nname')" "$dir/$(printf 'bad\377')"
ln -s "$(printf 'tgt\033[31m')" "$dir/link"
(exec -a "$(printf 'x\033]0;PWNED\a')" sleep 1000) & title=$!
bash -c 'printf "\303\251\346\274\242\345\255\227x" > /proc/self/comm; sleep 1000; :' & wide=$!
bash -c 'printf "e\033]0;T\a" > /proc/self/comm; sleep 1000; :' & esc=$!
(cd "$dir/$(printf 'cwd\033[2J')" && HOSTILE="$(printf 'v\033]0;PWNED\a\377')" exec bash -c 'sleep 1000; :' arg0 "$(printf 'two\nlines')" "$(printf '\377\033[31m')") & args=$!
# The bash ones have a sleep child: it goes first, or it would keep our stdout open.
trap 'for p in $wide $esc $args; do kill $(cat /proc/$p/task/$p/children 2>/dev/null) 2>/dev/null; done
kill $title $wide $esc $args 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
# Until each has exec'd or written its comm: the subshells' own cmdline is this script's.
started() { tr '\0' ' ' < /proc/$1/cmdline 2>/dev/null | grep -qa "^$2"; }
for i in $(seq 500); do
  grep -q 'x' /proc/$wide/comm 2>/dev/null && grep -q T /proc/$esc/comm 2>/dev/null &&
    started $title x && started $args 'bash -c sleep 1000; : arg0' && break
  sleep 0.01
done
nsdebug=)sh" NSDEBUG_BIN R"sh(
)sh" + body);
}

// What a terminal must not be given raw: C0 controls but the line ends, DEL, and bytes that
// are not UTF-8 (a lone 0x9b is an 8-bit CSI), nor a C1 control written in UTF-8.
void check_terminal_safe(const std::string& text) {
  INFO(text);
  auto raw = std::find_if(text.begin(), text.end(), [](unsigned char c) {
    return (c < 0x20 && c != '\n') || c == 0x7f;
  });
  CHECK(raw == text.end());
  CHECK(nsdebug::is_valid_utf8(text));
  CHECK(text.find("\xc2\x9b") == std::string::npos);
}

std::string base64_decode(const std::string& in) {
  const std::string abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned v = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    v = (v << 6) | static_cast<unsigned>(abc.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((v >> bits) & 0xff);
    }
  }
  return out;
}

// The exact bytes of a string key of a --json object, by the documented scheme.
std::string exact(const nlohmann::json& obj, const std::string& key) {
  if (obj.contains(key + "_b64")) return base64_decode(obj[key + "_b64"].get<std::string>());
  return obj[key].get<std::string>();
}

std::vector<std::string> exact_array(const nlohmann::json& obj, const std::string& key) {
  std::vector<std::string> out;
  const auto& a = obj.contains(key + "_b64") ? obj[key + "_b64"] : obj[key];
  for (const auto& e : a)
    out.push_back(obj.contains(key + "_b64") ? base64_decode(e.get<std::string>()) : e.get<std::string>());
  return out;
}

const nlohmann::json* find_pid(const nlohmann::json& ps, int pid) {
  for (const auto& p : ps)
    if (p["pid"] == pid) return &p;
  return nullptr;
}

}  // namespace

// procps ps on the same processes (this machine's 4.0.2, LANG=C.UTF-8) prints each control
// byte and each byte that is not UTF-8 as '?' ("x?]0;PWNED? 1000"), and in the C locale every
// byte >= 0x80 too (é漢字x as ????????x). We write C escapes instead (x\e]0;PWNED\a 1000,
// \xff, \n), which say which byte it was and read back exactly, and keep valid UTF-8 in every
// locale; neither lets the bytes reach the terminal.
TEST_CASE("ps text output carries no raw control byte and keeps UTF-8 readable") {
  auto r = with_hostile(R"sh(
echo "== ps"; $nsdebug ps -o pid,comm,args
echo "== tree"; $nsdebug ps --tree
echo "== procps$((0))"; ps -o pid,comm,args -p $title,$wide,$esc,$args | cat -v
echo "== pids $title $wide $esc $args"
)sh");
  INFO(r.err);
  REQUIRE(r.status == 0);
  // "== procps0", not the script's own text (which ps lists too) "== procps$((0))".
  auto procps = r.out.substr(r.out.find("== procps0"));
  UNSCOPED_INFO("procps ps: " << procps);
  auto ours = r.out.substr(0, r.out.find("== procps0"));
  check_terminal_safe(ours);
  CHECK(ours.find("x\\e]0;PWNED\\a 1000") != std::string::npos);
  CHECK(ours.find("é漢字x") != std::string::npos);
  CHECK(ours.find("e\\e]0;T\\a") != std::string::npos);
  CHECK(ours.find("arg0 two\\nlines \\xff\\e[31m") != std::string::npos);
  CHECK(r.err.find("nsdebug:") == std::string::npos);
}

TEST_CASE("ps --json parses and gives back the exact bytes of argv and comm") {
  auto r = with_hostile(R"sh(
echo "$title $wide $esc $args"
$nsdebug ps --json
)sh");
  INFO(r.err);
  REQUIRE(r.status == 0);
  auto nl = r.out.find('\n');
  int title = 0, wide = 0, esc = 0, args = 0;
  REQUIRE(std::sscanf(r.out.c_str(), "%d %d %d %d", &title, &wide, &esc, &args) == 4);
  auto ps = nlohmann::json::parse(r.out.substr(nl + 1));  // throws, failing, if not JSON
  const auto* t = find_pid(ps, title);
  const auto* w = find_pid(ps, wide);
  const auto* e = find_pid(ps, esc);
  const auto* a = find_pid(ps, args);
  REQUIRE((t && w && e && a));
  CHECK(exact_array(*t, "argv") == std::vector<std::string>{"x\x1b]0;PWNED\a", "1000"});
  CHECK(exact(*w, "comm") == "é漢字x");
  CHECK(exact(*e, "comm") == "e\x1b]0;T\a");
  CHECK(exact_array(*a, "argv") == std::vector<std::string>{"bash", "-c", "sleep 1000; :", "arg0",
                                                            "two\nlines", "\xff\x1b[31m"});
  CHECK((*a)["argv"].size() == 6);  // the newline did not split an element
  CHECK((*a)["argv"][5] == "\xef\xbf\xbd\x1b[31m");
}

TEST_CASE("ls stat env inspect kill and error messages escape a target's names and values") {
  auto r = with_hostile(R"sh(
$nsdebug ls $args:"$dir"; $nsdebug ls -l $args:"$dir"; $nsdebug ls -R $args:"$dir"
$nsdebug stat $args:"$dir/link"
$nsdebug env $args; $nsdebug inspect $args
$nsdebug kill --dry-run $title $args
$nsdebug cat $args:"$dir/$(printf 'none\033]0;X\a')"
echo "rc=$?"
)sh");
  check_terminal_safe(r.out);
  check_terminal_safe(r.err);
  CHECK(r.out.find("f\\e]0;PWNED\\a") != std::string::npos);        // ls
  CHECK(r.out.find("nl\\nname") != std::string::npos);
  CHECK(r.out.find("bad\\xff") != std::string::npos);
  CHECK(r.out.find("link -> tgt\\e[31m") != std::string::npos);      // ls -l
  CHECK(r.out.find("cwd\\e[2J:") != std::string::npos);              // ls -R's heading
  CHECK(r.out.find("File: ") != std::string::npos);                  // stat
  CHECK(r.out.find(" -> tgt\\e[31m") != std::string::npos);
  CHECK(r.out.find("HOSTILE=v\\e]0;PWNED\\a\\xff") != std::string::npos);  // env, inspect
  CHECK(r.out.find("Cwd:        ") != std::string::npos);
  CHECK(r.out.find("cwd\\e[2J") != std::string::npos);
  CHECK(r.out.find("would send TERM to") != std::string::npos);     // kill
  CHECK(r.out.find("x\\e]0;PWNED\\a 1000") != std::string::npos);
  CHECK(r.err.find("none\\e]0;X\\a") != std::string::npos);         // an error message
  CHECK(r.out.find("rc=1") != std::string::npos);
}

TEST_CASE("env and inspect --json keep a non-UTF-8 environment exactly") {
  auto r = with_hostile(R"sh(
$nsdebug env --json $args; echo "==$((0))"; $nsdebug inspect --json $args
)sh");
  INFO(r.err);
  auto sep = r.out.find("==0\n");
  REQUIRE(sep != std::string::npos);
  auto env = nlohmann::json::parse(r.out.substr(0, sep));
  auto page = nlohmann::json::parse(r.out.substr(sep + 4));
  const std::string hostile = "HOSTILE=v\x1b]0;PWNED\a\xff";
  // Each entry an object {name, value}: the keys are ours, so value_b64 holds the exact bytes.
  auto found = std::find_if(env["environ"].begin(), env["environ"].end(),
                            [](const nlohmann::json& e) { return e["name"] == "HOSTILE"; });
  REQUIRE(found != env["environ"].end());
  CHECK((*found)["value"] == "v\x1b]0;PWNED\a\xef\xbf\xbd");
  CHECK("HOSTILE=" + exact(*found, "value") == hostile);
  auto entries = exact_array(page, "environ");
  CHECK(std::find(entries.begin(), entries.end(), hostile) != entries.end());
  CHECK(exact(page, "cwd").find("cwd\x1b[2J") != std::string::npos);
  CHECK(exact_array(page, "argv")[4] == "two\nlines");
}
