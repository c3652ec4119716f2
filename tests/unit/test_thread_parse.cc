// core/threads/thread_parse: /proc/PID/task/TID/syscall lines, calls decoded, CPU% and the
// summary line. (Against real threads: the integration test test_threads.cc.)
#include <catch2/catch.hpp>

#include <map>

#include "core/threads/thread_parse.h"
#include "core/trace/syscall_names.h"

using namespace nsdebug;

namespace {

long nr(std::string_view name) { return syscall_number(name).value(); }

std::string line_for(std::string_view name, std::string_view args) {
  return std::to_string(nr(name)) + " " + std::string(args) + " 0x7ffc12345678 0x7f0011223344\n";
}

}  // namespace

TEST_CASE("syscall lines: running, blocked outside a call, in a call") {
  auto running = parse_syscall_line("running\n");
  REQUIRE(running);
  CHECK(running->kind == SyscallLine::Kind::running);
  CHECK(syscall_word(*running) == "running");

  auto fault = parse_syscall_line("-1 0x7ffc12345678 0x7f0011223344\n");
  REQUIRE(fault);
  CHECK(fault->kind == SyscallLine::Kind::not_in_syscall);
  CHECK(syscall_word(*fault) == "-");

  auto read = parse_syscall_line(line_for("read", "0x5 0x7ffd1000 0x1000 0x0 0x0 0x0"));
  REQUIRE(read);
  CHECK(read->kind == SyscallLine::Kind::in_syscall);
  CHECK(read->nr == nr("read"));
  CHECK(read->args[0] == 5);
  CHECK(read->args[2] == 0x1000);
  CHECK(syscall_word(*read) == "read");
}

TEST_CASE("syscall lines: anything else is refused, not guessed") {
  CHECK_FALSE(parse_syscall_line(""));
  CHECK_FALSE(parse_syscall_line("runnin"));
  CHECK_FALSE(parse_syscall_line("0 0x1 0x2"));               // too few
  CHECK_FALSE(parse_syscall_line("0 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8 0x9"));  // too many
  CHECK_FALSE(parse_syscall_line("x 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8"));
  CHECK_FALSE(parse_syscall_line("0 0x1 0xZZ 0x3 0x4 0x5 0x6 0x7 0x8"));
  CHECK_FALSE(parse_syscall_line("-1 0x1"));
  CHECK_FALSE(parse_syscall_line("-2 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8"));
}

TEST_CASE("decoding: descriptors named, only the call's own arguments") {
  std::map<int, std::string> fds{{5, "pipe:[4242]"}, {7, "epoll: 3 fds"}};
  FdDescriber describe = [&](int fd) -> std::optional<std::string> {
    auto it = fds.find(fd);
    if (it == fds.end()) return std::nullopt;
    return it->second;
  };
  auto read = parse_syscall_line(line_for("read", "0x5 0x7ffd1000 0x1000 0x0 0x0 0x0"));
  CHECK(decode_syscall(*read, describe) == "read(5 \u2192 pipe:[4242], 0x7ffd1000, 0x1000)");
  auto epoll = parse_syscall_line(
      line_for(syscall_number("epoll_wait") ? "epoll_wait" : "epoll_pwait",
               "0x7 0x7ffd2000 0x80 0xffffffff 0x0 0x8"));
  CHECK(decode_syscall(*epoll, describe).starts_with("epoll_"));
  CHECK(decode_syscall(*epoll, describe).find("(7 \u2192 epoll: 3 fds, 0x7ffd2000, 0x80") !=
        std::string::npos);
  // A descriptor that cannot be named stays a number; -1 (AT_FDCWD-like values) too.
  auto unnamed = parse_syscall_line(line_for("write", "0x9 0x1 0x2 0x0 0x0 0x0"));
  CHECK(decode_syscall(*unnamed, describe) == "write(9, 0x1, 0x2)");
  auto negative = parse_syscall_line(line_for("read", "0xffffffffffffffff 0x1 0x2 0x0 0x0 0x0"));
  CHECK(decode_syscall(*negative, describe) == "read(-1, 0x1, 0x2)");
  // sendfile's two descriptors.
  fds[3] = "/srv/index.html";
  auto sendfile = parse_syscall_line(line_for("sendfile", "0x5 0x3 0x0 0x1000 0x0 0x0"));
  CHECK(decode_syscall(*sendfile, describe) ==
        "sendfile(5 \u2192 pipe:[4242], 3 \u2192 /srv/index.html, 0x0, 0x1000)");
  // A call without a known shape: all six in hex.
  auto other = parse_syscall_line(line_for("getpid", "0x1 0x2 0x3 0x4 0x5 0x6"));
  CHECK(decode_syscall(*other, describe) == "getpid(0x1, 0x2, 0x3, 0x4, 0x5, 0x6)");
  // Not in a call: the word alone.
  CHECK(decode_syscall(*parse_syscall_line("running"), describe) == "running");
}

TEST_CASE("decoding: futex by its operation") {
  auto futex = parse_syscall_line(line_for("futex", "0x55d0c0 0x80 0x2 0x0 0x0 0x0"));
  CHECK(decode_syscall(*futex, nullptr) == "futex(0x55d0c0, FUTEX_WAIT_PRIVATE, 0x2)");
  CHECK(futex_op_name(0) == "FUTEX_WAIT");
  CHECK(futex_op_name(1) == "FUTEX_WAKE");
  CHECK(futex_op_name(9 | 128 | 256) == "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME");
  CHECK(futex_op_name(99) == "0x63");
}

TEST_CASE("decoding: an unknown number is named by its number") {
  SyscallLine s;
  s.kind = SyscallLine::Kind::in_syscall;
  s.nr = 99999;
  CHECK(syscall_word(s) == "syscall_99999");
  CHECK(decode_syscall(s, nullptr) == "syscall_99999(0x0, 0x0, 0x0, 0x0, 0x0, 0x0)");
}

TEST_CASE("CPU percent of a sample") {
  CHECK(cpu_percent(100, 150, 0.5, 100) == Approx(100.0));
  CHECK(cpu_percent(100, 100, 0.5, 100) == 0);
  CHECK(cpu_percent(100, 110, 1.0, 100) == Approx(10.0));
  CHECK(cpu_percent(150, 100, 1.0, 100) == 0);  // a thread's ticks never go back: no nonsense
  CHECK(cpu_percent(0, 10, 0, 100) == 0);
}

TEST_CASE("summary: most common first, running and unknown last") {
  std::vector<std::string> words(12, "futex");
  words.push_back("epoll_wait");
  words.push_back("running");
  CHECK(summary_line(words) == "14 threads: 12 in futex, 1 in epoll_wait, 1 running");
  CHECK(summary_line({"read", "read", "nanosleep", "-", "?"}) ==
        "5 threads: 2 in read, 1 in nanosleep, 1 not in a syscall, 1 unknown");
  CHECK(summary_line({"running"}) == "1 thread: 1 running");
  CHECK(summary_line({}) == "0 threads");
}
