#include "core/trace/decode.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <span>

#include "core/signals/signals.h"
#include "core/trace/syscall_names.h"

namespace nsdebug {
namespace {

constexpr std::size_t kPage = 4096;
constexpr std::size_t kPathMax = 4096;
constexpr std::size_t kArgvShown = 32;  // execve: elements of argv shown before "..."

// ---- argument kinds, one letter per argument ------------------------------------------------
// d int  l long  u unsigned  x hex  o octal mode  f fd  F dirfd (AT_FDCWD)  p path
// s buffer the call reads (length: next argument)  b buffer the call fills (length: return)
// O open flags  o mode (only with O_CREAT/O_TMPFILE)  P mmap prot  M mmap flags
// D socket domain  T socket type  A sockaddr read (length: next)  a sockaddr filled (length
// pointer: next)  C clone flags  c fcntl command (its third argument by command)  S signal
// v argv  e envp (counted)  n a pointer (NULL when 0)  x anything else, in hex
// The return: d decimal, f a descriptor (named), x an address, ? never returns.
struct Signature {
  std::string_view name, kinds;
  char ret = 'd';
};

constexpr Signature kSignatures[] = {
    {"read", "fbu"},          {"write", "fsu"},          {"pread64", "fbul"},
    {"pwrite64", "fsul"},     {"open", "pOo", 'f'},      {"openat", "FpOo", 'f'},
    {"creat", "po", 'f'},     {"close", "f"},            {"stat", "pn"},
    {"lstat", "pn"},          {"fstat", "fn"},           {"newfstatat", "Fpnx"},
    {"statx", "Fpxxn"},       {"access", "pd"},          {"faccessat", "Fpd"},
    {"faccessat2", "Fpdx"},   {"readlink", "pbu"},       {"readlinkat", "Fpbu"},
    {"lseek", "fld"},         {"mmap", "nuPMfx", 'x'},   {"mprotect", "xuP"},
    {"munmap", "xu"},         {"brk", "x", 'x'},         {"socket", "DTd", 'f'},
    {"connect", "fAu"},       {"bind", "fAu"},           {"accept", "fax", 'f'},
    {"accept4", "faxx", 'f'}, {"listen", "fd"},          {"sendto", "fsuxAu"},
    {"recvfrom", "fbuxax"},   {"shutdown", "fd"},        {"getsockname", "fax"},
    {"getpeername", "fax"},   {"setsockopt", "fddxd"},   {"getsockopt", "fddxx"},
    {"clone", "Cnnnx"},       {"clone3", "xu"},          {"fork", ""},
    {"vfork", ""},            {"execve", "pve"},         {"execveat", "Fpvex"},
    {"exit", "d", '?'},       {"exit_group", "d", '?'},  {"wait4", "dnxn"},
    {"kill", "dS"},           {"tkill", "dS"},           {"tgkill", "ddS"},
    {"rt_sigaction", "Snnu"}, {"rt_sigprocmask", "dnnu"}, {"rt_sigreturn", ""},
    {"fcntl", "fcx"},         {"dup", "f", 'f'},         {"dup2", "ff", 'f'},
    {"dup3", "ffx", 'f'},     {"pipe", "x"},             {"pipe2", "xx"},
    {"chdir", "p"},           {"fchdir", "f"},           {"mkdir", "po"},
    {"mkdirat", "Fpo"},       {"rmdir", "p"},            {"unlink", "p"},
    {"unlinkat", "Fpx"},      {"rename", "pp"},          {"renameat", "FpFp"},
    {"renameat2", "FpFpx"},   {"getdents64", "fxu"},     {"ioctl", "fxx"},
    {"epoll_wait", "fxdd"},   {"epoll_pwait", "fxddxu"}, {"epoll_ctl", "fdfx"},
    {"poll", "xud"},          {"nanosleep", "nn"},       {"clock_nanosleep", "ddnn"},
    {"getpid", ""},           {"getppid", ""},           {"gettid", ""},
    {"getuid", ""},           {"geteuid", ""},           {"getgid", ""},
    {"getegid", ""},          {"sched_yield", ""},       {"pause", ""},
    {"setsid", ""},           {"sync", ""},              {"chmod", "po"},
    {"fchmod", "fo"},         {"fchmodat", "Fpo"},       {"chown", "pdd"},
    {"truncate", "pl"},       {"ftruncate", "fl"},       {"symlink", "pp"},
    {"link", "pp"},           {"readv", "fxd"},          {"writev", "fxd"},
    {"sendmsg", "fxx"},       {"recvmsg", "fxx"},        {"socketpair", "DTdx"},
    {"sendfile", "ffxu"},     {"chroot", "p"},           {"statfs", "px"},
    {"fstatfs", "fx"},        {"fsync", "f"},            {"fdatasync", "f"},
    {"flock", "fd"},          {"umask", "o"},            {"set_tid_address", "x"},
    {"arch_prctl", "xx"},      {"set_robust_list", "xu"},
    {"rseq", "xuxx"},         {"prlimit64", "ddnn"},     {"getrandom", "xux"},
    {"inotify_add_watch", "fpx"}, {"memfd_create", "px", 'f'}, {"eventfd2", "ux", 'f'},
    {"epoll_create1", "x", 'f'},  {"signalfd4", "fxux", 'f'}, {"timerfd_create", "dx", 'f'},
    {"pidfd_open", "dx", 'f'},    {"openat2", "Fpxu", 'f'},   {"mremap", "xuuxx", 'x'},
    {"madvise", "xud"},       {"restart_syscall", ""},
};

const Signature* signature_of(std::string_view name) {
  for (const auto& s : kSignatures)
    if (s.name == name) return &s;
  return nullptr;
}

struct Flag {
  std::uint64_t bit;
  const char* name;
};

// Names of the bits set in `v`, in the table's order, the rest in hex; `zero` when v is 0.
std::string flag_words(std::uint64_t v, std::span<const Flag> table, const char* zero = "0") {
  std::string out;
  for (const auto& f : table) {
    if (f.bit != 0 && (v & f.bit) == f.bit) {
      if (!out.empty()) out += '|';
      out += f.name;
      v &= ~f.bit;
    }
  }
  if (v != 0) out += fmt::format("{}{:#x}", out.empty() ? "" : "|", v);
  return out.empty() ? zero : out;
}

constexpr Flag kOpenFlags[] = {
    {O_CREAT, "O_CREAT"},       {O_EXCL, "O_EXCL"},         {O_NOCTTY, "O_NOCTTY"},
    {O_TRUNC, "O_TRUNC"},       {O_APPEND, "O_APPEND"},     {O_NONBLOCK, "O_NONBLOCK"},
    {O_SYNC, "O_SYNC"},         {O_DSYNC, "O_DSYNC"},       {O_ASYNC, "O_ASYNC"},
    {O_DIRECT, "O_DIRECT"},     {O_TMPFILE, "O_TMPFILE"},   {O_DIRECTORY, "O_DIRECTORY"},
    {O_NOFOLLOW, "O_NOFOLLOW"}, {O_NOATIME, "O_NOATIME"},   {O_CLOEXEC, "O_CLOEXEC"},
    {O_PATH, "O_PATH"},
#if defined(__x86_64__)
    {0100000, "O_LARGEFILE"},  // the kernel's bit; glibc defines O_LARGEFILE as 0 on 64-bit
#endif
};

constexpr Flag kProt[] = {{PROT_READ, "PROT_READ"}, {PROT_WRITE, "PROT_WRITE"},
                          {PROT_EXEC, "PROT_EXEC"}, {PROT_GROWSDOWN, "PROT_GROWSDOWN"},
                          {PROT_GROWSUP, "PROT_GROWSUP"}};

constexpr Flag kMapFlags[] = {
    {MAP_FIXED, "MAP_FIXED"},         {MAP_ANONYMOUS, "MAP_ANONYMOUS"},
    {MAP_GROWSDOWN, "MAP_GROWSDOWN"}, {MAP_DENYWRITE, "MAP_DENYWRITE"},
    {MAP_EXECUTABLE, "MAP_EXECUTABLE"}, {MAP_LOCKED, "MAP_LOCKED"},
    {MAP_NORESERVE, "MAP_NORESERVE"}, {MAP_POPULATE, "MAP_POPULATE"},
    {MAP_NONBLOCK, "MAP_NONBLOCK"},   {MAP_STACK, "MAP_STACK"},
    {MAP_HUGETLB, "MAP_HUGETLB"},     {MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"},
};

constexpr Flag kCloneFlags[] = {
    {CLONE_VM, "CLONE_VM"},
    {CLONE_FS, "CLONE_FS"},
    {CLONE_FILES, "CLONE_FILES"},
    {CLONE_SIGHAND, "CLONE_SIGHAND"},
    {CLONE_PIDFD, "CLONE_PIDFD"},
    {CLONE_PTRACE, "CLONE_PTRACE"},
    {CLONE_VFORK, "CLONE_VFORK"},
    {CLONE_PARENT, "CLONE_PARENT"},
    {CLONE_THREAD, "CLONE_THREAD"},
    {CLONE_NEWNS, "CLONE_NEWNS"},
    {CLONE_SYSVSEM, "CLONE_SYSVSEM"},
    {CLONE_SETTLS, "CLONE_SETTLS"},
    {CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID"},
    {CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID"},
    {CLONE_UNTRACED, "CLONE_UNTRACED"},
    {CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID"},
    {CLONE_NEWCGROUP, "CLONE_NEWCGROUP"},
    {CLONE_NEWUTS, "CLONE_NEWUTS"},
    {CLONE_NEWIPC, "CLONE_NEWIPC"},
    {CLONE_NEWUSER, "CLONE_NEWUSER"},
    {CLONE_NEWPID, "CLONE_NEWPID"},
    {CLONE_NEWNET, "CLONE_NEWNET"},
    {CLONE_IO, "CLONE_IO"},
};

std::string signal_text(std::uint64_t sig) {
  return sig == 0 ? "0" : "SIG" + signal_name(static_cast<int>(sig));
}

std::string octal(std::uint64_t v) { return fmt::format("0{:o}", v); }

std::string pointer(std::uint64_t v) { return v == 0 ? "NULL" : fmt::format("{:#x}", v); }

}  // namespace

// ---- the tracee's memory ---------------------------------------------------------------------

std::optional<std::string> read_tracee(pid_t pid, std::uint64_t addr, std::size_t n) {
  if (addr == 0) return std::nullopt;
  std::string out(n, '\0');
  std::size_t got = 0;
  // Page by page: process_vm_readv stops at the first page it cannot read, and a buffer may
  // end just before an unmapped one.
  while (got < n) {
    std::uint64_t at = addr + got;
    std::size_t chunk = std::min(n - got, kPage - static_cast<std::size_t>(at % kPage));
    iovec local{out.data() + got, chunk};
    iovec remote{reinterpret_cast<void*>(at), chunk};
    ssize_t r = ::process_vm_readv(pid, &local, 1, &remote, 1, 0);
    if (r <= 0) break;
    got += static_cast<std::size_t>(r);
    if (static_cast<std::size_t>(r) < chunk) break;
  }
  if (got == 0 && n > 0) return std::nullopt;
  out.resize(got);
  return out;
}

std::optional<std::string> read_tracee_string(pid_t pid, std::uint64_t addr, std::size_t max,
                                              bool& cut) {
  cut = false;
  if (addr == 0) return std::nullopt;
  std::string out;
  while (out.size() < max) {
    std::uint64_t at = addr + out.size();
    std::size_t chunk = std::min(max - out.size(), kPage - static_cast<std::size_t>(at % kPage));
    auto part = read_tracee(pid, at, chunk);
    if (!part) return out.empty() ? std::nullopt : std::optional(out);
    auto nul = part->find('\0');
    out.append(*part, 0, nul);
    if (nul != std::string::npos || part->size() < chunk) return out;
  }
  // Exactly `max` bytes: cut only when the string goes on past them.
  auto next = read_tracee(pid, addr + out.size(), 1);
  cut = next && !next->empty() && (*next)[0] != '\0';
  return out;
}

// ---- words -------------------------------------------------------------------------------------

std::string quote_c(std::string_view raw, bool cut) {
  std::string out = "\"";
  for (std::size_t i = 0; i < raw.size(); ++i) {
    auto c = static_cast<unsigned char>(raw[i]);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\t': out += "\\t"; continue;
      case '\r': out += "\\r"; continue;
      case '\v': out += "\\v"; continue;
      case '\f': out += "\\f"; continue;
      default: break;
    }
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
      continue;
    }
    // Shortest octal, but three digits when a digit follows (it would read as part of it).
    bool digit_next = i + 1 < raw.size() && raw[i + 1] >= '0' && raw[i + 1] <= '7';
    out += digit_next ? fmt::format("\\{:03o}", c) : fmt::format("\\{:o}", c);
  }
  out += '"';
  if (cut) out += "...";
  return out;
}

std::string errno_name(int err) {
  switch (err) {
    case 512: return "ERESTARTSYS";
    case 513: return "ERESTARTNOINTR";
    case 514: return "ERESTARTNOHAND";
    case 515: return "ENOIOCTLCMD";
    case 516: return "ERESTART_RESTARTBLOCK";
    default: break;
  }
  const char* name = ::strerrorname_np(err);
  return name ? name : fmt::format("E{}", err);
}

std::string errno_text(int err) {
  switch (err) {
    case 512: return "To be restarted if SA_RESTART is set";
    case 513: return "To be restarted";
    case 514: return "To be restarted if no handler";
    case 515: return "No ioctl command";
    case 516: return "Interrupted by signal";
    default: return std::strerror(err);
  }
}

std::string open_flags(std::uint64_t flags) {
  static constexpr const char* kAccess[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
  std::string out = kAccess[flags & O_ACCMODE];
  std::uint64_t rest = flags & ~static_cast<std::uint64_t>(O_ACCMODE);
  // O_TMPFILE holds O_DIRECTORY's bit, O_SYNC O_DSYNC's: the bigger name takes both.
  if (rest != 0) out += "|" + flag_words(rest, kOpenFlags);
  return out;
}

std::string mmap_prot(std::uint64_t prot) { return flag_words(prot, kProt, "PROT_NONE"); }

std::string mmap_flags(std::uint64_t flags) {
  std::string type;
  switch (flags & 0x3) {
    case MAP_SHARED: type = "MAP_SHARED"; break;
    case MAP_PRIVATE: type = "MAP_PRIVATE"; break;
    case MAP_SHARED_VALIDATE: type = "MAP_SHARED_VALIDATE"; break;
    default: type = "0"; break;
  }
  std::uint64_t rest = flags & ~std::uint64_t{0x3};
  return rest == 0 ? type : type + "|" + flag_words(rest, kMapFlags);
}

std::string clone_flags(std::uint64_t flags) {
  std::uint64_t sig = flags & CSIGNAL;
  std::string words = flag_words(flags & ~std::uint64_t{CSIGNAL}, kCloneFlags, "");
  if (sig != 0) words += (words.empty() ? "" : "|") + signal_text(sig);
  return words.empty() ? "0" : words;
}

std::string socket_domain(std::uint64_t domain) {
  switch (domain) {
    case AF_UNIX: return "AF_UNIX";
    case AF_INET: return "AF_INET";
    case AF_INET6: return "AF_INET6";
    case AF_NETLINK: return "AF_NETLINK";
    case AF_PACKET: return "AF_PACKET";
    case AF_UNSPEC: return "AF_UNSPEC";
    default: return std::to_string(domain);
  }
}

std::string socket_type(std::uint64_t type) {
  static constexpr Flag kTypeFlags[] = {{SOCK_NONBLOCK, "SOCK_NONBLOCK"},
                                        {SOCK_CLOEXEC, "SOCK_CLOEXEC"}};
  std::string out;
  switch (type & 0xf) {
    case SOCK_STREAM: out = "SOCK_STREAM"; break;
    case SOCK_DGRAM: out = "SOCK_DGRAM"; break;
    case SOCK_RAW: out = "SOCK_RAW"; break;
    case SOCK_SEQPACKET: out = "SOCK_SEQPACKET"; break;
    default: out = std::to_string(type & 0xf); break;
  }
  std::uint64_t rest = type & ~std::uint64_t{0xf};
  return rest == 0 ? out : out + "|" + flag_words(rest, kTypeFlags);
}

std::string fcntl_command(std::uint64_t cmd) {
  switch (cmd) {
    case F_DUPFD: return "F_DUPFD";
    case F_GETFD: return "F_GETFD";
    case F_SETFD: return "F_SETFD";
    case F_GETFL: return "F_GETFL";
    case F_SETFL: return "F_SETFL";
    case F_GETLK: return "F_GETLK";
    case F_SETLK: return "F_SETLK";
    case F_SETLKW: return "F_SETLKW";
    case F_SETOWN: return "F_SETOWN";
    case F_GETOWN: return "F_GETOWN";
    case F_SETSIG: return "F_SETSIG";
    case F_GETSIG: return "F_GETSIG";
    case F_DUPFD_CLOEXEC: return "F_DUPFD_CLOEXEC";
    case F_SETPIPE_SZ: return "F_SETPIPE_SZ";
    case F_GETPIPE_SZ: return "F_GETPIPE_SZ";
    case F_ADD_SEALS: return "F_ADD_SEALS";
    case F_GET_SEALS: return "F_GET_SEALS";
    default: return fmt::format("{:#x}", cmd);
  }
}

std::string sockaddr_text(std::string_view bytes) {
  sa_family_t family = 0;
  if (bytes.size() < sizeof family) return "{...}";
  std::memcpy(&family, bytes.data(), sizeof family);
  if (family == AF_UNIX) {
    std::string_view path = bytes.substr(sizeof family);
    if (path.empty()) return "{sa_family=AF_UNIX}";
    // An abstract name starts with NUL: strace writes it @name.
    bool abstract = path[0] == '\0';
    if (abstract) path.remove_prefix(1);
    if (!abstract) path = path.substr(0, path.find('\0'));
    return fmt::format("{{sa_family=AF_UNIX, sun_path={}{}}}", abstract ? "@" : "", quote_c(path));
  }
  if (family == AF_INET && bytes.size() >= sizeof(sockaddr_in)) {
    sockaddr_in in{};
    std::memcpy(&in, bytes.data(), sizeof in);
    char addr[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &in.sin_addr, addr, sizeof addr);
    return fmt::format("{{sa_family=AF_INET, sin_port=htons({}), sin_addr=inet_addr(\"{}\")}}",
                       ntohs(in.sin_port), addr);
  }
  if (family == AF_INET6 && bytes.size() >= sizeof(sockaddr_in6)) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, bytes.data(), sizeof in6);
    char addr[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET6, &in6.sin6_addr, addr, sizeof addr);
    return fmt::format(
        "{{sa_family=AF_INET6, sin6_port=htons({}), sin6_flowinfo=htonl({}), "
        "inet_pton(AF_INET6, \"{}\", &sin6_addr), sin6_scope_id={}}}",
        ntohs(in6.sin6_port), ntohl(in6.sin6_flowinfo), addr, in6.sin6_scope_id);
  }
  return fmt::format("{{sa_family={}, ...}}", socket_domain(family));
}

// ---- one call --------------------------------------------------------------------------------

CallDecoder::CallDecoder(pid_t pid, long nr, const SyscallArgs& args, const DecodeOptions& options)
    : pid_(pid), nr_(nr), args_(args), options_(&options) {
  std::string_view known = syscall_name(nr);
  name_ = known.empty() ? fmt::format("syscall_{:#x}", nr) : std::string(known);
  if (const Signature* s = signature_of(name_)) {
    kinds_ = s->kinds;
    ret_kind_ = s->ret;
  } else {
    // No signature: the arguments in hex, trailing zeros left out (the count is unknown).
    std::size_t n = args_.size();
    while (n > 1 && args_[n - 1] == 0) --n;
    kinds_ = std::string_view("xxxxxx").substr(0, n);
  }
  text_.resize(kinds_.size());
  for (std::size_t i = 0; i < kinds_.size(); ++i) text_[i] = decode_in(kinds_[i], i);
}

std::string CallDecoder::fd_text(std::int64_t fd) const {
  if (fd < 0) return std::to_string(fd);
  std::string name = options_->name_fd ? options_->name_fd(pid_, static_cast<int>(fd)) : "";
  if (name.empty()) return std::to_string(fd);
  // The name is the tracee's (a path it chose): escaped as every byte of it.
  std::string quoted = quote_c(name);
  return fmt::format("{}<{}>", fd, std::string_view(quoted).substr(1, quoted.size() - 2));
}

std::string CallDecoder::decode_in(char kind, std::size_t i) {
  std::uint64_t v = args_[i];
  auto as_int = static_cast<std::int32_t>(v);
  switch (kind) {
    case 'd': return std::to_string(as_int);
    case 'l': return std::to_string(static_cast<std::int64_t>(v));
    case 'u': return std::to_string(v);
    case 'o': return octal(v);
    case 'f': return fd_text(as_int);
    case 'F': return as_int == AT_FDCWD ? "AT_FDCWD" : fd_text(as_int);
    case 'p': {
      bool cut = false;
      auto s = read_tracee_string(pid_, v, kPathMax, cut);
      return s ? quote_c(*s, cut) : pointer(v);
    }
    case 's': {
      std::size_t len = i + 1 < args_.size() ? static_cast<std::size_t>(args_[i + 1]) : 0;
      auto s = read_tracee(pid_, v, std::min(len, options_->string_limit));
      return s ? quote_c(*s, len > options_->string_limit) : pointer(v);
    }
    case 'O': return open_flags(v);
    case 'P': return mmap_prot(v);
    case 'M': return mmap_flags(v);
    case 'D': return socket_domain(v);
    case 'T': return socket_type(v);
    case 'C': return clone_flags(v);
    case 'S': return signal_text(v);
    case 'c': return fcntl_command(v);
    case 'A': {
      std::size_t len = i + 1 < args_.size() ? static_cast<std::size_t>(args_[i + 1]) : 0;
      auto s = read_tracee(pid_, v, std::min<std::size_t>(len, 128));
      return s ? sockaddr_text(*s) : pointer(v);
    }
    case 'v': {
      std::string out = "[";
      for (std::size_t k = 0; k < kArgvShown + 1; ++k) {
        auto p = read_tracee(pid_, v + k * 8, 8);
        if (!p || p->size() < 8) return pointer(v);
        std::uint64_t at = 0;
        std::memcpy(&at, p->data(), 8);
        if (at == 0) break;
        if (k == kArgvShown) {
          out += ", ...";
          break;
        }
        bool cut = false;
        auto s = read_tracee_string(pid_, at, options_->string_limit, cut);
        out += (k ? ", " : "") + (s ? quote_c(*s, cut) : pointer(at));
      }
      return out + "]";
    }
    case 'e': {
      std::size_t n = 0;
      for (; n < 4096; ++n) {
        auto p = read_tracee(pid_, v + n * 8, 8);
        if (!p || p->size() < 8) return pointer(v);
        if (*p == std::string(8, '\0')) break;
      }
      return fmt::format("{} /* {} var{} */", pointer(v), n, n == 1 ? "" : "s");
    }
    case 'n': return pointer(v);
    case 'b':
    case 'a': return {};  // filled at exit
    default: return v == 0 ? "0" : fmt::format("{:#x}", v);
  }
}

std::string CallDecoder::decode_out(char kind, std::size_t i, std::int64_t ret) {
  std::uint64_t v = args_[i];
  if (kind == 'b') {
    std::size_t n = ret > 0 ? static_cast<std::size_t>(ret) : 0;
    auto s = read_tracee(pid_, v, std::min(n, options_->string_limit));
    if (n == 0) return ret == 0 ? "\"\"" : pointer(v);
    return s ? quote_c(*s, n > options_->string_limit) : pointer(v);
  }
  // 'a': the peer's address, its length at the next argument's pointer.
  if (v == 0) return "NULL";
  auto len_bytes = i + 1 < args_.size() ? read_tracee(pid_, args_[i + 1], 4) : std::nullopt;
  std::uint32_t len = 0;
  if (len_bytes && len_bytes->size() == 4) std::memcpy(&len, len_bytes->data(), 4);
  auto s = read_tracee(pid_, v, std::min<std::size_t>(len, 128));
  return s ? sockaddr_text(*s) : pointer(v);
}

std::string CallDecoder::args_text() const {
  std::string out;
  for (std::size_t i = 0; i < text_.size(); ++i) {
    // open's mode only means something with O_CREAT or O_TMPFILE, and strace leaves it out.
    if (kinds_[i] == 'o' && i > 0 && kinds_[i - 1] == 'O' &&
        (args_[i - 1] & (O_CREAT | __O_TMPFILE)) == 0)
      continue;
    // fcntl's third argument by command: none for the GET commands, flags for F_SETFL.
    if (kinds_[i] == 'x' && i == 2 && name_ == "fcntl") {
      std::uint64_t cmd = args_[1];
      if (cmd == F_GETFD || cmd == F_GETFL || cmd == F_GETOWN || cmd == F_GETSIG ||
          cmd == F_GETPIPE_SZ || cmd == F_GET_SEALS)
        continue;
      std::string third = cmd == F_SETFL                           ? open_flags(args_[2])
                          : cmd == F_SETFD                         ? (args_[2] == FD_CLOEXEC ? "FD_CLOEXEC" : std::to_string(args_[2]))
                          : cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC ? std::to_string(args_[2])
                                                                   : text_[i];
      out += ", " + third;
      continue;
    }
    if (i > 0) out += ", ";
    out += text_[i];
  }
  return out;
}

std::string CallDecoder::return_text(std::int64_t ret, bool is_error) const {
  if (is_error) {
    int err = static_cast<int>(-ret);
    // The ERESTART family never reaches the program: the call is restarted or fails EINTR.
    bool internal = err >= 512 && err <= 516;
    return fmt::format("{} {} ({})", internal ? "?" : "-1", errno_name(err), errno_text(err));
  }
  if (ret_kind_ == 'x') return fmt::format("{:#x}", static_cast<std::uint64_t>(ret));
  if (ret_kind_ == 'f') return fd_text(ret);
  return std::to_string(ret);
}

std::string CallDecoder::finish(std::int64_t ret, bool is_error) {
  for (std::size_t i = 0; i < kinds_.size(); ++i)
    if (kinds_[i] == 'b' || kinds_[i] == 'a')
      text_[i] = is_error ? pointer(args_[i]) : decode_out(kinds_[i], i, ret);
  return fmt::format("{}({}) = {}", name_, args_text(), return_text(ret, is_error));
}

std::string CallDecoder::unfinished() const {
  return fmt::format("{}({}) = ?", name_, args_text());
}

}  // namespace nsdebug
