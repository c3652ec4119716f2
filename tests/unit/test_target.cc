#include <catch2/catch.hpp>

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
