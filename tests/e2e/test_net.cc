// nsdebug net in the documentation's pod, from the debug container: nginx's listener and its
// holders, a connection from the debug container with both ends named, the summary's verdict on
// a listener nobody accepts from, and (without SYS_PTRACE) owners we may not see.
#include <signal.h>
#include <sys/types.h>

#include <algorithm>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "pod.h"
#include "ps_helpers.h"

using namespace nsdebug::e2e;

namespace {

std::vector<json> sockets_where(const json& net, const std::function<bool(const json&)>& pick) {
  std::vector<json> out;
  for (const auto& s : net.at("sockets"))
    if (pick(s)) out.push_back(s);
  return out;
}

bool port_is(const json& endpoint, int port) {
  return endpoint.is_object() && endpoint.contains("port") && endpoint.at("port") == port;
}

std::set<std::string> containers_of(const json& holders) {
  std::set<std::string> out;
  for (const auto& h : holders) out.insert(h.at("container").is_null() ? "-" : h.at("container").get<std::string>());
  return out;
}

// The nginx workers stopped (from the node) for as long as it lives: nobody accepts on :80.
struct StoppedWorkers {
  std::vector<pid_t> pids;
  explicit StoppedWorkers(pid_t master) {
    RunResult r = run({"/usr/bin/pgrep", "-P", std::to_string(master)});
    for (const auto& w : split_words(r.out)) pids.push_back(std::stoi(w));
    for (pid_t p : pids) ::kill(p, SIGSTOP);
  }
  ~StoppedWorkers() {
    for (pid_t p : pids) ::kill(p, SIGCONT);
  }
};

}  // namespace

TEST_CASE("net: nginx's listener on :80 belongs to container nginx, held by master and worker",
          "[e2e][net]") {
  json procs = nsdebug_json({"ps", "--json", "--reveal"});
  int master = the_process(procs, "nginx: master process").at("pid").get<int>();
  int worker = the_process(procs, "nginx: worker process").at("pid").get<int>();
  RunResult listed = run_nsdebug({"net", "-l", "--json"});
  INFO(listed.err);
  REQUIRE(listed.status == 0);
  json net = json::parse(listed.out);
  CHECK(net.at("source") == "sock_diag");
  auto listeners = sockets_where(net, [](const json& s) { return port_is(s.at("local"), 80); });
  REQUIRE(!listeners.empty());
  for (const auto& l : listeners) {
    INFO(l.dump());
    CHECK(l.at("state") == "LISTEN");
    CHECK(containers_of(l.at("processes")) == std::set<std::string>{"nginx"});
    std::set<int> pids;
    for (const auto& h : l.at("processes")) pids.insert(h.at("pid").get<int>());
    CHECK(pids.count(master) == 1);
    CHECK(pids.count(worker) == 1);
  }
  RunResult table = run_nsdebug({"net", "-l", "-c", "nginx"});
  INFO(table.out << table.err);
  CHECK(table.status == 0);
  CHECK(table.out.find("0.0.0.0:80") != std::string::npos);
  CHECK(table.out.find(" nginx(") != std::string::npos);
}

TEST_CASE("net: a connection from the debug container to nginx shows both ends' containers",
          "[e2e][net]") {
  // nc holds the connection open without a request: nginx waits for one (60 s). Nothing left
  // behind holds the exec's output open (the sleep's stderr), so the exec ends with the shell.
  RunResult r = run_in("shell", {"sh", "-c",
                                 "(sleep 60 2>/dev/null) | nc 127.0.0.1 80 >/dev/null 2>&1 & nc=$!; sleep 1; "
                                 "nsdebug net -t --json; kill $nc"});
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  json net = json::parse(r.out);
  auto client = sockets_where(net, [](const json& s) { return s.at("state") == "ESTAB" && port_is(s.at("peer"), 80); });
  auto server = sockets_where(net, [](const json& s) { return s.at("state") == "ESTAB" && port_is(s.at("local"), 80); });
  REQUIRE(client.size() == 1);
  REQUIRE(server.size() == 1);
  CHECK(containers_of(client[0].at("processes")) == std::set<std::string>{"shell"});
  CHECK(client[0].at("processes")[0].at("command") == "nc");
  CHECK(containers_of(server[0].at("processes")) == std::set<std::string>{"nginx"});
  CHECK(server[0].at("peer").at("port") == client[0].at("local").at("port"));
}

TEST_CASE("net --summary: flags connections nobody accepts", "[e2e][net]") {
  StoppedWorkers stopped(host_pid("nginx"));
  REQUIRE(!stopped.pids.empty());
  // Two connections the kernel completes and queues; the stopped workers never accept them.
  RunResult r = run_in("shell", {"sh", "-c",
                                 "for i in 1 2; do (sleep 60 2>/dev/null) | nc 127.0.0.1 80 >/dev/null 2>&1 & nc=\"$nc $!\"; done; "
                                 "sleep 7; nsdebug net --summary; nsdebug net --summary --json; kill $nc"});
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("! 2 connections to tcp 0.0.0.0:80 waited") != std::string::npos);
  CHECK(r.out.find(", container nginx) does not call accept()") != std::string::npos);
  CHECK(r.out.find("\"kind\": \"accept_waiting\"") != std::string::npos);
}

TEST_CASE("net without SYS_PTRACE: the worker's sockets listed, its owner unknown, and why",
          "[e2e][net][noptrace]") {
  RunResult r = run_nsdebug({"net", "-l"});
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.out.find("0.0.0.0:80") != std::string::npos);
  CHECK(r.err.find("nsdebug: net: the descriptors of") != std::string::npos);
  CHECK(r.err.find("hint:") != std::string::npos);
  CHECK(r.err.find("SYS_PTRACE") != std::string::npos);
}
