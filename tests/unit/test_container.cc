#include <catch2/catch.hpp>

#include <algorithm>

#include "core/containers/container.h"
#include "fake_probe.h"

using namespace nsdebug;
using namespace nsdebug::testing;

namespace {

const std::string kUid = "7c1f0e52-5f3a-4d4e-9a53-000000000001";
const std::string kNginxId(64, 'a');
const std::string kShellId(64, 'b');
const std::string kPauseId(64, 'c');

std::string cgroupfs(const std::string& id) {
  return "4:memory:/kubepods/besteffort/pod" + kUid + "/" + id + "\n0::/kubepods/besteffort/pod" +
         kUid + "/" + id + "\n";
}

// The documentation's pod as seen from the debug container.
struct DocPod {
  std::vector<Process> ps{
      proc(1, 0, 100, {"/pause"}),
      proc(6, 0, 200, {"nginx: master process nginx -g daemon off;"}),
      proc(11, 6, 200, {"nginx: worker process"}),
      proc(12, 0, 300, {"sleep", "3600"}),
      proc(20, 0, 300, {"nsdebug", "ps"}),
  };
  FakeProbe probe;
  DocPod() {
    probe.cgroups = {{1, cgroupfs(kPauseId)}, {6, cgroupfs(kNginxId)}, {11, cgroupfs(kNginxId)},
                     {12, cgroupfs(kShellId)}, {20, cgroupfs(kShellId)}};
    probe.mountinfos = {{6, kubelet_mount(kUid, "nginx")}, {12, kubelet_mount(kUid, "shell")}};
  }
};

const Container& named(const std::vector<Container>& cs, const std::string& name) {
  auto it = std::ranges::find(cs, name, &Container::name);
  REQUIRE(it != cs.end());
  return *it;
}

}  // namespace

TEST_CASE("the documentation's pod groups into the sandbox, nginx and shell") {
  DocPod pod;
  auto cs = group_into_containers(pod.ps, pod.probe);
  REQUIRE(cs.size() == 3);
  CHECK(cs[0].name == "sandbox");
  CHECK(cs[0].sandbox);
  CHECK(cs[0].id == kPauseId);
  const auto& nginx = named(cs, "nginx");
  CHECK(nginx.process_count == 2);
  CHECK(nginx.main_pid == 6);
  CHECK(nginx.id == kNginxId);
  CHECK(nginx.runtime == "kubepods");
  CHECK(nginx.pod_uid == kUid);
  CHECK(named(cs, "shell").main_pid == 12);
  CHECK(pod.ps[2].container == pod.ps[1].container);
  CHECK(&cs[static_cast<std::size_t>(pod.ps[4].container)] == &named(cs, "shell"));
}

TEST_CASE("a process whose mount namespace is unreadable joins its parent's container") {
  DocPod pod;
  pod.ps[2].mnt_ns = 0;  // the uid-101 worker, seen without SYS_PTRACE
  auto cs = group_into_containers(pod.ps, pod.probe);
  CHECK(cs.size() == 3);
  CHECK(named(cs, "nginx").process_count == 2);
}

TEST_CASE("an orphan with an unreadable namespace joins the container its cgroup names") {
  DocPod pod;
  pod.ps[2].mnt_ns = 0;
  pod.ps[2].ppid = 0;  // reparented, as a daemonised child would be
  auto cs = group_into_containers(pod.ps, pod.probe);
  // Its cgroup id is nginx's, but nginx grouped by namespace: it gets a group of its own,
  // named by that id, never merged into the wrong container.
  REQUIRE(cs.size() == 4);
  CHECK(named(cs, "nginx").process_count == 1);
}

TEST_CASE("without kubelet mounts a container is named by its short runtime id") {
  DocPod pod;
  pod.probe.mountinfos.clear();
  auto cs = group_into_containers(pod.ps, pod.probe);
  CHECK(named(cs, kNginxId.substr(0, 12)).process_count == 2);
}

TEST_CASE("without runtime ids a container is named by its main command, made unique") {
  std::vector<Process> ps{proc(1, 0, 100, {"/usr/bin/app", "--serve"}),
                          proc(7, 0, 200, {"/bin/app"}), proc(8, 0, 300, {"sh"})};
  FakeProbe probe;
  auto cs = group_into_containers(ps, probe);
  REQUIRE(cs.size() == 3);
  CHECK(cs[0].name == "app");
  CHECK(cs[1].name == "app-2");
  CHECK(cs[2].name == "sh");
  CHECK_FALSE(cs[0].sandbox);  // PID 1 that is not a pause: ephemeral-container mode
}

TEST_CASE("PID 1 is a sandbox only when it runs a pause alone") {
  std::vector<Process> ps{proc(1, 0, 100, {"/catatonit", "-P"}), proc(5, 0, 200, {"nginx"})};
  FakeProbe probe;
  CHECK(group_into_containers(ps, probe)[0].sandbox);

  std::vector<Process> shared{proc(1, 0, 100, {"/pause"}), proc(5, 1, 100, {"sh"})};
  CHECK_FALSE(group_into_containers(shared, probe)[0].sandbox);
}

TEST_CASE("the main process is the oldest whose parent is outside the container") {
  std::vector<Process> ps{proc(3, 0, 100, {"late"}, 500), proc(9, 0, 100, {"early"}, 100),
                          proc(10, 9, 100, {"child"}, 50)};
  FakeProbe probe;
  auto cs = group_into_containers(ps, probe);
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].main_pid == 9);
  CHECK(cs[0].name == "early");
}

// Names select containers (kill -c, ps -c): a made-up suffix must not take the name of a
// container that really has it.
TEST_CASE("a name made unique never takes another container's own name") {
  std::vector<Process> ps{proc(1, 0, 100, {"/usr/bin/app"}), proc(7, 0, 200, {"/bin/app"}),
                          proc(8, 0, 300, {"/bin/app-2"}), proc(9, 0, 400, {"app"})};
  FakeProbe probe;
  auto cs = group_into_containers(ps, probe);
  REQUIRE(cs.size() == 4);
  CHECK(cs[0].name == "app");
  CHECK(cs[1].name == "app-3");
  CHECK(cs[2].name == "app-2");
  CHECK(cs[3].name == "app-4");
}

namespace {

Process zombie(pid_t pid, pid_t ppid, const std::string& comm) {
  Process z = proc(pid, ppid, 0, {});  // no namespace left to read, no argv
  z.state = 'Z';
  z.comm = comm;
  return z;
}

}  // namespace

// Issue 13: a zombie whose parent is outside the pod became a container named after its comm,
// whose root doctor could not read (a warning and exit 1).
TEST_CASE("a zombie whose parent is outside the pod makes no container", "[zombie]") {
  DocPod pod;
  pod.ps.push_back(zombie(30, 0, "zomb"));
  auto cs = group_into_containers(pod.ps, pod.probe);
  CHECK(cs.size() == 3);
  CHECK(std::ranges::find(cs, "zomb", &Container::name) == cs.end());
  CHECK(pod.ps.back().container == -1);
}

TEST_CASE("a zombie belongs to its parent's container", "[zombie]") {
  DocPod pod;
  pod.ps.push_back(zombie(30, 6, "worker"));  // nginx's child, not reaped yet
  auto cs = group_into_containers(pod.ps, pod.probe);
  REQUIRE(cs.size() == 3);
  CHECK(named(cs, "nginx").process_count == 3);
  CHECK(named(cs, "nginx").main_pid == 6);
}

TEST_CASE("an orphaned zombie joins a container its cgroup made, never a new one", "[zombie]") {
  DocPod pod;
  pod.ps[2].mnt_ns = 0;  // the worker, unreadable and reparented: grouped by its cgroup
  pod.ps[2].ppid = 0;
  pod.ps.insert(pod.ps.begin() + 1, zombie(2, 0, "zomb"));  // before it in PID order, older
  pod.probe.cgroups[2] = cgroupfs(kNginxId);
  pod.ps.push_back(zombie(40, 0, "gone"));
  pod.probe.cgroups[40] = cgroupfs(std::string(64, 'e'));  // a container that has exited
  auto cs = group_into_containers(pod.ps, pod.probe);
  REQUIRE(cs.size() == 4);  // as without the zombies
  const auto& by_cgroup = cs[static_cast<std::size_t>(pod.ps[3].container)];
  CHECK(by_cgroup.process_count == 2);
  CHECK(pod.ps[1].container == pod.ps[3].container);
  CHECK(by_cgroup.main_pid == 11);  // the living one, though the zombie is older
  CHECK(pod.ps.back().container == -1);
}

TEST_CASE("a zombie leader whose threads still run is alive", "[zombie]") {
  std::vector<Process> ps{proc(1, 0, 100, {"/pause"}), zombie(7, 0, "app")};
  ps[1].threads = 3;  // pthread_exit in main: the leader shows Z, its threads work on
  FakeProbe probe;
  auto cs = group_into_containers(ps, probe);
  REQUIRE(cs.size() == 2);
  CHECK(cs[1].name == "app");
}

TEST_CASE("a table kept between refreshes leaves no old index on a zombie", "[zombie]") {
  DocPod pod;
  pod.ps.push_back(zombie(30, 0, "zomb"));
  pod.ps.back().container = 2;  // what it had while it lived
  group_into_containers(pod.ps, pod.probe);
  CHECK(pod.ps.back().container == -1);
}
