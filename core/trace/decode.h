#pragma once
// One system call as strace writes it: `openat(AT_FDCWD, "/etc/hosts", O_RDONLY|O_CLOEXEC) = 3`.
// Arguments are decoded in two halves: what the call reads (paths, written buffers, addresses
// it connects to) at its entry, before an exec or another thread can change that memory, and
// what it writes (a read's buffer, an accepted peer) at its exit. Every byte from the tracee
// is escaped C-style, as strace does, so a line is plain printable ASCII.
#include <sys/types.h>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nsdebug {

using SyscallArgs = std::array<std::uint64_t, 6>;

// Names a tracee's descriptor: "/etc/hosts", "socket:[1234]", "tcp 1.2.3.4:5 -> ..."; empty
// when it cannot be named (then only the number is shown).
using FdNameFn = std::function<std::string(pid_t pid, int fd)>;

struct DecodeOptions {
  std::size_t string_limit = 32;  // -s: bytes of a buffer shown (paths are shown whole)
  FdNameFn name_fd;               // null: descriptors are numbers only
};

// Bytes of the tracee: up to `n` from `addr` (fewer where its memory ends); nullopt when none
// can be read.
std::optional<std::string> read_tracee(pid_t pid, std::uint64_t addr, std::size_t n);
// A NUL-terminated string of the tracee, at most `max` bytes; `cut` says it went on.
std::optional<std::string> read_tracee_string(pid_t pid, std::uint64_t addr, std::size_t max,
                                              bool& cut);

// Pure. `raw` as a C string literal, as strace prints it: printable ASCII as is, \n \t \r
// \v \f, \" and \\, every other byte in octal ("\177ELF\2\1\1\0"). `cut` appends "...".
std::string quote_c(std::string_view raw, bool cut = false);

// Pure. "ENOENT" for 2, "ERESTARTSYS" for 512; "E123" when unknown.
std::string errno_name(int err);
// Pure. strerror's text, and the kernel's own for ERESTARTSYS and its kin.
std::string errno_text(int err);

// Pure. Flag words: "O_RDONLY|O_CLOEXEC", "PROT_READ|PROT_WRITE", "CLONE_VM|...|SIGCHLD"; bits
// with no name end the list in hex ("O_RDONLY|0x400000").
std::string open_flags(std::uint64_t flags);
std::string mmap_prot(std::uint64_t prot);
std::string mmap_flags(std::uint64_t flags);
std::string clone_flags(std::uint64_t flags);
std::string socket_domain(std::uint64_t domain);
std::string socket_type(std::uint64_t type);
std::string fcntl_command(std::uint64_t cmd);
// Pure. A struct sockaddr as strace shows it: {sa_family=AF_INET, sin_port=htons(80),
// sin_addr=inet_addr("10.0.0.9")}.
std::string sockaddr_text(std::string_view bytes);

// A call being traced: its arguments as text, filled at entry and completed at exit.
class CallDecoder {
 public:
  CallDecoder(pid_t pid, long nr, const SyscallArgs& args, const DecodeOptions& options);
  // At the exit stop: what the call wrote, then the whole line ("name(args) = ret ...").
  std::string finish(std::int64_t ret, bool is_error);
  // A call that never returns (exit_group, an execve that replaced the thread's image): "= ?".
  std::string unfinished() const;
  std::string_view name() const { return name_; }

 private:
  std::string args_text() const;
  std::string return_text(std::int64_t ret, bool is_error) const;
  std::string fd_text(std::int64_t fd) const;
  std::string decode_in(char kind, std::size_t i);
  std::string decode_out(char kind, std::size_t i, std::int64_t ret);

  pid_t pid_;
  long nr_;
  SyscallArgs args_;
  const DecodeOptions* options_;
  std::string name_;
  std::string_view kinds_;  // one letter per argument (decode.cc's table)
  char ret_kind_ = 'd';
  std::vector<std::string> text_;
};

}  // namespace nsdebug
