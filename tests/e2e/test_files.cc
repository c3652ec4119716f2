// nsdebug cat, ls, stat and env inside the debug container, on the nginx container's files.
// PIDs come from `nsdebug ps --json` each time: they differ from run to run.
#include <string>

#include <catch2/catch.hpp>

#include "pod.h"
#include "ps_helpers.h"

using namespace nsdebug::e2e;

namespace {

std::string master_pid() {
  json procs = nsdebug_json({"ps", "--json", "--reveal"});
  return std::to_string(the_process(procs, "nginx: master process").at("pid").get<int>());
}

// A sleep with a duration no other test uses, to find it again by its command line.
std::string fmt_sleep() { return "sleep 29.5"; }

std::string nginx_cat(const std::string& path) {
  RunResult r = run_in("nginx", {"/bin/busybox", "cat", path});
  INFO("nginx cat stderr: " << r.err);
  REQUIRE(r.status == 0);
  return r.out;
}

}  // namespace

TEST_CASE("cat: nginx:/etc/nginx/nginx.conf is the nginx container's config", "[e2e][files]") {
  std::string expected = nginx_cat("/etc/nginx/nginx.conf");
  REQUIRE(expected.find("http") != std::string::npos);
  RunResult r = run_nsdebug({"cat", "nginx:/etc/nginx/nginx.conf"});
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.out == expected);
}

TEST_CASE("cat: an absolute symlink resolves in nginx's root; /proc/PID/root gets it wrong",
          "[e2e][files]") {
  std::string expected = nginx_cat("/etc/nginx/nginx.conf");
  RunResult r = run_nsdebug({"cat", "nginx:/etc/nginx/current.conf"});
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.out == expected);
  // By PID, and through ".." above the root: still nginx's file.
  std::string pid = master_pid();
  RunResult up = run_nsdebug({"cat", pid + ":/../../../etc/nginx/current.conf"});
  CHECK(up.out == expected);
  // busybox cat follows the absolute link in the shell container's own root.
  RunResult plain = run_in("shell", {"cat", "/proc/" + pid + "/root/etc/nginx/current.conf"});
  CHECK((plain.status != 0 || plain.out != expected));
}

TEST_CASE("ls -l: a file owned by uid 101 shows owner nginx, from nginx's /etc/passwd",
          "[e2e][files]") {
  RunResult r = run_nsdebug({"ls", "-l", "nginx:/usr/share/nginx/html"});
  INFO(r.err << r.out);
  REQUIRE(r.status == 0);
  bool found = false;
  for (const auto& line : split_lines(r.out)) {
    auto w = split_words(line);
    if (w.empty() || w.back() != "owned-by-nginx.txt") continue;
    found = true;
    CHECK(w.at(2) == "nginx");
  }
  CHECK(found);
  RunResult links = run_nsdebug({"ls", "-l", "nginx:/etc/nginx"});
  CHECK(links.out.find("current.conf -> /etc/nginx/nginx.conf") != std::string::npos);
}

TEST_CASE("stat: the symlink, and where it resolved inside nginx's root", "[e2e][files]") {
  RunResult r = run_nsdebug({"stat", "nginx:/etc/nginx/current.conf"});
  INFO(r.err << r.out);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("-> /etc/nginx/nginx.conf") != std::string::npos);
  CHECK(r.out.find("Resolved: /etc/nginx/nginx.conf\n") != std::string::npos);
}

TEST_CASE("env: nginx's title over its environment block is said, not printed as entries",
          "[e2e][files]") {
  RunResult r = run_nsdebug({"env", "nginx"});
  CHECK(r.status == 1);
  CHECK(r.out.find("daemon off") == std::string::npos);
  auto lines = split_lines(r.err);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].rfind("nsdebug: env " + master_pid() + ": the process wrote its title over its "
                       "environment block (setproctitle",
                       0) == 0);
  CHECK(lines[1].rfind("hint: ", 0) == 0);
  RunResult page = run_nsdebug({"inspect", "--json", "nginx"});
  REQUIRE(page.status == 0);
  json j = json::parse(page.out);
  CHECK(j.at("environ_overwritten") == true);
  CHECK(j.at("environ").is_array());
}

// nginx's setproctitle overwrites its own environ block (the kernel's env_start..env_end),
// so the env is read from a process started in the nginx container with its environment.
TEST_CASE("env: DB_PASSWORD is masked, --reveal shows it", "[e2e][files]") {
  std::string sleeper = fmt_sleep();
  RunResult started = run({"/bin/sh", "-c",
                           "timeout 30 '" + pod_sh() + "' exec '" + pod_name() +
                               "' nginx -- /bin/busybox " + sleeper + " >/dev/null 2>&1 &"});
  REQUIRE(started.status == 0);
  std::string pid;
  for (int i = 0; i < 50 && pid.empty(); ++i) {
    for (const auto& p : nsdebug_json({"ps", "--json"}))
      if (joined_argv(p) == "/bin/busybox " + sleeper) pid = std::to_string(p.at("pid").get<int>());
    if (pid.empty()) run({"/bin/sleep", "0.1"});
  }
  REQUIRE(!pid.empty());
  RunResult masked = run_nsdebug({"env", pid});
  INFO(masked.err << masked.out);
  REQUIRE(masked.status == 0);
  CHECK(masked.out.find("DB_PASSWORD=***\n") != std::string::npos);
  CHECK(masked.out.find("APP_MODE=demo\n") != std::string::npos);
  CHECK(masked.out.find("s3cr3t-from-nginx") == std::string::npos);
  RunResult shown = run_nsdebug({"env", "--reveal", pid});
  CHECK(shown.out.find("DB_PASSWORD=s3cr3t-from-nginx\n") != std::string::npos);
  // Leave the nginx container as the other tests expect it: master and worker only.
  run_in("shell", {"kill", pid});
  for (int i = 0; i < 50 && run_in("shell", {"test", "-d", "/proc/" + pid}).status == 0; ++i)
    run({"/bin/sleep", "0.1"});
}

TEST_CASE("cat: an unknown container is named, with the containers there are", "[e2e][files]") {
  RunResult r = run_nsdebug({"cat", "nosuch:/etc/passwd"});
  CHECK(r.status == 1);
  CHECK(r.err.find("nosuch") != std::string::npos);
  CHECK(r.err.find("nginx") != std::string::npos);
}
