// nsdebug ps and containers in a PID namespace and mount namespaces these tests make
// themselves (root), the way a pod's containers look from its debug container.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <set>
#include <sstream>
#include <thread>

#include "run.h"

using nsdebug::testing::run;
using nsdebug::testing::run_shell;
using json = nlohmann::json;

namespace {

// A "pod": PID 1 is a pause; "app" is one process in its own mount namespace running as
// uid 4242, whose name only its own /etc/passwd knows; "web" is a parent and a child in
// another mount namespace; nsdebug runs in a fourth, as a debug container would. It starts
// once the three sleeps have exec'd (counting /proc entries raced setpriv's exec).
std::string pod_script(const std::string& nsdebug_args) {
  return R"(set -e
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
cp /etc/passwd "$dir/passwd"; echo 'appuser:x:4242:4242::/:/bin/false' >> "$dir/passwd"
unshare --pid --fork --mount-proc bash -c '
  unshare --mount bash -c "mount --bind '"$dir"'/passwd /etc/passwd;
      exec setpriv --reuid=4242 --regid=4242 --clear-groups sleep 1000" &
  unshare --mount bash -c "sleep 1001 & exec sleep 1002" &
  unshare --mount bash -c "
    for i in \$(seq 100); do n=0
      for f in /proc/[0-9]*/cmdline; do read -rd \"\" a < \$f; [ \"\$a\" = sleep ] && n=\$((n+1)); done
      [ \$n -ge 3 ] && break; sleep 0.05; done
    )" NSDEBUG_BIN R"( )" + nsdebug_args + R"(; kill 1" &
  exec )" PAUSE_BIN R"(' || true
)";
}

const json& by_pid(const json& ps, int pid) {
  for (const auto& p : ps)
    if (p["pid"] == pid) return p;
  FAIL("no pid " << pid);
  throw;
}

const json& with_argv(const json& ps, const std::string& arg1) {
  for (const auto& p : ps)
    if (p["argv"].size() > 1 && p["argv"][1] == arg1) return p;
  FAIL("no process with argument " << arg1);
  throw;
}

}  // namespace

TEST_CASE("ps in a private PID namespace groups processes by mount namespace") {
  auto r = run_shell(pod_script("ps --json"));
  INFO(r.err);
  auto ps = json::parse(r.out);
  CHECK(by_pid(ps, 1)["container"]["sandbox"] == true);
  CHECK(by_pid(ps, 1)["container"]["name"] == "sandbox");
  const auto& app = with_argv(ps, "1000");
  const auto& web_parent = with_argv(ps, "1002");
  const auto& web_child = with_argv(ps, "1001");
  CHECK(web_parent["container"]["name"] == web_child["container"]["name"]);
  CHECK(app["container"]["name"] != web_parent["container"]["name"]);
  CHECK(app["container"]["sandbox"] == false);
  CHECK(web_child["ppid"] == web_parent["pid"]);
}

TEST_CASE("ps names a user from that process's own container's /etc/passwd") {
  auto r = run_shell(pod_script("ps --json"));
  auto ps = json::parse(r.out);
  const auto& app = with_argv(ps, "1000");
  CHECK(app["uid"] == 4242);
  CHECK(app["user"] == "appuser");
}

TEST_CASE("containers lists each mount namespace once, with its main process") {
  auto r = run_shell(pod_script("containers --json"));
  INFO(r.err);
  auto cs = json::parse(r.out);
  REQUIRE(cs.size() == 4);  // sandbox, app, web, nsdebug's own
  CHECK(cs[0]["sandbox"] == true);
  CHECK(cs[0]["main_pid"] == 1);
  // "web" is named by its main command; the app's container is "sleep" too, made unique.
  int web = 0;
  for (const auto& c : cs)
    if (c["processes"] == 2 && c["name"].get<std::string>().starts_with("sleep")) ++web;
  CHECK(web == 1);
  CHECK(cs[1]["name"] != cs[2]["name"]);
  for (const auto& c : cs) CHECK(c["root_readable"] == true);
}

TEST_CASE("the table and the JSON agree") {
  auto table = run_shell(pod_script("ps -o pid,container,user --no-headers"));
  auto ps = json::parse(run_shell(pod_script("ps --json")).out);
  // Pids differ between the two pods, so compare what does not: the (container, user) pairs.
  std::multiset<std::string> from_table, from_json;
  std::istringstream lines(table.out);
  int pid;
  std::string container, user;
  while (lines >> pid >> container >> user) from_table.insert(container + "/" + user);
  for (const auto& p : ps)
    from_json.insert(p["container"]["name"].get<std::string>() + "/" + p["user"].get<std::string>());
  CHECK(from_table.size() >= 5);
  CHECK(from_table == from_json);
}

TEST_CASE("processes exiting while ps reads /proc are skipped, never an error") {
  auto r = run_shell(R"(
unshare --pid --fork --mount-proc bash -c '
  (while :; do for i in 1 2 3 4 5 6 7 8; do /bin/true & done; wait; done) &
  fails=0
  for i in $(seq 40); do
    err=$()" NSDEBUG_BIN R"( ps 2>&1 >/dev/null) || { fails=$((fails+1)); echo "$err"; }
  done
  echo "fails=$fails"')");  // init exiting ends the namespace
  INFO(r.out);
  CHECK(r.out.find("fails=0") != std::string::npos);
}

TEST_CASE("START is the same second in every run, and the one procps ps prints") {
  // From now - elapsed it moved with the clock reads and flipped between two seconds.
  std::string self = std::to_string(::getpid());
  std::set<long long> seen;
  for (int run_no = 0; run_no < 4; ++run_no) {
    auto r = run({NSDEBUG_BIN, "ps", "--json"});
    REQUIRE(r.status == 0);
    auto ps = json::parse(r.out);
    seen.insert(by_pid(ps, ::getpid())["start_time"].get<long long>());
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + 100 * run_no));
  }
  CHECK(seen.size() == 1);
  auto lstart = run({"ps", "-o", "lstart=", "-p", self});
  REQUIRE(lstart.status == 0);
  auto epoch = run({"date", "-d", lstart.out.substr(0, lstart.out.find('\n')), "+%s"});
  REQUIRE(epoch.status == 0);
  CHECK(*seen.begin() == std::stoll(epoch.out));
}
