// `nsdebug containers` inside the debug container: the pod's containers as the harness made
// them, with the runtime ids and pod uid it recorded.
#include <map>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "pod.h"
#include "ps_helpers.h"

using namespace nsdebug::e2e;

namespace {

// name -> object, requiring each name once.
std::map<std::string, json> containers_by_name() {
  std::map<std::string, json> by_name;
  for (const auto& c : nsdebug_json({"containers", "--json"})) {
    INFO(c.dump());
    REQUIRE(c.is_object());
    REQUIRE(by_name.emplace(c.at("name").get<std::string>(), c).second);
  }
  return by_name;
}

// The harness's name for nsdebug's: the kubelet names no sandbox container; pod.sh calls it pause.
const char* harness_name(const std::string& name) { return name == "sandbox" ? "pause" : name.c_str(); }

}  // namespace

TEST_CASE("containers: sandbox, nginx and shell, with the runtime's ids and the pod uid",
          "[e2e][containers]") {
  auto by_name = containers_by_name();
  std::set<std::string> names;
  for (const auto& [name, c] : by_name) names.insert(name);
  REQUIRE(names == std::set<std::string>{"sandbox", "nginx", "shell"});
  const json& state = pod_state();
  for (const auto& [name, c] : by_name) {
    INFO(c.dump());
    CHECK(c.at("id") == state.at("containers").at(harness_name(name)).at("id"));
    CHECK(c.at("runtime") == "kubepods");
    CHECK(c.at("pod_uid") == state.at("pod_uid"));
    CHECK(c.at("sandbox") == (name == "sandbox"));
  }
}

TEST_CASE("containers --json: every container has the documented keys and types", "[e2e][containers]") {
  for (const auto& [name, c] : containers_by_name()) {
    INFO(c.dump());
    CHECK(c.at("name").is_string());
    CHECK(c.at("id").is_string());
    CHECK(c.at("runtime").is_string());
    CHECK(c.at("pod_uid").is_string());
    CHECK(c.at("processes").is_number_integer());
    CHECK(c.at("main_pid").is_number_integer());
    CHECK(c.at("sandbox").is_boolean());
    CHECK(c.at("root_readable").is_boolean());
    CHECK((c.at("root_error").is_null() || c.at("root_error").is_string()));
    // An error exactly when the root is not readable.
    CHECK(c.at("root_error").is_null() == c.at("root_readable").get<bool>());
  }
}

TEST_CASE("containers: process counts and main processes match ps", "[e2e][containers]") {
  auto by_name = containers_by_name();
  json procs = nsdebug_json({"ps", "--json"});
  REQUIRE(by_name.count("nginx") == 1);
  CHECK(by_name["nginx"].at("processes").get<long>() >= 2);
  CHECK(by_name["sandbox"].at("processes") == 1);
  CHECK(by_name["shell"].at("processes").get<long>() >= 1);

  // The main process is the container's first: the pause, the nginx master, the sleep.
  CHECK(by_name["sandbox"].at("main_pid") == 1);
  CHECK(by_name["nginx"].at("main_pid") == the_process(procs, "nginx: master process").at("pid"));
  CHECK(by_name["shell"].at("main_pid") == the_process(procs, "sleep 3600").at("pid"));

  // Outside the shell (where each run sees its own nsdebug) the two runs count alike.
  std::map<std::string, long> counted;
  for (const auto& p : procs) ++counted[p.at("container").at("name").get<std::string>()];
  CHECK(by_name["sandbox"].at("processes") == counted["sandbox"]);
  CHECK(by_name["nginx"].at("processes") == counted["nginx"]);
}

TEST_CASE("containers: with CAP_SYS_PTRACE the debug container can read every container's root",
          "[e2e][containers]") {
  if (!pod_state().at("shell_ptrace").get<bool>()) {
    WARN("the shell container has no CAP_SYS_PTRACE in this pod: nothing to check");
    return;
  }
  for (const auto& [name, c] : containers_by_name()) {
    INFO(c.dump());
    CHECK(c.at("root_readable") == true);
    CHECK(c.at("root_error").is_null());
  }
}

TEST_CASE("containers: the table's header starts with NAME and it lists the three containers",
          "[e2e][containers]") {
  RunResult r = run_nsdebug({"containers"});
  INFO("stderr: " << r.err << "\nstdout:\n" << r.out);
  REQUIRE(r.status == 0);
  auto lines = split_lines(r.out);
  REQUIRE(!lines.empty());
  CHECK(lines[0].rfind("NAME", 0) == 0);
  std::set<std::string> names;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto words = split_words(lines[i]);
    if (!words.empty()) names.insert(words[0]);
  }
  CHECK(names == std::set<std::string>{"sandbox", "nginx", "shell"});
}
