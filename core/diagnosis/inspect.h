#pragma once
// One page about one process: each part read on its own, so a part we may not read (exe, cwd,
// fds and environ need ptrace access; cmdline, status, cgroup and limits do not) is an Error
// that says why, and the rest of the page is still there.
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/proc/process_handle.h"
#include "core/proc/proc_parse.h"

namespace nsdebug {

struct OpenFd {
  int fd = 0;
  std::string target;  // readlink of /proc/PID/fd/N: "/var/log/app.log", "socket:[123]"
  std::string socket;  // "tcp 0.0.0.0:80 LISTEN" when target is a socket we could name
};

struct Namespace {
  std::string type;     // "mnt", "net", ...
  std::uint64_t inode = 0;
};

struct Limit {
  std::string name, soft, hard, units;
};

// /proc/PID/environ shows the memory the environment was given in at exec. A process that
// rewrites its title (setproctitle: nginx, postgres) moves its environment elsewhere and
// writes the title over that memory: entries that are no KEY=VALUE then show.
// execve(2) takes any strings as the environment: a name twice ("A=1", "A=2": getenv finds
// the first), an entry without '='. Each is kept, in order; a title's NUL padding is not.
struct EnvironBlock {
  std::vector<std::string> entries;  // every entry, in order, as the block holds it
  // The block bears a title written over it: a run of NULs (the title's padding) and text
  // that is no NAME=VALUE (the title). Either alone is an environment execve allows.
  bool overwritten = false;
};
EnvironBlock parse_environ(std::string_view text);
// "NAME=VALUE" with a name: what getenv can find.
bool is_env_pair(std::string_view entry);

struct Inspection {
  pid_t pid = 0;
  Result<std::vector<std::string>> argv;     // masked unless reveal
  Result<std::string> exe, cwd;
  Result<StatusIds> status;
  Result<std::vector<Namespace>> namespaces;
  Result<std::string> cgroup;                // the file as it is
  Result<std::vector<OpenFd>> fds;
  Result<std::vector<Limit>> limits;
  Result<EnvironBlock> environ;              // masked unless reveal
};

// /proc/PID/environ, parsed, values of secret-looking keys masked unless `reveal`; a
// permission failure comes back explained (diagnose.h).
// Read by PID, then the handle checked to be still running: what was read was its own, never
// that of a process which got its PID since.
Result<EnvironBlock> read_environ(const ProcessHandle& process, bool reveal);

// What an overwritten block means (EnvironBlock::overwritten), and what to do instead.
inline constexpr const char* kEnvironOverwritten =
    "the process wrote its title over its environment block (setproctitle, as nginx and postgres "
    "do): /proc shows that title (the entries that are no NAME=VALUE), not the environment";
inline constexpr const char* kEnvironOverwrittenHint =
    "the container's environment is in the pod spec (kubectl get pod POD -o "
    "jsonpath='{.spec.containers[*].env}'), or in another process it started (nsdebug ps -c "
    "CONTAINER, then nsdebug env PID)";

// Reads every part; permission failures come back explained (diagnose.h). Never fails as a
// whole: a process that is gone shows as every part failing with ESRCH/ENOENT.
// Checked against the handle as read_environ is.
Inspection inspect_process(const ProcessHandle& process, bool reveal);

// Pure: /proc/PID/limits, the fixed-width table, to rows.
std::vector<Limit> parse_limits(std::string_view text);

}  // namespace nsdebug
