// The fixture itself, checked with busybox only: when these fail, the ps/containers failures
// are the harness's, not nsdebug's.
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "pod.h"
#include "ps_helpers.h"

using namespace nsdebug::e2e;

namespace {

// The last NSpid value of a host process: its PID in the innermost (the pod's) namespace.
std::string pod_pid_of(pid_t host) {
  std::ifstream status("/proc/" + std::to_string(host) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("NSpid:", 0) == 0) return split_words(line).back();
  return "";
}

}  // namespace

TEST_CASE("pod: the harness runs pause, nginx and shell with a shared PID namespace", "[e2e][pod]") {
  const json& state = pod_state();
  INFO(state.dump(1));
  CHECK(state.at("pod") == pod_name());
  REQUIRE(state.at("shared_pid_namespace") == true);
  for (const char* ctr : {"pause", "nginx", "shell"}) {
    CHECK(state.at("containers").at(ctr).at("status") == "running");
    CHECK(state.at("containers").at(ctr).at("id").get<std::string>().size() == 64);
  }
  // Seen from the host, the pause is PID 1 of the pod's namespace.
  CHECK(pod_pid_of(host_pid("pause")) == "1");
  CHECK(pod_pid_of(host_pid("nginx")) != "1");
}

TEST_CASE("pod: busybox ps in the shell sees the pause as PID 1 and the worker as uid 101", "[e2e][pod]") {
  RunResult r = run_in("shell", {"ps", "-o", "pid,user,args"});
  INFO("stderr: " << r.err << "\nstdout:\n" << r.out);
  REQUIRE(r.status == 0);
  bool pause = false, worker = false, master = false;
  for (const auto& line : split_lines(r.out)) {
    auto w = split_words(line);
    if (w.size() < 3) continue;
    if (w[0] == "1" && w[2] == "/pause") pause = true;
    if (line.find("nginx: master process") != std::string::npos) master = true;
    // busybox has no name for 101: the shell's /etc/passwd lacks nginx.
    if (line.find("nginx: worker process") != std::string::npos && w[1] == "101") worker = true;
  }
  CHECK(pause);
  CHECK(master);
  CHECK(worker);
}

TEST_CASE("pod: the shell reads nginx.conf through /proc/<master>/root", "[e2e][pod]") {
  RunResult r = run_in("shell", {"sh", "-c",
                                 "m=$(ps -o pid,args | awk '/nginx: master/ { print $1; exit }'); "
                                 "head -2 /proc/$m/root/etc/nginx/nginx.conf"});
  INFO("stderr: " << r.err);
  CHECK(r.status == 0);
  CHECK(r.out == "user  nginx;\nworker_processes  1;\n");
}

TEST_CASE("pod: exec passes stdout, stderr and the exit status through, arguments verbatim",
          "[e2e][pod]") {
  RunResult r = run_in("shell", {"sh", "-c", "echo out; echo err >&2; exit 7"});
  CHECK(r.status == 7);
  CHECK(r.out == "out\n");
  CHECK(r.err == "err\n");

  RunResult e = run_in("shell", {"echo", "a  b", "$HOME", "'q'"});
  CHECK(e.status == 0);
  CHECK(e.out == "a  b $HOME 'q'\n");
}

TEST_CASE("pod: the nginx container has the secrets in its environment and the test files",
          "[e2e][pod]") {
  RunResult env = run_in("nginx", {"busybox", "env"});
  CHECK(env.out.find("DB_PASSWORD=s3cr3t-from-nginx\n") != std::string::npos);
  CHECK(env.out.find("APP_MODE=demo\n") != std::string::npos);
  RunResult ls = run_in("nginx", {"busybox", "ls", "-ln", "/etc/nginx/current.conf",
                                  "/usr/share/nginx/html/owned-by-nginx.txt", "/var/log/nginx/app.log"});
  INFO("stdout:\n" << ls.out << "stderr: " << ls.err);
  REQUIRE(ls.status == 0);
  auto lines = split_lines(ls.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].find("-> /etc/nginx/nginx.conf") != std::string::npos);
  CHECK(split_words(lines[1])[2] == "101");
  CHECK(lines[2][0] == '-');
}

TEST_CASE("pod: each app container's mountinfo names its kubelet termination-log file", "[e2e][pod]") {
  const json& state = pod_state();
  for (const char* ctr : {"nginx", "shell"}) {
    std::ifstream mi("/proc/" + std::to_string(host_pid(ctr)) + "/mountinfo");
    std::string want = "/pods/" + state.at("pod_uid").get<std::string>() + "/containers/" + ctr + "/0";
    bool found = false;
    for (std::string line; std::getline(mi, line);) {
      auto w = split_words(line);
      if (w.size() > 4 && w[4] == "/dev/termination-log" && w[3].find(want) != std::string::npos)
        found = true;
    }
    CHECK(found);
  }
}

TEST_CASE("pod: nsdebug is on the shell container's PATH and runs there", "[e2e][pod]") {
  RunResult which = run_in("shell", {"sh", "-c", "command -v nsdebug"});
  CHECK(which.out == "/usr/local/bin/nsdebug\n");
  RunResult help = run_in("shell", {"nsdebug", "--help"});
  INFO("stderr: " << help.err);
  CHECK(help.status == 0);
}
