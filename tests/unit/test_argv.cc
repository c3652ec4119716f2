#include <catch2/catch.hpp>

#include "core/proc/argv.h"

using nsdebug::Argv;
using Words = std::vector<std::string>;

TEST_CASE("argv keeps its words, empty ones included, in order") {
  Argv a{"sh", "", "-c", "echo hi"};
  CHECK(a.size() == 4);
  CHECK(a.front() == "sh");
  CHECK(a[1].empty());
  CHECK(a[3] == "echo hi");
  CHECK(a.to_vector() == Words{"sh", "", "-c", "echo hi"});
  CHECK(Argv(a.to_vector()) == a);
  CHECK(Argv{""}.size() == 1);
  CHECK_FALSE(Argv{""}.empty());
  CHECK(Argv{}.empty());
  Argv none;
  CHECK(none.begin() == none.end());
}

TEST_CASE("argv from a C string array, as libproc2 hands it over") {
  const char* strv[] = {"/usr/sbin/nginx", "-g", "daemon off;", nullptr};
  CHECK(Argv::from_strv(strv) == Argv{"/usr/sbin/nginx", "-g", "daemon off;"});
  CHECK(Argv::from_strv(nullptr).empty());
}

TEST_CASE("argv joins with single spaces after what is already there") {
  std::string out = "\\_ ";
  Argv{"sleep", "3600"}.append_joined(out);
  CHECK(out == "\\_ sleep 3600");
  out.clear();
  Argv{}.append_joined(out);
  CHECK(out.empty());
  Argv{"a", "", "b"}.append_joined(out);
  CHECK(out == "a  b");
}

TEST_CASE("a title padded with NULs (setproctitle) keeps no empty trailing words") {
  const char* padded[] = {"nginx: worker process", "", "", "", nullptr};
  auto a = Argv::from_strv(padded);
  CHECK(a.to_vector() == Words{"nginx: worker process"});
  std::string line;
  a.append_joined(line);
  CHECK(line == "nginx: worker process");
  const char* inner[] = {"sh", "", "-c", "x", nullptr};  // an empty word inside stays
  CHECK(Argv::from_strv(inner).to_vector() == Words{"sh", "", "-c", "x"});
  const char* only[] = {"", nullptr};
  CHECK(Argv::from_strv(only).size() == 1);
}

TEST_CASE("from_cmdline keeps every byte: a newline stays inside its word") {
  using namespace std::string_literals;
  auto a = nsdebug::Argv::from_cmdline("bash\0two\nlines\0\xff\x1b[31m\0"s);
  REQUIRE(a.size() == 3);
  CHECK(a[1] == "two\nlines");
  CHECK(a[2] == "\xff\x1b[31m");
  auto title = nsdebug::Argv::from_cmdline("nginx: master process");  // no NUL: a rewritten title
  REQUIRE(title.size() == 1);
  CHECK(title.front() == "nginx: master process");
  CHECK(nsdebug::Argv::from_cmdline("").empty());
}
