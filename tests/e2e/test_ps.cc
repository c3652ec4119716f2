// `nsdebug ps` run where its users run it: inside the debug container of a pod with a shared PID
// namespace. No pod PID is assumed except the one the kernel fixes: the sandbox is PID 1.
#include <ctime>
#include <map>
#include <set>
#include <string>
#include <utility>

#include <catch2/catch.hpp>

#include "pod.h"
#include "ps_helpers.h"

using namespace nsdebug::e2e;

namespace {

const std::vector<std::string> kPsHeader{"PID", "CONTAINER", "USER", "STAT", "RSS", "ELAPSED", "COMMAND"};

json ps_json() { return nsdebug_json({"ps", "--json"}); }

Table ps_table(std::vector<std::string> args = {"ps"}) {
  RunResult r = run_nsdebug(args);
  INFO("nsdebug stderr: " << r.err);
  REQUIRE(r.status == 0);
  INFO("nsdebug stdout:\n" << r.out);
  return parse_table(r.out);
}

std::string state_id(const std::string& ctr) {
  return pod_state().at("containers").at(ctr).at("id").get<std::string>();
}

}  // namespace

TEST_CASE("ps: PID 1 is the pod's sandbox (the pause), not an application", "[e2e][ps]") {
  json procs = ps_json();
  json pid1;
  for (const auto& p : procs)
    if (p.at("pid") == 1) pid1 = p;
  INFO("ps --json: " << procs.dump(1));
  REQUIRE(pid1.is_object());
  CHECK(pid1.at("comm") == "pause");
  CHECK(pid1.at("argv") == json::array({"/pause"}));
  CHECK(pid1.at("ppid") == 0);
  CHECK(pid1.at("container").at("name") == "sandbox");
  CHECK(pid1.at("container").at("sandbox") == true);
  CHECK(pid1.at("container").at("id") == state_id("pause"));
}

TEST_CASE("ps: the nginx master and worker are in container nginx, as root and as nginx", "[e2e][ps]") {
  json procs = ps_json();
  json master = the_process(procs, "nginx: master process");
  json worker = the_process(procs, "nginx: worker process");
  for (const auto& p : {master, worker}) {
    INFO(p.dump());
    CHECK(p.at("container").at("name") == "nginx");
    CHECK(p.at("container").at("sandbox") == false);
    CHECK(p.at("container").at("id") == state_id("nginx"));
    CHECK(p.at("comm") == "nginx");
  }
  CHECK(master.at("uid") == 0);
  CHECK(master.at("user") == "root");
  CHECK(master.at("ppid") == 0);  // its parent (runc) is outside the pod
  CHECK(worker.at("uid") == 101);
  CHECK(worker.at("user") == "nginx");
  CHECK(worker.at("ppid") == master.at("pid"));
}

TEST_CASE("ps: uid 101 is named from the nginx container's /etc/passwd, which the shell's lacks",
          "[e2e][ps]") {
  // The premise: busybox's own user database does not know nginx.
  RunResult grep = run_in("shell", {"grep", "-c", "^nginx:", "/etc/passwd"});
  REQUIRE(grep.out == "0\n");

  json worker = the_process(ps_json(), "nginx: worker process");
  CHECK(worker.at("uid") == 101);
  CHECK(worker.at("user") == "nginx");
  CHECK(worker.at("gid") == 101);
  CHECK(worker.at("group") == "nginx");

  Table t = ps_table();
  auto user = column(t, "USER");
  auto cmd = column(t, "COMMAND");
  int workers = 0;
  for (const auto& row : t.rows) {
    if (row[cmd].rfind("nginx: worker process", 0) != 0) continue;
    ++workers;
    CHECK(row[user] == "nginx");
  }
  CHECK(workers == 1);
}

TEST_CASE("ps: the debug container's sleep 3600 is in container shell", "[e2e][ps]") {
  json procs = ps_json();
  json sleep = the_process(procs, "sleep 3600");
  CHECK(sleep.at("argv") == json::array({"sleep", "3600"}));
  CHECK(sleep.at("container").at("name") == "shell");
  CHECK(sleep.at("container").at("id") == state_id("shell"));
  CHECK(sleep.at("user") == "root");
  // nsdebug itself runs in the debug container too.
  for (const auto& p : procs)
    if (is_nsdebug(p)) CHECK(p.at("container").at("name") == "shell");
}

TEST_CASE("ps: the pod's processes fall into exactly sandbox, nginx and shell", "[e2e][ps]") {
  json procs = ps_json();
  INFO(procs.dump(1));
  CHECK(container_names(procs) == std::set<std::string>{"sandbox", "nginx", "shell"});
  // One id per name, one name per id, and only the sandbox is the sandbox.
  std::map<std::string, std::string> id_of;
  std::set<std::string> ids;
  for (const auto& p : procs) {
    const auto& c = p.at("container");
    auto name = c.at("name").get<std::string>();
    auto id = c.at("id").get<std::string>();
    auto [it, fresh] = id_of.emplace(name, id);
    CHECK(it->second == id);
    if (fresh) ids.insert(id);
    CHECK(c.at("sandbox") == (name == "sandbox"));
  }
  CHECK(ids.size() == id_of.size());
}

TEST_CASE("ps --json: every process has the documented keys and types", "[e2e][ps]") {
  json procs = ps_json();
  REQUIRE(procs.size() >= 5);  // pause, nginx master and worker, sleep, nsdebug
  const double now = static_cast<double>(std::time(nullptr));
  const pid_t pause_host_pid = host_pid("pause");
  for (const auto& p : procs) {
    INFO(p.dump());
    REQUIRE(p.is_object());
    CHECK(p.at("pid").is_number_integer());
    CHECK(p.at("pid").get<long>() > 0);
    CHECK(p.at("ppid").is_number_integer());
    CHECK(p.at("ppid").get<long>() >= 0);
    // From inside the pod the host PID is normally unknown (NSpid has one level); if nsdebug
    // knows it anyway, it must be right.
    CHECK((p.at("host_pid").is_null() || p.at("host_pid").is_number_integer()));
    if (p.at("pid") == 1 && !p.at("host_pid").is_null()) CHECK(p.at("host_pid") == pause_host_pid);
    REQUIRE(p.at("state").is_string());
    CHECK(p.at("state").get<std::string>().size() == 1);
    CHECK(p.at("uid").is_number_integer());
    CHECK(p.at("user").is_string());
    CHECK(!p.at("user").get<std::string>().empty());
    CHECK(p.at("gid").is_number_integer());
    CHECK(p.at("group").is_string());
    CHECK(!p.at("group").get<std::string>().empty());
    CHECK(p.at("rss_kb").is_number());
    CHECK(p.at("rss_kb").get<double>() >= 0);
    REQUIRE(p.at("start_time").is_number());
    REQUIRE(p.at("elapsed_s").is_number());
    CHECK(p.at("elapsed_s").get<double>() >= 0);
    // Started elapsed_s seconds before about now (the pod is a few seconds old at most minutes).
    CHECK(p.at("start_time").get<double>() + p.at("elapsed_s").get<double>() ==
          Approx(now).margin(30));
    CHECK(p.at("comm").is_string());
    REQUIRE(p.at("argv").is_array());
    for (const auto& a : p.at("argv")) CHECK(a.is_string());
    const auto& c = p.at("container");
    REQUIRE(c.is_object());
    CHECK(c.at("name").is_string());
    CHECK(c.at("id").is_string());
    CHECK(c.at("sandbox").is_boolean());
  }
}

TEST_CASE("ps: the table has the header PID CONTAINER USER STAT RSS ELAPSED COMMAND, aligned",
          "[e2e][ps]") {
  Table t = ps_table();  // parse_table checks the COMMAND column lines up in every row
  CHECK(t.header == kPsHeader);
  REQUIRE(t.rows.size() >= 5);
  auto pid = column(t, "PID");
  auto container = column(t, "CONTAINER");
  auto cmd = column(t, "COMMAND");
  bool saw_pid1 = false;
  for (const auto& row : t.rows) {
    if (row[pid] != "1") continue;
    saw_pid1 = true;
    CHECK(row[container] == "sandbox");
    CHECK(row[cmd] == "/pause");
  }
  CHECK(saw_pid1);
}

TEST_CASE("ps: the table and --json agree on pids, containers and users", "[e2e][ps]") {
  json procs = ps_json();
  Table t = ps_table();
  auto pid = column(t, "PID");
  auto container = column(t, "CONTAINER");
  auto user = column(t, "USER");
  auto cmd = column(t, "COMMAND");

  // nsdebug's own process differs between the two runs: compare the rest.
  std::map<long, std::pair<std::string, std::string>> from_json, from_table;
  for (const auto& p : procs)
    if (!is_nsdebug(p))
      from_json[p.at("pid").get<long>()] = {p.at("container").at("name").get<std::string>(),
                                            p.at("user").get<std::string>()};
  for (const auto& row : t.rows)
    if (!is_nsdebug_command(row[cmd])) from_table[std::stol(row[pid])] = {row[container], row[user]};
  CHECK(from_table == from_json);
}

TEST_CASE("ps: not writing to a terminal, it does not cut the command", "[e2e][ps]") {
  // A long command line of our own: the sh that runs nsdebug stays its parent and is listed.
  const std::string tail(300, 'x');
  RunResult r = run_in("shell", {"sh", "-c", "nsdebug ps; : " + tail});
  INFO("stderr: " << r.err);
  REQUIRE(r.status == 0);
  INFO("stdout:\n" << r.out);
  Table t = parse_table(r.out);
  auto cmd = column(t, "COMMAND");
  bool saw_sh = false, saw_master = false;
  for (const auto& row : t.rows) {
    if (row[cmd] == "sh -c nsdebug ps; : " + tail) saw_sh = true;
    if (row[cmd] == "nginx: master process nginx -g daemon off;") saw_master = true;
  }
  CHECK(saw_sh);
  CHECK(saw_master);
}

TEST_CASE("ps -c nginx: only the nginx container's processes", "[e2e][ps]") {
  json procs = ps_json();
  std::set<long> nginx_pids;
  for (const auto& p : procs)
    if (p.at("container").at("name") == "nginx") nginx_pids.insert(p.at("pid").get<long>());
  REQUIRE(nginx_pids.size() >= 2);

  Table t = ps_table({"ps", "-c", "nginx"});
  CHECK(t.header == kPsHeader);
  auto pid = column(t, "PID");
  auto container = column(t, "CONTAINER");
  std::set<long> shown;
  for (const auto& row : t.rows) {
    CHECK(row[container] == "nginx");
    shown.insert(std::stol(row[pid]));
  }
  CHECK(shown == nginx_pids);
}

TEST_CASE("ps -u nginx: only the worker", "[e2e][ps]") {
  json worker = the_process(ps_json(), "nginx: worker process");
  Table t = ps_table({"ps", "-u", "nginx"});
  REQUIRE(t.rows.size() == 1);
  const auto& row = t.rows[0];
  CHECK(row[column(t, "PID")] == std::to_string(worker.at("pid").get<long>()));
  CHECK(row[column(t, "USER")] == "nginx");
  CHECK(row[column(t, "COMMAND")] == "nginx: worker process");
}

TEST_CASE("ps --no-headers: rows only", "[e2e][ps]") {
  json procs = ps_json();
  RunResult r = run_nsdebug({"ps", "--no-headers"});
  INFO("stderr: " << r.err << "\nstdout:\n" << r.out);
  REQUIRE(r.status == 0);
  auto lines = split_lines(r.out);
  REQUIRE(!lines.empty());
  std::set<long> pids;
  for (const auto& line : lines) {
    auto words = split_words(line);
    REQUIRE(words.size() >= kPsHeader.size());
    CHECK(words[0] != "PID");
    CHECK(words[0].find_first_not_of("0123456789") == std::string::npos);
    pids.insert(std::stol(words[0]));
  }
  CHECK(pids.count(1) == 1);
  // Each run lists the same pod plus its own nsdebug process.
  CHECK(lines.size() == procs.size());
}

TEST_CASE("ps -o pid,user,args: the header is PID USER COMMAND", "[e2e][ps]") {
  json master = the_process(ps_json(), "nginx: master process");
  Table t = ps_table({"ps", "-o", "pid,user,args"});
  CHECK(t.header == std::vector<std::string>{"PID", "USER", "COMMAND"});
  bool saw_master = false;
  for (const auto& row : t.rows) {
    REQUIRE(row.size() == 3);
    if (row[0] != std::to_string(master.at("pid").get<long>())) continue;
    saw_master = true;
    CHECK(row[1] == "root");
    CHECK(row[2] == "nginx: master process nginx -g daemon off;");
  }
  CHECK(saw_master);
}

TEST_CASE("ps --no-such-flag: a usage error, exit 2, stderr starting with 'nsdebug: '", "[e2e][ps]") {
  RunResult r = run_nsdebug({"ps", "--no-such-flag"});
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.status == 2);
  CHECK(r.err.rfind("nsdebug: ", 0) == 0);
}
