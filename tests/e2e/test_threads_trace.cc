// nsdebug threads and trace on nginx in the documentation's pod, from the debug container
// (SYS_PTRACE): the worker waits in epoll_wait; a trace of it while the debug container fetches
// / shows the accept, the request read, the open of index.html and the answer written; after the
// trace is interrupted, nginx is untraced and still serves.
#include <string>

#include <catch2/catch.hpp>

#include "pod.h"
#include "ps_helpers.h"

using namespace nsdebug::e2e;

namespace {

int worker_pid() {
  json procs = nsdebug_json({"ps", "--json", "--reveal"});
  return the_process(procs, "nginx: worker process").at("pid").get<int>();
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("threads: the nginx worker waits in epoll_wait", "[e2e][threads]") {
  int worker = worker_pid();
  RunResult r = run_nsdebug({"threads", "--interval", "0.2", std::to_string(worker)});
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  CHECK(has(r.out, "PID " + std::to_string(worker) + " (nginx): 1 thread: 1 in epoll_wait"));
  CHECK(has(r.out, "epoll_wait("));
  CHECK(has(r.out, "epoll: "));  // its descriptor named by what it is
}

TEST_CASE("trace: a request to nginx, as the worker sees it; nginx serves on after", "[e2e][trace]") {
  int worker = worker_pid();
  std::string pid = std::to_string(worker);
  // The trace runs in the debug container while the same container fetches /, then Ctrl-C.
  RunResult r = run_in("shell", {"sh", "-c",
      "nsdebug trace -f -s 64 -o /tmp/trace.out " + pid + " 2>/tmp/trace.err & t=$!; sleep 1; "
      "wget -q -O /tmp/page http://127.0.0.1/; sleep 0.5; kill -INT $t; wait $t; echo \"rc=$?\"; "
      "cat /tmp/trace.out; echo ---; cat /tmp/trace.err; "
      "grep TracerPid /proc/" + pid + "/status; wget -q -O /tmp/again http://127.0.0.1/ && echo served"});
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  CHECK(has(r.out, "rc=0"));
  CHECK((has(r.out, "accept4(") || has(r.out, "accept(")));
  CHECK((has(r.out, "recvfrom(") || has(r.out, "read(")));
  CHECK(has(r.out, "GET / HTTP/1.1"));
  CHECK(has(r.out, "/usr/share/nginx/html/index.html"));
  CHECK((has(r.out, "sendfile(") || has(r.out, "writev(") || has(r.out, "write(")));
  CHECK(has(r.out, "TracerPid:\t0"));
  CHECK(has(r.out, "\nserved"));
}
