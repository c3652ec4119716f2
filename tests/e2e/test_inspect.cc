// nsdebug inspect on the nginx master, from the debug container (which has SYS_PTRACE).
#include <string>

#include <catch2/catch.hpp>

#include "pod.h"
#include "ps_helpers.h"

using namespace nsdebug::e2e;

TEST_CASE("inspect nginx: command, exe, ids by name, caps, namespaces, listening socket",
          "[e2e][inspect]") {
  RunResult r = run_nsdebug({"inspect", "nginx"});
  INFO(r.err << r.out);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("container nginx\n") != std::string::npos);
  CHECK(r.out.find("Command:    nginx: master process") != std::string::npos);
  CHECK(r.out.find("Exe:        /usr/sbin/nginx\n") != std::string::npos);
  CHECK(r.out.find("uid root(0)") != std::string::npos);
  CHECK(r.out.find("CAP_NET_BIND_SERVICE") != std::string::npos);
  CHECK(r.out.find(" mnt:") != std::string::npos);
  CHECK(r.out.find("tcp 0.0.0.0:80 LISTEN") != std::string::npos);
  CHECK(r.out.find("Max open files") != std::string::npos);
  CHECK(r.out.find("unreadable") == std::string::npos);
}

TEST_CASE("inspect --json of the uid-101 worker names its user from nginx's /etc/passwd",
          "[e2e][inspect]") {
  json procs = nsdebug_json({"ps", "--json", "--reveal"});
  int worker = the_process(procs, "nginx: worker process").at("pid").get<int>();
  RunResult r = run_nsdebug({"inspect", "--json", std::to_string(worker)});
  INFO(r.err << r.out);
  REQUIRE(r.status == 0);
  json j = json::parse(r.out);
  CHECK(j.at("pid") == worker);
  CHECK(j.at("container") == "nginx");
  CHECK(j.at("status").at("uids").at("effective").at("name") == "nginx");
  CHECK(j.at("status").at("uids").at("effective").at("id") == 101);
  CHECK(j.at("exe") == "/usr/sbin/nginx");
  CHECK(j.at("namespaces").contains("pid"));
  CHECK(j.at("fds").is_array());
  CHECK(j.at("limits").is_array());
}
