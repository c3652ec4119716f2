// Node mode against the test pod: nsdebug run on the node as root with --target/--pod must see
// what nsdebug run in the debug container sees, plus the node's PIDs; and leave no mounts behind.
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "pod.h"
#include "ps_helpers.h"

using namespace nsdebug::e2e;
using namespace std::chrono_literals;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `nsdebug args...` on the node, as root.
RunResult node_nsdebug(std::vector<std::string> args) {
  args.insert(args.begin(), NSDEBUG_BIN);
  return run(args);
}

json node_json(const std::vector<std::string>& args) {
  RunResult r = node_nsdebug(args);
  INFO("nsdebug " << args.front() << " stderr: " << r.err << "\nstdout: " << r.out);
  REQUIRE(r.status == 0);
  json j = json::parse(r.out, nullptr, false);
  REQUIRE(j.is_array());
  return j;
}

std::string pause_target() { return std::to_string(host_pid("pause")); }

using Row = std::tuple<int, std::string, json>;  // pod PID, command line, container

std::set<Row> comparable(const json& procs) {
  std::set<Row> rows;
  for (const auto& p : procs)
    if (!is_nsdebug(p)) rows.emplace(p.at("pid").get<int>(), joined_argv(p), p.at("container"));
  return rows;
}

pid_t last_nspid(pid_t host) {
  std::istringstream in(slurp("/proc/" + std::to_string(host) + "/status"));
  pid_t last = 0;
  for (std::string line; std::getline(in, line);)
    if (line.rfind("NSpid:", 0) == 0) {
      std::istringstream ids(line.substr(6));
      for (pid_t id; ids >> id;) last = id;
    }
  return last;
}

// The node view agrees with the debug container's, and every host PID is that process's.
void check_agrees_with_debug_container(const std::vector<std::string>& node_args) {
  json inside = nsdebug_json({"ps", "--json"});
  json node = node_json(node_args);
  INFO("inside: " << inside.dump(1) << "\nnode: " << node.dump(1));
  CHECK(comparable(node) == comparable(inside));
  for (const auto& p : node) {
    if (is_nsdebug(p)) continue;
    INFO(p.dump());
    REQUIRE(p.at("host_pid").is_number());
    CHECK(last_nspid(p.at("host_pid").get<pid_t>()) == p.at("pid").get<pid_t>());
  }
  CHECK(the_process(node, "/pause").at("host_pid") == host_pid("pause"));
  CHECK(the_process(node, "nginx: master process").at("host_pid") == host_pid("nginx"));
}

}  // namespace

TEST_CASE("node: --target <pause host PID> ps agrees with ps in the debug container", "[e2e][node]") {
  check_agrees_with_debug_container({"--target", pause_target(), "ps", "--json"});
}

TEST_CASE("node: --pod <name> ps agrees with ps in the debug container", "[e2e][node]") {
  check_agrees_with_debug_container({"--pod", pod_name(), "ps", "--json"});
}

TEST_CASE("node: --pod <UID prefix> enters the same pod", "[e2e][node]") {
  std::string uid = pod_state().at("pod_uid").get<std::string>();
  json node = node_json({"--pod", uid.substr(0, 8), "ps", "--json"});
  CHECK(the_process(node, "/pause").at("host_pid") == host_pid("pause"));
}

TEST_CASE("node: the ps table shows HOSTPID beside PID", "[e2e][node]") {
  RunResult r = node_nsdebug({"--pod", pod_name(), "ps"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  Table t = parse_table(r.out);
  REQUIRE(t.header.size() > 2);
  CHECK(t.header[0] == "PID");
  CHECK(t.header[1] == "HOSTPID");
  bool pause_row = false;
  for (const auto& row : t.rows)
    if (row[0] == "1") pause_row = row[1] == pause_target();
  CHECK(pause_row);
}

TEST_CASE("node: pods lists the test pod with its name, UID, sandbox and containers", "[e2e][node]") {
  json pods = node_json({"pods", "--json"});
  INFO(pods.dump(1));
  std::vector<json> mine;
  for (const auto& p : pods)
    if (p.at("name") == pod_name()) mine.push_back(p);
  REQUIRE(mine.size() == 1);
  const json& p = mine.front();
  CHECK(p.at("pod_uid") == pod_state().at("pod_uid"));
  CHECK(p.at("sandbox_host_pid") == host_pid("pause"));
  CHECK(p.at("sandbox") == true);
  CHECK(p.at("container_id") == pod_state().at("containers").at("pause").at("id"));
  CHECK(p.at("containers") == 3);
  CHECK(p.at("processes").get<int>() >= 4);
  CHECK(p.at("shared") == true);

  RunResult table = node_nsdebug({"pods"});
  CHECK(table.out.find(pod_name()) != std::string::npos);
}

TEST_CASE("node: cat through --pod reads the nginx container's file", "[e2e][node]") {
  RunResult expected = run_in("nginx", {"/bin/busybox", "cat", "/etc/nginx/nginx.conf"});
  REQUIRE(expected.status == 0);
  RunResult r = node_nsdebug({"--pod", pod_name(), "cat", "nginx:/etc/nginx/current.conf"});
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.out == expected.out);
}

TEST_CASE("node: net through --pod sees the pod's network namespace, not the node's", "[e2e][node]") {
  auto net_json = [](RunResult r) {
    INFO(r.err << r.out);
    REQUIRE(r.status == 0);
    return json::parse(r.out);
  };
  auto ports = [](const json& net) {
    std::set<int> out;
    for (const auto& s : net.at("sockets"))
      if (s.at("local").contains("port")) out.insert(s.at("local").at("port").get<int>());
    return out;
  };
  json pod = net_json(node_nsdebug({"--pod", pod_name(), "net", "-l", "--json"}));
  json inside = net_json(run_nsdebug({"net", "-l", "--json"}));
  json node = net_json(node_nsdebug({"net", "-l", "--json"}));
  CHECK(ports(pod) == ports(inside));
  CHECK(ports(pod).count(80) == 1);
  CHECK(ports(node).count(80) == 0);  // the pod's listener is in the pod's namespace only
  bool nginx_holds_80 = false;
  for (const auto& s : pod.at("sockets"))
    for (const auto& h : s.at("processes"))
      nginx_holds_80 |= s.at("local").value("port", 0) == 80 && h.at("container") == "nginx";
  CHECK(nginx_holds_80);
}

TEST_CASE("node: kill through --pod signals the process the pod PID names", "[e2e][node]") {
  RunResult started = run_in("shell", {"sh", "-c", "sleep 876543 </dev/null >/dev/null 2>&1 &"});
  REQUIRE(started.status == 0);
  json victim;
  for (int i = 0; i < 50 && victim.is_null(); ++i, std::this_thread::sleep_for(100ms))
    for (const auto& p : node_json({"--pod", pod_name(), "ps", "--json"}))
      if (joined_argv(p) == "sleep 876543") victim = p;
  REQUIRE(victim.is_object());
  pid_t host = victim.at("host_pid").get<pid_t>();
  REQUIRE(slurp("/proc/" + std::to_string(host) + "/cmdline").rfind("sleep", 0) == 0);

  RunResult k = node_nsdebug({"--pod", pod_name(), "kill", "-TERM",
                              std::to_string(victim.at("pid").get<int>())});
  INFO(k.err);
  CHECK(k.status == 0);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i, std::this_thread::sleep_for(50ms)) {
    std::string stat = slurp("/proc/" + std::to_string(host) + "/stat");
    gone = stat.empty() || stat.find(") Z ") != std::string::npos;
  }
  CHECK(gone);
}

TEST_CASE("node: node-mode commands leave the node's mountinfo unchanged", "[e2e][node]") {
  std::string before = slurp("/proc/self/mountinfo");
  std::string pause_before = slurp("/proc/" + pause_target() + "/mountinfo");
  for (const auto& cmd : std::vector<std::vector<std::string>>{
           {"--pod", pod_name(), "ps"},
           {"--pod", pod_name(), "containers"},
           {"--target", pause_target(), "ls", "nginx:/etc/nginx"},
           {"pods"}})
    CHECK(node_nsdebug(cmd).status == 0);
  CHECK(slurp("/proc/self/mountinfo") == before);
  CHECK(slurp("/proc/" + pause_target() + "/mountinfo") == pause_before);
}
