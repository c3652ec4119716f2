// Node mode against PID namespaces these tests make themselves (root): `nsdebug --target` and
// `--pod` enter them and show their PIDs, `pods` finds them, and nothing mounted stays behind.
#include <catch2/catch.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "run.h"

using namespace std::chrono_literals;
using nsdebug::testing::Ran;
using nsdebug::testing::run;
using json = nlohmann::json;

extern char** environ;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A PID namespace with its own hostname whose PID 1 runs `script` (sh -c). unshare --kill-child
// takes the namespace down when the test kills unshare.
struct PrivateNs {
  pid_t unshare_pid = 0;
  pid_t init = 0;  // PID 1 of the namespace, as the node numbers it

  PrivateNs(const std::string& hostname, const std::string& script) {
    std::string body = "hostname " + hostname + "; " + script;
    std::vector<const char*> argv{"unshare", "--pid", "--uts", "--fork", "--kill-child",
                                  "sh", "-c", body.c_str(), nullptr};
    REQUIRE(::posix_spawnp(&unshare_pid, "unshare", nullptr, nullptr,
                           const_cast<char* const*>(argv.data()), environ) == 0);
    for (int i = 0; i < 200 && !init; ++i, std::this_thread::sleep_for(10ms)) {
      std::string kids = slurp("/proc/" + std::to_string(unshare_pid) + "/task/" +
                               std::to_string(unshare_pid) + "/children");
      if (!kids.empty()) init = std::stoi(kids);
    }
    REQUIRE(init > 0);
  }
  ~PrivateNs() {
    ::kill(unshare_pid, SIGKILL);
    ::waitpid(unshare_pid, nullptr, 0);
  }
  // The host PID of the namespace's process whose comm and cmdline match, waiting for it.
  pid_t host_pid_of(const std::string& cmdline_with_spaces) const {
    for (int i = 0; i < 200; ++i, std::this_thread::sleep_for(10ms)) {
      std::string kids = slurp("/proc/" + std::to_string(init) + "/task/" +
                               std::to_string(init) + "/children");
      std::istringstream in(kids);
      for (pid_t k; in >> k;) {
        std::string cmd = slurp("/proc/" + std::to_string(k) + "/cmdline");
        for (char& c : cmd) c = c ? c : ' ';
        if (cmd.rfind(cmdline_with_spaces, 0) == 0) return k;
      }
    }
    FAIL("no child running " << cmdline_with_spaces);
    return 0;
  }
};

Ran nsdebug_bin(std::vector<std::string> args) {
  args.insert(args.begin(), NSDEBUG_BIN);
  return run(args);
}

json json_of(const Ran& r) {
  INFO("stderr: " << r.err << "\nstdout: " << r.out);
  REQUIRE(r.status == 0);
  return json::parse(r.out);
}

// Shell that starts `nsdebug --target` the namespace's init `tail -f` in the background: $nsd
// is the waiting nsdebug, $kid its child in the namespace (two NSpid levels; empty if none came).
std::string tail_in(const PrivateNs& ns) {
  return std::string(NSDEBUG_BIN) + " --target " + std::to_string(ns.init) +
         R"sh( tail -f 1:/etc/hostname >/dev/null &
nsd=$!
kid=
for i in $(seq 300); do
  for c in $(cat /proc/$nsd/task/$nsd/children); do
    [ "$(awk '/^NSpid:/{print NF-1}' /proc/$c/status 2>/dev/null)" = 2 ] && kid=$c
  done
  [ -n "$kid" ] && break; sleep 0.01
done)sh";
}

const json* with_argv(const json& ps, const std::vector<std::string>& argv) {
  for (const auto& p : ps)
    if (p["argv"] == argv) return &p;
  return nullptr;
}

}  // namespace

TEST_CASE("--target shows the namespace's PIDs with the node's PIDs beside them") {
  PrivateNs ns("it-app", "sleep 1001 & exec sleep 1000");
  pid_t child = ns.host_pid_of("sleep 1001");
  auto ps = json_of(nsdebug_bin({"--target", std::to_string(ns.init), "ps", "--json"}));
  INFO(ps.dump(1));
  const json* init = with_argv(ps, {"sleep", "1000"});
  const json* other = with_argv(ps, {"sleep", "1001"});
  REQUIRE(init);
  REQUIRE(other);
  CHECK((*init)["pid"] == 1);
  CHECK((*init)["host_pid"] == ns.init);
  CHECK((*other)["ppid"] == 1);
  CHECK((*other)["host_pid"] == child);
  // PID 1 is the app, as in an ephemeral container's view: not a sandbox.
  CHECK((*init)["container"]["sandbox"] == false);
  for (const auto& p : ps) {  // only the namespace's processes: small pod PIDs
    int pid = p["pid"];
    CHECK(pid < 100);
  }
}

TEST_CASE("node mode's ps table has HOSTPID beside PID") {
  PrivateNs ns("it-table", "exec sleep 1000");
  Ran r = nsdebug_bin({"--target", std::to_string(ns.init), "ps"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.rfind("PID HOSTPID ", 0) != std::string::npos);
  CHECK(r.out.find(" " + std::to_string(ns.init) + " ") != std::string::npos);
}

TEST_CASE("node-mode commands leave the node's mounts as they were") {
  PrivateNs ns("it-mounts", "exec sleep 1000");
  std::string before = slurp("/proc/self/mountinfo");
  std::string target = std::to_string(ns.init);
  for (auto cmd : {"ps", "containers"}) CHECK(nsdebug_bin({"--target", target, cmd}).status == 0);
  CHECK(slurp("/proc/self/mountinfo") == before);
}

TEST_CASE("the subcommand's exit code comes back through node mode") {
  PrivateNs ns("it-exit", "exec sleep 1000");
  Ran bad = nsdebug_bin({"--target", std::to_string(ns.init), "ps", "-o", "nosuchcolumn"});
  CHECK(bad.status == 2);
  CHECK_THAT(bad.err, Catch::Contains("unknown column"));
}

TEST_CASE("--target refuses a missing process and nsdebug's own namespace") {
  Ran gone = nsdebug_bin({"--target", "999999999", "ps"});
  CHECK(gone.status == 1);
  CHECK_THAT(gone.err, Catch::Contains("no such process"));
  Ran own = nsdebug_bin({"--target", std::to_string(::getpid()), "ps"});
  CHECK(own.status == 1);
  CHECK_THAT(own.err, Catch::Contains("own PID namespace"));
}

TEST_CASE("kill through --target reaches the namespace's process by its pod PID") {
  PrivateNs ns("it-kill", "sleep 1001 & exec sleep 1000");
  pid_t child = ns.host_pid_of("sleep 1001");
  auto ps = json_of(nsdebug_bin({"--target", std::to_string(ns.init), "ps", "--json"}));
  const json* victim = with_argv(ps, {"sleep", "1001"});
  REQUIRE(victim);
  Ran k = nsdebug_bin({"--target", std::to_string(ns.init), "kill", "-TERM",
                   std::to_string((*victim)["pid"].get<int>())});
  INFO(k.err);
  CHECK(k.status == 0);
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i, std::this_thread::sleep_for(10ms)) {
    std::string stat = slurp("/proc/" + std::to_string(child) + "/stat");
    gone = stat.empty() || stat.find(") Z ") != std::string::npos;
  }
  CHECK(gone);
}

TEST_CASE("kill's PID-1 guard says PID 1 is the container's main process when it is no sandbox") {
  PrivateNs ns("it-guard", "exec sleep 1000");
  Ran k = nsdebug_bin({"--target", std::to_string(ns.init), "kill", "-TERM", "1"});
  CHECK(k.status != 0);
  CHECK_THAT(k.err, Catch::Contains("not a pod sandbox") && Catch::Contains("main process of container"));
  CHECK(::kill(ns.init, 0) == 0);
}

TEST_CASE("pods lists a namespace whose PID 1 is a pause, named by its UTS hostname") {
  PrivateNs ns("it-pod", std::string("sleep 1002 & exec ") + PAUSE_BIN);
  ns.host_pid_of("sleep 1002");
  auto pods = json_of(nsdebug_bin({"pods", "--json"}));
  const json* mine = nullptr;
  for (const auto& p : pods)
    if (p["sandbox_host_pid"] == ns.init) mine = &p;
  INFO(pods.dump(1));
  REQUIRE(mine);
  CHECK((*mine)["name"] == "it-pod");
  CHECK((*mine)["sandbox"] == true);
  CHECK((*mine)["processes"] == 2);
  CHECK((*mine)["containers"] == 1);  // no mount namespace of their own
  CHECK((*mine)["shared"] == false);

  auto ps = json_of(nsdebug_bin({"--pod", "it-pod", "ps", "--json"}));
  const json* pause = with_argv(ps, {PAUSE_BIN});
  REQUIRE(pause);
  CHECK((*pause)["pid"] == 1);
  CHECK((*pause)["host_pid"] == ns.init);
}

TEST_CASE("--pod with an unknown name says where to look") {
  Ran r = nsdebug_bin({"--pod", "no-such-pod-here", "ps"});
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("nsdebug pods"));
}

TEST_CASE("while node mode waits, nsdebug's own new processes are born in its own namespace") {
  // setns(CLONE_NEWPID) is only for the one child; anything the waiting parent starts later
  // (LeakSanitizer's tracer at exit hung in the pod's namespace) must stay on the node.
  PrivateNs ns("it-children", "exec sleep 1000");
  Ran r = nsdebug::testing::run_shell(tail_in(ns) + R"sh(
readlink /proc/$nsd/ns/pid_for_children /proc/$$/ns/pid
readlink /proc/$kid/ns/pid /proc/)sh" +
                                      std::to_string(ns.init) + R"sh(/ns/pid
kill $nsd; wait $nsd)sh");
  INFO(r.err);
  std::istringstream lines(r.out);
  std::string parent_children, ours, child, pod;
  lines >> parent_children >> ours >> child >> pod;
  CHECK(parent_children == ours);
  CHECK(child == pod);
  CHECK(child != ours);
}

// The parent that waits forwards what kill(2) sent it (sys::forward_signal_from_handler): a
// SIGTERM to it ends the subcommand running in the namespace, and the parent passes on how.
TEST_CASE("a SIGTERM to node mode's waiting nsdebug reaches its subcommand in the namespace") {
  PrivateNs ns("it-forward", "exec sleep 1000");
  Ran r = nsdebug::testing::run_shell(tail_in(ns) + R"sh(
echo "kid=${kid:-none}"
sleep 0.2
kill -TERM $nsd
for i in $(seq 500); do kill -0 $nsd 2>/dev/null || break; sleep 0.01; done
if kill -0 $nsd 2>/dev/null; then echo "nsdebug still waits"; kill -KILL $kid $nsd; fi
wait $nsd; echo "status=$?"
[ -d /proc/$kid ] && echo "kid alive" || echo "kid gone")sh");
  INFO(r.out << r.err);
  CHECK_THAT(r.out, !Catch::Contains("kid=none"));
  CHECK_THAT(r.out, !Catch::Contains("nsdebug still waits"));
  CHECK_THAT(r.out, Catch::Contains("status=0"));  // tail -f ends cleanly on SIGTERM
  CHECK_THAT(r.out, Catch::Contains("kid gone"));
}
