// nsdebug inspect of a process we start here: everything readable as root; as another uid the
// ptrace-only parts say why, and the world-readable ones are still shown.
#include <catch2/catch.hpp>

#include <string>

#include "run.h"

using nsdebug::testing::Ran;
using nsdebug::testing::run_shell;

namespace {

Ran with_python(const std::string& body) {
  return run_shell(R"sh(
API_TOKEN=tok123 /usr/bin/python3 -c 'import time; time.sleep(1000)' --password=hunter2 &
pid=$!
for i in $(seq 500); do grep -q hunter2 /proc/$pid/cmdline 2>/dev/null && break; sleep 0.01; done
trap 'kill $pid; wait $pid 2>/dev/null' EXIT
nsdebug=)sh" NSDEBUG_BIN R"sh(
)sh" + body);
}

}  // namespace

TEST_CASE("inspect shows command (masked), exe, ids, caps, namespaces, fds, limits, env") {
  auto r = with_python("$nsdebug inspect $pid");
  INFO(r.err << r.out);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("time.sleep(1000) --password=***\n") != std::string::npos);
  CHECK(r.out.find("Exe:        /usr/bin/python3") != std::string::npos);
  CHECK(r.out.find("uid root(0)") != std::string::npos);
  CHECK(r.out.find("CAP_SYS_ADMIN") != std::string::npos);
  CHECK(r.out.find("Namespaces: cgroup:") != std::string::npos);
  CHECK(r.out.find("Max open files") != std::string::npos);
  CHECK(r.out.find("API_TOKEN=***\n") != std::string::npos);
  CHECK(r.out.find("hunter2") == std::string::npos);
  CHECK(r.out.find("tok123") == std::string::npos);
}

TEST_CASE("inspect as another uid: ptrace-only parts explain themselves, the page goes on") {
  auto r = with_python("setpriv --reuid 65534 --regid 65534 --clear-groups "
                        "--inh-caps=-all --bounding-set=-all $nsdebug inspect $pid; echo \"rc=$?\"");
  INFO(r.err << r.out);
  CHECK(r.out.find("rc=0") != std::string::npos);
  CHECK(r.out.find("Command:    /usr/bin/python3 -c") != std::string::npos);
  CHECK(r.out.find("Exe:        (unreadable:") != std::string::npos);
  CHECK(r.out.find("SYS_PTRACE") != std::string::npos);
  CHECK(r.out.find("Max open files") != std::string::npos);
}

TEST_CASE("inspect --json gives each unreadable part as an error object") {
  auto r = with_python("setpriv --reuid 65534 --regid 65534 --clear-groups "
                        "--inh-caps=-all --bounding-set=-all $nsdebug inspect --json $pid");
  INFO(r.err << r.out);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("\"environ\": {\n    \"error\"") != std::string::npos);
  CHECK(r.out.find("\"argv\": [") != std::string::npos);
}
