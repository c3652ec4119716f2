// nsdebug doctor where users run it: the debug container with and without SYS_PTRACE, a pod
// whose PID namespace is not shared, an ephemeral-style container in nginx's PID namespace, and
// the node. Each verdict is checked, and failing commands end their hint with doctor's line.
// The [noptrace], [unshared] and [ephemeral] tests run against pods brought up for them.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "pod.h"
#include "ps_helpers.h"

using namespace nsdebug::e2e;
using Catch::Contains;

namespace {

struct Doctor {
  int status = -1;
  json report;  // {ok, checks: [{check, verdict, detail, fix}]}

  const json& check(const std::string& name) const {
    for (const auto& c : report.at("checks"))
      if (c.at("check") == name) return c;
    FAIL("doctor has no check '" << name << "': " << report.dump(2));
    throw;
  }
  std::string verdict(const std::string& name) const { return check(name).at("verdict"); }
  std::string detail(const std::string& name) const { return check(name).at("detail"); }
  std::string fix(const std::string& name) const {
    const json& f = check(name).at("fix");
    return f.is_null() ? "" : f.get<std::string>();
  }
};

Doctor parse_doctor(const RunResult& r) {
  INFO("doctor stderr: " << r.err << "\nstdout: " << r.out);
  json j = json::parse(r.out, nullptr, false);
  REQUIRE(j.is_object());
  REQUIRE(j.at("ok").is_boolean());
  return {r.status, j};
}

Doctor doctor_in_pod() { return parse_doctor(run_nsdebug({"doctor", "--json"})); }

Doctor doctor_on_node(std::vector<std::string> args) {
  args.insert(args.begin(), NSDEBUG_BIN);
  args.insert(args.end(), {"doctor", "--json"});
  return parse_doctor(run(args));
}

std::string worker_pid() {
  json procs = nsdebug_json({"ps", "--json"});
  return std::to_string(the_process(procs, "nginx: worker process").at("pid").get<int>());
}

}  // namespace

TEST_CASE("doctor: the debug container of a shared pod with SYS_PTRACE can do everything",
          "[e2e][doctor]") {
  Doctor d = doctor_in_pod();
  CHECK(d.status == 0);
  CHECK(d.report.at("ok") == true);
  for (const auto& c : d.report.at("checks")) {
    INFO(c.dump());
    CHECK(c.at("verdict") == "ok");
    CHECK(c.at("fix").is_null());
  }
  CHECK_THAT(d.detail("pid namespace"), Contains("shared") && Contains("PID 1 is the pause"));
  CHECK_THAT(d.detail("capabilities"), Contains("CAP_SYS_PTRACE yes") && Contains("CAP_KILL yes"));
  CHECK_THAT(d.detail("container nginx"), Contains("root readable yes") &&
                                              Contains("(uid 101): root readable yes"));
  CHECK_THAT(d.detail("container sandbox"), Contains("PID 1: root readable yes"));
  CHECK_THAT(d.detail("container shell"), Contains("nsdebug's own"));
}

TEST_CASE("doctor: the text report has one verdict per line and no fix when all is well",
          "[e2e][doctor]") {
  RunResult r = run_nsdebug({"doctor"});
  INFO(r.err << r.out);
  CHECK(r.status == 0);
  auto lines = split_lines(r.out);
  REQUIRE(lines.size() >= 8);
  for (const auto& line : lines) CHECK(line.rfind("ok    ", 0) == 0);
}

TEST_CASE("doctor: on the node it finds the pod; through --pod it sees the pod as shared",
          "[e2e][doctor][node]") {
  Doctor node = doctor_on_node({});
  CHECK_THAT(node.detail("where"), Contains("on the node"));
  CHECK(node.verdict("pods") == "ok");
  CHECK(node.verdict("capabilities") == "ok");
  Doctor entered = doctor_on_node({"--pod", pod_name()});
  CHECK_THAT(entered.detail("where"), Contains("--target/--pod"));
  CHECK(entered.verdict("pid namespace") == "ok");
  CHECK_THAT(entered.detail("pid namespace"), Contains("shared: 2 other containers"));
}

TEST_CASE("doctor without SYS_PTRACE: the capability and the worker's and pause's roots are "
          "flagged, with the fixes",
          "[e2e][doctor][noptrace]") {
  REQUIRE(pod_state().at("shell_ptrace") == false);
  Doctor d = doctor_in_pod();
  CHECK(d.status == 1);
  CHECK(d.report.at("ok") == false);
  CHECK(d.verdict("pid namespace") == "ok");
  CHECK(d.verdict("capabilities") == "warn");
  CHECK_THAT(d.detail("capabilities"), Contains("CAP_SYS_PTRACE no") && Contains("CAP_KILL yes"));
  CHECK_THAT(d.fix("capabilities"), Contains("SYS_PTRACE"));
  // The master runs as root like nsdebug: its root is open; the worker's (uid 101) is not.
  CHECK(d.verdict("container nginx") == "warn");
  CHECK_THAT(d.detail("container nginx"),
             Contains("root readable yes, environ readable yes, signallable yes; PID ") &&
                 Contains("(uid 101): root readable no (permission denied: it runs as uid 101"));
  CHECK_THAT(d.fix("container nginx"), Contains("SYS_PTRACE") && Contains("runAsUser: 101"));
  CHECK(d.verdict("container sandbox") == "warn");
  CHECK_THAT(d.detail("container sandbox"), Contains("root readable no") &&
                                                Contains("uid 65535") && Contains("signallable yes"));
  CHECK(d.verdict("container shell") == "ok");
}

TEST_CASE("files without SYS_PTRACE: the uid-101 worker's root is refused with why and the fix; "
          "the root-owned master's is read",
          "[e2e][files][noptrace]") {
  std::string worker = worker_pid();
  RunResult denied = run_nsdebug({"cat", worker + ":/etc/nginx/nginx.conf"});
  CHECK(denied.status == 1);
  CHECK(denied.out.empty());
  CHECK_THAT(denied.err, Contains("nsdebug: open /proc/" + worker + "/root: permission denied: "
                                  "it runs as uid 101 and nsdebug as uid 0, without CAP_SYS_PTRACE\n"
                                  "hint: add SYS_PTRACE to the debug container") &&
                             Contains("runAsUser: 101"));
  RunResult env = run_nsdebug({"env", worker});
  CHECK(env.status == 1);
  CHECK_THAT(env.err, Contains("environ: permission denied: it runs as uid 101"));

  RunResult master = run_nsdebug({"cat", "nginx:/etc/nginx/nginx.conf"});
  INFO(master.err);
  CHECK(master.status == 0);
  CHECK_THAT(master.out, Contains("worker_processes"));
  // Names still come from nginx's own /etc/passwd, read through the master's root.
  json procs = nsdebug_json({"ps", "--json"});
  CHECK(the_process(procs, "nginx: worker process").at("user") == "nginx");
}

TEST_CASE("doctor in a pod that does not share its PID namespace: not shared, and the fix",
          "[e2e][doctor][unshared]") {
  REQUIRE(pod_state().at("shared_pid_namespace") == false);
  Doctor d = doctor_in_pod();
  CHECK(d.status == 1);
  CHECK(d.verdict("pid namespace") == "fail");
  CHECK_THAT(d.detail("pid namespace"), Contains("not shared"));
  CHECK_THAT(d.fix("pid namespace"), Contains("shareProcessNamespace: true") &&
                                         Contains("kubectl debug -it POD") &&
                                         Contains("--target=CONTAINER"));
  CHECK(d.verdict("capabilities") == "ok");
}

TEST_CASE("a command looking for another container in an unshared pod ends its hint with "
          "doctor's diagnosis",
          "[e2e][files][unshared]") {
  RunResult r = run_nsdebug({"cat", "nginx:/etc/nginx/nginx.conf"});
  CHECK(r.status == 1);
  auto lines = split_lines(r.err);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "nsdebug: container 'nginx': no such container");
  CHECK_THAT(lines[1], Contains("hint: containers here: shell; not shared: only this container's "
                                "processes are visible: set shareProcessNamespace: true"));
  RunResult ps = run_nsdebug({"ps", "-c", "nginx"});
  CHECK(ps.status != 0);
  CHECK_THAT(ps.err, Contains("shareProcessNamespace: true"));
}

TEST_CASE("doctor in an ephemeral-style container: PID 1 is nginx's master, which is said",
          "[e2e][doctor][ephemeral]") {
  REQUIRE(pod_state().at("shell_target") == "nginx");
  Doctor d = doctor_in_pod();
  CHECK(d.status == 0);
  CHECK(d.verdict("pid namespace") == "ok");
  CHECK_THAT(d.detail("pid namespace"), Contains("ephemeral-style") &&
                                            Contains("container 'nginx'") &&
                                            Contains("stops that container"));
  CHECK_THAT(d.detail("container nginx"), Contains("PID 1: root readable yes"));
}

TEST_CASE("ephemeral-style: nothing is a sandbox, and kill 1 is refused with the reason",
          "[e2e][kill][ephemeral]") {
  json ctrs = nsdebug_json({"containers", "--json"});
  REQUIRE(ctrs.size() == 2);
  for (const auto& c : ctrs) CHECK(c.at("sandbox") == false);
  RunResult r = run_nsdebug({"kill", "1"});
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("PID 1 is not a pod sandbox here but the main process of container "
                             "'nginx'") &&
                        Contains("hint: --force"));
  json procs = nsdebug_json({"ps", "--json"});
  CHECK(the_process(procs, "nginx: master process").at("pid") == 1);
}
