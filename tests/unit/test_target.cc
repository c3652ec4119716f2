#include <catch2/catch.hpp>

#include "core/containers/container.h"
#include "core/pod/target.h"
#include "tools/target.h"

using namespace nsdebug::cli;

TEST_CASE("target: a container name or a PID, then the path after the first colon") {
  auto a = parse_target_path("nginx:/etc/nginx/nginx.conf");
  REQUIRE(a);
  CHECK(a->target.name == "nginx");
  CHECK(a->target.pid == 0);
  CHECK(a->path == "/etc/nginx/nginx.conf");

  auto b = parse_target_path("42:/a:b");
  REQUIRE(b);
  CHECK(b->target.pid == 42);
  CHECK(b->path == "/a:b");

  auto c = parse_target_path("web-1:etc/hosts");
  REQUIRE(c);
  CHECK(c->path == "etc/hosts");
}

TEST_CASE("target: malformed TARGET:PATH is a usage error with a hint") {
  for (const char* bad : {"/etc/passwd", "nginx", "nginx:", ":/etc", "0:/x", "a/b:/x",
                          "99999999999:/x"}) {
    INFO(bad);
    auto r = parse_target_path(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == EINVAL);
    CHECK_FALSE(r.error().hint.empty());
  }
}

TEST_CASE("target: a bare target for env and inspect") {
  auto n = parse_target("nginx");
  REQUIRE(n);
  CHECK(n->pid == 0);
  auto p = parse_target("7");
  REQUIRE(p);
  CHECK(p->pid == 7);
  CHECK_FALSE(parse_target(""));
  CHECK_FALSE(parse_target("nginx:/x"));
}

// ---- the rules of reaching a target (core/pod/target.h), pure ----------------------------

TEST_CASE("target: a zombie and a kernel thread are refused, anything else is lookable") {
  using nsdebug::check_lookable;
  using nsdebug::StatFields;
  auto zombie = check_lookable(42, StatFields{'Z', 7, 0}, true);
  REQUIRE_FALSE(zombie);
  CHECK(zombie.error().code == ESRCH);
  CHECK(zombie.error().what == "PID 42");
  CHECK(zombie.error().reason().find("a zombie") != std::string::npos);
  CHECK(zombie.error().hint.find("PID 7") != std::string::npos);
  auto kthread = check_lookable(99, StatFields{'S', 2, 0}, true);
  REQUIRE_FALSE(kthread);
  CHECK(kthread.error().code == EINVAL);
  CHECK(kthread.error().reason().find("a kernel thread") != std::string::npos);
  CHECK_FALSE(check_lookable(2, StatFields{'S', 0, 0}, true));  // kthreadd itself
  // A child of kthreadd with a command line, or an empty command line elsewhere: a process.
  CHECK(check_lookable(99, StatFields{'S', 2, 0}, false));
  CHECK(check_lookable(99, StatFields{'S', 1, 0}, true));
  CHECK(check_lookable(99, StatFields{'R', 1, 0}, false));
}

TEST_CASE("target: a container by its name, never a guess") {
  std::vector<nsdebug::Container> cs(3);
  cs[0].name = "nginx";
  cs[0].main_pid = 10;
  cs[1].name = "sidecar";
  cs[1].main_pid = 20;
  cs[2].name = "sidecar";
  cs[2].main_pid = 30;
  auto one = nsdebug::pick_container("nginx", cs);
  REQUIRE(one);
  CHECK(*one == 10);
  auto none = nsdebug::pick_container("redis", cs);
  REQUIRE_FALSE(none);
  CHECK(none.error().code == ENOENT);
  CHECK(none.error().reason() == "no such container");
  CHECK(none.error().hint == "containers here: nginx, sidecar, sidecar");
  auto two = nsdebug::pick_container("sidecar", cs);
  REQUIRE_FALSE(two);
  CHECK(two.error().code == EINVAL);
  CHECK(two.error().reason().find("main PIDs 20, 30") != std::string::npos);
  CHECK(two.error().hint == "name one by its PID, e.g. 20:/etc/hostname");
}
