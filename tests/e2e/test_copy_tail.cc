// nsdebug tail -f, cp and tar inside the debug container, on the nginx container's files,
// checked against what the nginx container itself sees.
#include <unistd.h>

#include <fstream>
#include <map>
#include <string>

#include <catch2/catch.hpp>

#include "pod.h"
#include "ps_helpers.h"

using namespace nsdebug::e2e;

namespace {

// path (relative to DIR) -> sha256 of every regular file under DIR, as `find | sha256sum`
// prints them in CONTAINER.
std::map<std::string, std::string> hashes(const std::string& container, const std::string& dir) {
  RunResult r = run_in(container, {"/bin/busybox", "sh", "-c",
                                   "cd '" + dir + "' && /bin/busybox find . -type f | "
                                   "/bin/busybox xargs /bin/busybox sha256sum"});
  INFO(container << ": " << r.err);
  REQUIRE(r.status == 0);
  std::map<std::string, std::string> out;
  for (const auto& line : split_lines(r.out)) {
    auto w = split_words(line);
    if (w.size() == 2) out[w[1]] = w[0];
  }
  return out;
}

std::string unique_name(const std::string& stem) {
  return "/tmp/" + stem + "-" + std::to_string(::getpid());
}

}  // namespace

TEST_CASE("tail -f sees lines appended by a process in the nginx container; ^C ends it with 0",
          "[e2e][files]") {
  std::string out = unique_name("nsdebug-tail") + ".out";
  // The tail runs in the debug container; busybox timeout stops it with SIGINT after 6 s.
  // In the background, its output away from run()'s pipes so that run() returns at once.
  std::string start = "{ '" + pod_sh() + "' exec '" + pod_name() +
                      "' shell -- timeout -s INT 6 nsdebug tail -n 1 -f "
                      "nginx:/var/log/nginx/app.log > " + out + " 2>&1; echo \"rc=$?\" >> " +
                      out + "; } </dev/null >/dev/null 2>&1 &";
  REQUIRE(run({"/bin/sh", "-c", start}).status == 0);
  run({"/bin/sleep", "1"});
  std::string line = "appended-by-nginx-" + std::to_string(::getpid());
  RunResult append = run_in("nginx", {"/bin/busybox", "sh", "-c",
                                      "echo " + line + " >> /var/log/nginx/app.log"});
  REQUIRE(append.status == 0);
  std::string text;
  for (int i = 0; i < 300 && text.find("rc=") == std::string::npos; ++i) {
    run({"/bin/sleep", "0.1"});
    std::ifstream f(out);
    text.assign(std::istreambuf_iterator<char>(f), {});
  }
  ::unlink(out.c_str());
  INFO(text);
  CHECK(text.find(line + "\n") != std::string::npos);
  CHECK(text.find("rc=0") != std::string::npos);
}

TEST_CASE("cp nginx:/etc/nginx reproduces the tree byte for byte", "[e2e][files]") {
  auto expected = hashes("nginx", "/etc/nginx");
  REQUIRE(expected.size() >= 2);
  std::string dest = unique_name("nsdebug-cp");
  RunResult r = run_nsdebug({"cp", "nginx:/etc/nginx", dest});
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(hashes("shell", dest) == expected);
  RunResult link = run_in("shell", {"readlink", dest + "/current.conf"});
  CHECK(link.out == "/etc/nginx/nginx.conf\n");
  RunResult again = run_nsdebug({"cp", "nginx:/etc/nginx", dest});
  CHECK(again.status == 1);
  CHECK(again.err.find("--force") != std::string::npos);
  run_in("shell", {"rm", "-rf", dest});
}

TEST_CASE("tar nginx:/etc/nginx is read by GNU tar and extracts to the same bytes",
          "[e2e][files]") {
  auto expected = hashes("nginx", "/etc/nginx");
  RunResult r = run_nsdebug({"tar", "nginx:/etc/nginx"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  char tmpl[] = "/tmp/nsdebug-tar-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  std::string dir = tmpl;
  std::ofstream(dir + "/t.tar", std::ios::binary) << r.out;
  RunResult listed = run({"/bin/tar", "tf", dir + "/t.tar"});
  CHECK(listed.status == 0);
  CHECK(listed.out.find("nginx/nginx.conf\n") != std::string::npos);
  CHECK(listed.out.find("nginx/current.conf\n") != std::string::npos);
  RunResult x = run({"/bin/tar", "xf", dir + "/t.tar", "-C", dir});
  REQUIRE(x.status == 0);
  RunResult sums = run({"/bin/sh", "-c", "cd " + dir + "/nginx && find . -type f | xargs sha256sum"});
  std::map<std::string, std::string> got;
  for (const auto& line : split_lines(sums.out)) {
    auto w = split_words(line);
    if (w.size() == 2) got[w[1]] = w[0];
  }
  CHECK(got == expected);
  RunResult link = run({"/bin/readlink", dir + "/nginx/current.conf"});
  CHECK(link.out == "/etc/nginx/nginx.conf\n");
  run({"/bin/rm", "-rf", dir});
  // And busybox tar in the debug container lists the stream too.
  RunResult bb = run_in("shell", {"sh", "-c", "nsdebug tar nginx:/etc/nginx | tar t"});
  CHECK(bb.status == 0);
  CHECK(bb.out.find("nginx/nginx.conf") != std::string::npos);
}
