// nsdebug trace's words: strings as strace quotes them, flags, errno names, -e, the summary.
// Calls are decoded from this process's own memory (process_vm_readv works on oneself).
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "core/trace/decode.h"
#include "core/trace/selection.h"
#include "core/trace/trace_access.h"
#include "core/trace/tracer.h"

using namespace nsdebug;

namespace {
std::uint64_t addr(const void* p) { return reinterpret_cast<std::uint64_t>(p); }
}  // namespace

TEST_CASE("trace quotes a tracee's bytes as strace does: printable ASCII only") {
  CHECK(quote_c("abc") == "\"abc\"");
  CHECK(quote_c("a\"b\\c\n\t") == "\"a\\\"b\\\\c\\n\\t\"");
  CHECK(quote_c(std::string("\x7f" "ELF\x02\x01\x01\0\0", 9)) == "\"\\177ELF\\2\\1\\1\\0\\0\"");
  // An octal escape before a digit takes three digits, or the digit would join it.
  CHECK(quote_c(std::string("\x01" "7", 2)) == "\"\\0017\"");
  CHECK(quote_c("\x1b[31m\xc3\xa9") == "\"\\33[31m\\303\\251\"");
  CHECK(quote_c("abc", true) == "\"abc\"...");
}

TEST_CASE("trace names flags, errnos and addresses") {
  CHECK(open_flags(O_RDONLY | O_CLOEXEC) == "O_RDONLY|O_CLOEXEC");
  CHECK(open_flags(O_WRONLY | O_CREAT | O_TRUNC) == "O_WRONLY|O_CREAT|O_TRUNC");
  CHECK(open_flags(O_RDWR | 0x40000000) == "O_RDWR|0x40000000");
  CHECK(mmap_prot(0) == "PROT_NONE");
  CHECK(mmap_prot(PROT_READ | PROT_WRITE) == "PROT_READ|PROT_WRITE");
  CHECK(mmap_flags(MAP_PRIVATE | MAP_ANONYMOUS) == "MAP_PRIVATE|MAP_ANONYMOUS");
  CHECK(clone_flags(CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD) ==
        "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");
  CHECK(socket_domain(AF_INET6) == "AF_INET6");
  CHECK(socket_type(SOCK_STREAM | SOCK_CLOEXEC) == "SOCK_STREAM|SOCK_CLOEXEC");
  CHECK(fcntl_command(F_SETFL) == "F_SETFL");
  CHECK(errno_name(ENOENT) == "ENOENT");
  CHECK(errno_name(512) == "ERESTARTSYS");
  CHECK(errno_text(ENOENT) == "No such file or directory");

  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_port = htons(5432);
  ::inet_pton(AF_INET, "10.0.0.9", &in.sin_addr);
  CHECK(sockaddr_text({reinterpret_cast<const char*>(&in), sizeof in}) ==
        "{sa_family=AF_INET, sin_port=htons(5432), sin_addr=inet_addr(\"10.0.0.9\")}");
  sockaddr_storage un{};
  un.ss_family = AF_UNIX;
  std::memcpy(reinterpret_cast<char*>(&un) + 2, "/run/x\033.sock", 13);
  CHECK(sockaddr_text({reinterpret_cast<const char*>(&un), 2 + 13}) ==
        "{sa_family=AF_UNIX, sun_path=\"/run/x\\33.sock\"}");
}

TEST_CASE("trace decodes a call from the tracee's memory, inputs at entry, outputs at exit",
          "[vm_read]") {
  DecodeOptions options;
  options.string_limit = 8;
  options.name_fd = [](pid_t, int fd) { return fd == 3 ? std::string("/etc/hosts") : ""; };
  const char* path = "/etc/hosts";
  CallDecoder open(::getpid(), SYS_openat,
                   {static_cast<std::uint64_t>(AT_FDCWD), addr(path), O_RDONLY | O_CLOEXEC, 0, 0, 0},
                   options);
  CHECK(open.finish(3, false) == "openat(AT_FDCWD, \"/etc/hosts\", O_RDONLY|O_CLOEXEC) = 3</etc/hosts>");
  CallDecoder missing(::getpid(), SYS_openat,
                      {static_cast<std::uint64_t>(AT_FDCWD), addr(path), O_WRONLY | O_CREAT, 0640, 0, 0},
                      options);
  CHECK(missing.finish(-ENOENT, true) ==
        "openat(AT_FDCWD, \"/etc/hosts\", O_WRONLY|O_CREAT, 0640) = -1 ENOENT (No such file or directory)");

  char buf[32] = "0123456789abcdef";
  CallDecoder read(::getpid(), SYS_read, {3, addr(buf), sizeof buf, 0, 0, 0}, options);
  CHECK(read.finish(16, false) == "read(3</etc/hosts>, \"01234567\"..., 32) = 16");
  CallDecoder empty(::getpid(), SYS_read, {4, addr(buf), sizeof buf, 0, 0, 0}, options);
  CHECK(empty.finish(0, false) == "read(4, \"\", 32) = 0");
  CallDecoder exits(::getpid(), SYS_exit_group, {3, 0, 0, 0, 0, 0}, options);
  CHECK(exits.unfinished() == "exit_group(3) = ?");
  CallDecoder plain(::getpid(), SYS_getppid, {0, 0, 0, 0, 0, 0}, options);
  CHECK(plain.finish(1, false) == "getppid() = 1");
  CallDecoder interrupted(::getpid(), SYS_nanosleep, {addr(buf), 0, 0, 0, 0, 0}, options);
  CHECK(interrupted.finish(-512, true).ends_with("= ? ERESTARTSYS (To be restarted if SA_RESTART is set)"));
}

TEST_CASE("trace -e takes names, classes and negation as strace does") {
  auto file = SyscallSelection::parse("%file");
  REQUIRE(file);
  CHECK(file->shows(SYS_openat));
  CHECK(file->shows(SYS_execve));
  CHECK(!file->shows(SYS_read));
  auto named = SyscallSelection::parse("trace=read,network");
  REQUIRE(named);
  CHECK(named->shows(SYS_read));
  CHECK(named->shows(SYS_connect));
  CHECK(!named->shows(SYS_openat));
  auto not_futex = SyscallSelection::parse("!futex");
  REQUIRE(not_futex);
  CHECK(!not_futex->shows(SYS_futex));
  CHECK(not_futex->shows(SYS_read));
  CHECK(SyscallSelection().shows(SYS_read));
  auto bad = SyscallSelection::parse("read,no_such_call");
  REQUIRE(!bad);
  CHECK(bad.error().what == "-e no_such_call");
  CHECK(!SyscallSelection::parse("%nothing"));
}

TEST_CASE("trace --summary prints strace -c's table, most time first") {
  std::map<long, SyscallStats> stats;
  stats[SYS_read] = {10, 0, std::chrono::microseconds(30)};
  stats[SYS_openat] = {4, 1, std::chrono::microseconds(90)};
  std::string t = summary_table(stats);
  CHECK(t.starts_with("% time     seconds  usecs/call     calls    errors syscall\n"));
  CHECK(t.find(" 75.00    0.000090          22         4         1 openat\n") != std::string::npos);
  CHECK(t.find(" 25.00    0.000030           3        10           read\n") != std::string::npos);
  CHECK(t.find("100.00    0.000120                    14         1 total\n") != std::string::npos);
  CHECK(t.find("openat") < t.find("read"));
}

TEST_CASE("a refused trace says why and how to fix it") {
  TraceFacts traced;
  traced.tracer = 77;
  auto e = explain_trace_denied(42, traced);
  CHECK(e.what == "trace 42");
  CHECK(e.why == "already traced by PID 77");
  CHECK(e.hint.find("PID 77") != std::string::npos);

  TraceFacts yama;
  yama.yama_scope = 1;
  e = explain_trace_denied(42, yama);
  CHECK(e.why.find("ptrace_scope is 1") != std::string::npos);
  CHECK(e.hint.find("SYS_PTRACE") != std::string::npos);
  yama.have_sys_ptrace = true;  // scope 1 does not bind CAP_SYS_PTRACE
  CHECK(explain_trace_denied(42, yama).why.find("ptrace_scope") == std::string::npos);
  yama.yama_scope = 3;  // binds everyone
  CHECK(explain_trace_denied(42, yama).why.find("ptrace_scope is 3") != std::string::npos);

  TraceFacts other_user;
  e = explain_trace_denied(42, other_user);
  CHECK(e.why.find("CAP_SYS_PTRACE") != std::string::npos);
  TraceFacts filtered;
  filtered.same_user = true;
  filtered.seccomp_filtered = true;
  CHECK(explain_trace_denied(42, filtered).why.find("seccomp") != std::string::npos);
}
