// Node mode's pure parts: grouping the node's processes by PID namespace, and --pod lookup.
#include <catch2/catch.hpp>

#include "core/containers/container.h"
#include "core/node/pidns.h"
#include "fake_probe.h"

using namespace nsdebug;
using nsdebug::testing::FakeProbe;
using nsdebug::testing::proc;

namespace {

constexpr std::uint64_t kNode = 4026531836;  // the node's own PID namespace

HostProcess hp(pid_t host, std::uint64_t pid_ns, std::uint64_t mnt_ns, std::vector<pid_t> nspid) {
  return {host, pid_ns, mnt_ns, std::move(nspid)};
}

PodNamespace pod(std::string name, std::string uid, pid_t init, bool sandbox) {
  PodNamespace p;
  p.name = std::move(name);
  p.pod_uid = std::move(uid);
  p.init_host_pid = init;
  p.sandbox = sandbox;
  p.init_command = sandbox ? "/pause" : "nginx";
  return p;
}

}  // namespace

TEST_CASE("a shared pod's PID namespace counts its containers by mount namespace") {
  std::vector<HostProcess> hs{
      hp(1, kNode, 1, {1}),                 // the node's init: not a pod
      hp(500, 77, 10, {500, 1}),            // pause
      hp(510, 77, 11, {510, 7}),            // nginx master
      hp(511, 77, 11, {511, 8}),            // nginx worker
      hp(520, 77, 12, {520, 9}),            // shell
      hp(600, 88, 20, {600, 1}),            // another container's own namespace
  };
  auto pods = group_pid_namespaces(hs, kNode);
  REQUIRE(pods.size() == 2);
  CHECK(pods[0].pid_ns == 77);
  CHECK(pods[0].init_host_pid == 500);
  CHECK(pods[0].processes == 4);
  CHECK(pods[0].containers == 3);
  CHECK(pods[0].shared());
  CHECK(pods[1].init_host_pid == 600);
  CHECK(pods[1].containers == 1);
  CHECK_FALSE(pods[1].shared());
}

TEST_CASE("a PID namespace whose PID 1 was not seen is left out") {
  std::vector<HostProcess> hs{hp(700, 99, 30, {700, 4})};
  CHECK(group_pid_namespaces(hs, kNode).empty());
}

TEST_CASE("--pod finds a pod by exact name before any UID prefix") {
  std::vector<PodNamespace> pods{pod("web", "abc123-1", 500, true),
                                 pod("abc", "fff000-2", 600, true)};
  auto byname = find_pod(pods, "abc");
  REQUIRE(byname);
  CHECK(byname->init_host_pid == 600);
  auto byuid = find_pod(pods, "abc1");
  REQUIRE(byuid);
  CHECK(byuid->init_host_pid == 500);
  auto none = find_pod(pods, "db");
  REQUIRE_FALSE(none);
  CHECK(none.error().code == ENOENT);
  CHECK_THAT(none.error().hint, Catch::Contains("nsdebug pods"));
}

TEST_CASE("--pod prefers the sandbox's namespace of a pod whose containers each have their own") {
  std::vector<PodNamespace> unshared{pod("web", "u1", 500, true), pod("web", "u1", 510, false)};
  auto found = find_pod(unshared, "web");
  REQUIRE(found);
  CHECK(found->init_host_pid == 500);
}

TEST_CASE("--pod refuses to guess between several namespaces and lists them") {
  std::vector<PodNamespace> two{pod("web", "u1", 500, false), pod("web", "u2", 510, false)};
  auto found = find_pod(two, "web");
  REQUIRE_FALSE(found);
  CHECK_THAT(found.error().why, Catch::Contains("host PID 500") && Catch::Contains("host PID 510"));
  CHECK_THAT(found.error().hint, Catch::Contains("--target"));
}

TEST_CASE("in an ephemeral container's view PID 1 is the app and nothing is a sandbox") {
  // kubectl debug --target=nginx: the debug container joined nginx's own PID namespace.
  std::vector<Process> ps{proc(1, 0, 100, {"nginx: master process nginx"}),
                          proc(7, 1, 100, {"nginx: worker process"}),
                          proc(12, 0, 200, {"sh"})};
  FakeProbe probe;
  auto cs = group_into_containers(ps, probe);
  REQUIRE(cs.size() == 2);
  for (const auto& c : cs) CHECK_FALSE(c.sandbox);
  CHECK(cs[0].main_pid == 1);
  CHECK(cs[0].name == "nginx");
}
