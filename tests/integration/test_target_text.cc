// Issue 13, items 6, 7, 10, 12, 13: what a target's text may not do to our output. A user name
// of 512 KiB, a passwd cut mid-line at our read limit, an environment execve allows but a
// map loses, a zombie whose parent is outside the pod, a 2 MB command line.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "chroot_target.h"
#include "run.h"

using nsdebug::testing::Ran;
using nsdebug::testing::run;
using nsdebug::testing::run_shell;
using nsdebug::testing::with_chroot_target;
using json = nlohmann::json;

namespace {

// "key=value" lines of a script's stdout: the value of `key`, or "" when missing.
std::string field(const std::string& out, const std::string& key) {
  auto at = out.find(key + "=");
  if (at == std::string::npos) return "";
  at += key.size() + 1;
  return out.substr(at, out.find('\n', at) - at);
}

// A second process in the target's container (its mount namespace and root), as uid `uid`:
// $u. Then `body`.
std::string as_uid_in_target(int uid, const std::string& body) {
  auto id = std::to_string(uid);
  return "nsenter -t $pid -m -r -- setpriv --reuid=" + id + " --regid=" + id +
         R"sh( --clear-groups sleep 1000 & u=$!
trap 'kill $u 2>/dev/null; wait $u 2>/dev/null; kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for i in $(seq 200); do [ "$(cat /proc/$u/comm)" = sleep ] && break; sleep 0.01; done
)sh" + body;
}

// A process started by execve(2) with exactly these words and entries; killed on destruction.
struct Exec {
  pid_t pid = -1;
  Exec(const std::vector<std::string>& argv, const std::vector<std::string>& envp) {
    std::vector<char*> a, e;
    for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
    for (const auto& s : envp) e.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    e.push_back(nullptr);
    pid = ::fork();
    if (pid == 0) {
      // Room for a 2 MB command line: the kernel allows a quarter of the stack limit.
      rlimit big{std::size_t{64} << 20, std::size_t{64} << 20};
      ::setrlimit(RLIMIT_STACK, &big);
      (void)!::freopen("/dev/null", "w", stderr);  // pause warns that it is not PID 1
      ::execve(PAUSE_BIN, a.data(), e.data());
      ::_exit(127);
    }
    // Until the exec: the child's cmdline is ours before it.
    for (int i = 0; i < 500; ++i) {
      auto r = run({"readlink", "/proc/" + std::to_string(pid) + "/exe"});
      if (r.out.find("pause") != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~Exec() {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
};

// $NSDEBUG_TEST_BIN, when set, instead of this build's: the same test against an older build.
std::string nsdebug_bin() {
  const char* other = std::getenv("NSDEBUG_TEST_BIN");
  return other && *other ? other : NSDEBUG_BIN;
}

const json* by_pid(const json& ps, pid_t pid) {
  for (const auto& p : ps)
    if (p["pid"] == pid) return &p;
  return nullptr;
}

}  // namespace

// procps shows the uid of a name longer than 32 bytes (pwcache) and cuts a name wider than its
// column with '+'; coreutils ls prints any name whole. Before: 104 rows of ps were 54 MB.
TEST_CASE("a 512 KiB user name in a container's passwd does not set our width",
          "[hostile][width]") {
  auto r = with_chroot_target(R"sh(
{ echo 'root:x:0:0:root:/root:/bin/sh'
  printf '%*s:x:4242:4242::/:/bin/sh\n' 524288 '' | tr ' ' u; } > $r/etc/passwd
mkdir $r/data; touch $r/data/a $r/data/b; chown 4242:0 $r/data/a $r/data/b)sh",
                              as_uid_in_target(4242, R"sh(
echo "ps_bytes=$($nsdebug ps -o user,pid,args -u 4242 | wc -c)"
echo "ps_user=$($nsdebug ps -o user= -o pid= -u 4242 | awk -v u=$u '$2 == u { print $1 }')"
echo "ls_bytes=$($nsdebug ls -l $pid:/data | wc -c)"
echo "ls_owner=$($nsdebug ls -l $pid:/data | awk 'NR == 1 { print $3 }')"
echo "json_user=$($nsdebug ps --json | jq -r --argjson u $u '.[] | select(.pid == $u) | .user')")sh"));
  INFO(r.out << r.err);
  CHECK(field(r.out, "ps_user") == "4242");
  CHECK(field(r.out, "json_user") == "4242");
  CHECK(field(r.out, "ls_owner") == "4242");
  CHECK(std::stoul("0" + field(r.out, "ps_bytes")) < 4096);  // a header and $u's row
  CHECK(std::stoul("0" + field(r.out, "ps_bytes")) > 0);
  CHECK(std::stoul("0" + field(r.out, "ls_bytes")) < 4096);
}

// A name within 32 bytes whose bytes escape to four columns each is 128 columns wide.
TEST_CASE("a user name that escapes wide is cut at the column cap and says so with '+'",
          "[hostile][width]") {
  auto r = with_chroot_target(R"sh(
{ echo 'root:x:0:0:root:/root:/bin/sh'
  printf '%*s:x:4343:4343::/:/bin/sh\n' 32 '' | tr ' ' '\001'; } > $r/etc/passwd)sh",
                              as_uid_in_target(4343, R"sh(
echo "ps_user=$($nsdebug ps -o user= -o pid= -u 4343 | awk -v u=$u '$2 == u { print $1 }')"
echo "json_user=$($nsdebug ps --json | jq -r --argjson u $u '.[] | select(.pid == $u) | .user')")sh"));
  INFO(r.out << r.err);
  std::string cut;
  for (int i = 0; i < 15; ++i) cut += "\\x01";
  CHECK(field(r.out, "ps_user") == cut + "\\x0+");
  CHECK(field(r.out, "json_user") == std::string(32, '\x01'));  // JSON: whole, exact
}

// The read stops at 1 MiB; "mallory:x:10" of "mallory:x:10001:..." named uid 10 mallory.
TEST_CASE("a passwd cut at the read limit mid-line names no one from the cut line",
          "[hostile][passwd]") {
  auto r = with_chroot_target(R"sh(
head=$((1048576 - 12 - 30 - 2))  # root line 30, comment line head + 2
{ echo 'root:x:0:0:root:/root:/bin/sh'
  printf '#%*s\n' $head '' | tr ' ' '#'
  echo 'mallory:x:10001:10001::/:/bin/sh'; } > $r/etc/passwd
[ "$(head -c 1048576 $r/etc/passwd | tail -c 12)" = mallory:x:10 ] || echo bad_fixture=1
mkdir $r/data; touch $r/data/f; chown 10:0 $r/data/f)sh",
                              as_uid_in_target(10, R"sh(
echo "ps_user=$($nsdebug ps -o user= -o pid= -u 10 | awk -v u=$u '$2 == u { print $1 }')"
echo "ls_owner=$($nsdebug ls -l $pid:/data | awk 'NR == 1 { print $3 }')"
echo "stat_owner=$($nsdebug stat $pid:/data/f | grep Owner:)")sh"));
  INFO(r.out << r.err);
  REQUIRE(field(r.out, "bad_fixture").empty());
  CHECK(field(r.out, "ps_user") == "10");
  CHECK(field(r.out, "ls_owner") == "10");
  CHECK(field(r.out, "stat_owner") == "  Owner: 10");
}

// execve(2) takes a name twice (getenv finds the first) and an entry without '='.
TEST_CASE("env --json keeps every entry, in order, and exactly", "[hostile][environ]") {
  Exec target({"pause"}, {"A=1", "A=2", "NOEQUALS", "B=\xff\x1b", "=lead"});
  auto r = run({nsdebug_bin(), "env", "--json", std::to_string(target.pid)});
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  auto j = json::parse(r.out);
  CHECK(j["pid"] == target.pid);
  CHECK(j["overwritten"] == false);
  const auto& e = j["environ"];
  REQUIRE(e.size() == 5);
  CHECK(e[0] == json({{"name", "A"}, {"value", "1"}}));
  CHECK(e[1] == json({{"name", "A"}, {"value", "2"}}));
  CHECK(e[2] == json({{"name", "NOEQUALS"}, {"value", nullptr}}));
  CHECK(e[3]["name"] == "B");
  CHECK(e[3]["value_b64"] == "/xs=");  // 0xff 0x1b
  CHECK(e[4] == json({{"name", ""}, {"value", "lead"}}));

  auto text = run({nsdebug_bin(), "env", std::to_string(target.pid)});
  CHECK(text.status == 0);
  CHECK(text.out == "A=1\nA=2\nNOEQUALS\nB=\\xff\\e\n=lead\n");
}

// A zombie has no mount namespace to read. Its parent here is nsenter, outside the pod's PID
// namespace (stopped, so it cannot reap): it became a container named "zomb", which doctor
// then warned about (root unreadable) and exited 1.
TEST_CASE("a zombie whose parent is outside the pod makes no container", "[hostile][zombie]") {
  auto r = run_shell(R"sh(
unshare --pid --fork --mount-proc )sh" PAUSE_BIN R"sh( 2>/dev/null & u=$!
for i in $(seq 200); do init=$(cat /proc/$u/task/$u/children 2>/dev/null)
  [ -n "$init" ] && [ "$(cat /proc/$init/comm)" = pause ] && break; sleep 0.01; done
in_pod() { nsenter -t $init -p -m -- "$@"; }
in_pod unshare --mount sleep 1000 &
nsenter -t $init -p -m -- bash -c 'printf zomb > /proc/self/comm; kill -STOP $$' & nse=$!
for i in $(seq 200); do z=$(cat /proc/$nse/task/$nse/children 2>/dev/null)
  [ -n "$z" ] && [ "$(cat /proc/$z/comm)" = zomb ] && break; sleep 0.01; done
kill -STOP $nse; kill -KILL $z
for i in $(seq 200); do grep -q '^State:.Z' /proc/$z/status && break; sleep 0.01; done
trap 'kill -CONT $nse; kill $init; wait' EXIT
nsdebug=${NSDEBUG_TEST_BIN:-)sh" NSDEBUG_BIN R"sh(}
echo "containers=$(in_pod unshare --mount $nsdebug containers --json | jq -c '[.[].name]')"
echo "zombie=$(in_pod unshare --mount $nsdebug ps --json | jq -c '.[] | select(.comm == "zomb") | [.state, .container]')"
echo "row=$(in_pod unshare --mount $nsdebug ps -o stat,container,args | grep zomb)"
echo "doctor=$(in_pod unshare --mount $nsdebug doctor --json | jq -c '[.checks[] | select(.check | startswith("container")) | .check]')"
)sh");
  INFO(r.out << r.err);
  CHECK(field(r.out, "zombie") == R"(["Z",null])");
  CHECK(field(r.out, "containers").find("zomb") == std::string::npos);
  CHECK(field(r.out, "doctor").find("zomb") == std::string::npos);
  CHECK(field(r.out, "row").find(" [zomb] <defunct>") != std::string::npos);
  CHECK(field(r.out, "row").rfind("Z ", 0) == 0);
}

// Linux takes a command line up to a quarter of the stack limit. procps ps reads it whole;
// we keep 1 MiB of it and say so (it was 12 of 24 words with nothing said).
TEST_CASE("ps --json says a 2 MB command line was cut", "[hostile][argv]") {
  std::vector<std::string> argv;
  for (int i = 0; i < 24; ++i) argv.emplace_back(87381, static_cast<char>('a' + i));
  Exec target(argv, {});
  auto r = run({nsdebug_bin(), "ps", "--json"});
  REQUIRE(r.status == 0);
  auto ps = json::parse(r.out);
  const json* p = by_pid(ps, target.pid);
  REQUIRE(p);
  const auto& got = (*p)["argv"];
  INFO(got.size() << " words");
  REQUIRE(got.size() < 24);  // the read limit is 1 MiB: else this test measures nothing
  CHECK((*p)["argv_truncated"] == true);
  for (std::size_t i = 0; i + 1 < got.size(); ++i) CHECK(got[i] == argv[i]);
  CHECK(argv[got.size() - 1].starts_with(got.back().get<std::string>()));
  // Ours is whole (other processes on a shared host may hold long command lines too).
  const json* self = by_pid(ps, ::getpid());
  REQUIRE(self);
  CHECK((*self)["argv_truncated"] == false);
}
