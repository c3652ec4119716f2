#pragma once
// A process's root filesystem, seen from here. Opened once from /proc/PID/root as an O_PATH
// dirfd; every path below it is resolved by openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS),
// so absolute symlinks resolve in the target's root and ".." cannot climb out. Read-only.
#include <sys/types.h>

#include <sys/stat.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"
#include "core/files/open_regular.h"
#include "core/proc/process_handle.h"
#include "core/base/unique_fd.h"

namespace nsdebug {

// One directory entry, described without following it. A failed lstat or readlink is carried
// with the entry, never a zeroed stat that would print as mode 0, owner root, size 0.
struct DirEntry {
  std::string name;
  unsigned char type = 0;           // readdir's d_type (DT_*): known even when lstat failed
  Result<struct stat> st;           // lstat, or why it failed (then only name and type are known)
  Result<std::string> link_target;  // for symlinks the target as written, or why it is unreadable
};

// Refuses fd when it lies on a filesystem whose contents depend on who reads it rather than on
// the container: procfs (/proc/self is the reader, /proc/1/environ readable with the reader's
// credentials), sysfs, debugfs, securityfs and the like. A container that points a log at
// /proc/self/environ would otherwise get nsdebug's own environment printed. cgroupfs is not
// among them: a container's /sys/fs/cgroup files are its own figures. `what` names fd in the
// error; the hint points at env and inspect, which read a process's details on purpose.
// Every reader of a target's files calls it on the descriptor it reads from (RootedFs::open_file
// does for cat, tail, the pager, passwd; cp and tar call it on each file their walk opens).
Result<void> refuse_reader_filesystem(int fd, std::string_view what);

class RootedFs : public FileLookup {
 public:
  // Fails with EACCES when we may not ptrace-read the process (see diagnose.h for why).
  static Result<RootedFs> open(pid_t pid);
  // Race-free: /proc/PID/root opened after the handle's pidfd, then the pidfd checked to be
  // still running, so the root is that process's even if its PID is recycled the next moment.
  // The RootedFs keeps a pidfd of its own (pidfd()): readable once the process exits.
  static Result<RootedFs> open(const ProcessHandle& process);
  // A root another process opened and passed to us (node mode's cp: core/node/node_relay.h).
  static RootedFs adopt(pid_t pid, UniqueFd root, UniqueFd pidfd);

  // Open PATH (absolute or relative, both taken from the target's root) with O_RDONLY plus
  // `extra_flags`. Never creates, never writes. Unless O_PATH or O_DIRECTORY is asked for, a
  // file on procfs, sysfs and the like is refused (refuse_reader_filesystem); a magic link met
  // on the way (/proc/PID/root, /proc/PID/fd/N) is refused with a message that says so.
  Result<UniqueFd> open_file(std::string_view path, int extra_flags = 0) const;

  // A small regular file, whole (at most `limit` bytes), opened by open_regular: FIFOs and
  // devices are refused without being opened.
  Result<std::string> read_small(std::string_view path, std::size_t limit = 1 << 20) const;

  // FileLookup, for open_regular: stat following links, open_file, fstat.
  Result<struct stat> look(std::string_view path) const override { return stat(path, true); }
  Result<UniqueFd> open_for_reading(std::string_view path, int flags) const override {
    return open_file(path, flags);
  }
  Result<struct stat> describe(int fd) const override;
  Error explained(Error e) const override;

  // An O_PATH fd for PATH: the file itself, or with follow=false a final symlink itself.
  // Opens nothing for reading, so a FIFO or device can be examined without side effects.
  Result<UniqueFd> open_path(std::string_view path, bool follow) const;

  // lstat (follow=false) or stat (follow=true) of PATH, resolved in the root.
  Result<struct stat> stat(std::string_view path, bool follow) const;

  // A symlink's target exactly as written (not resolved).
  Result<std::string> readlink(std::string_view path) const;

  // Entries of directory PATH, unsorted, "." and ".." included; each described with lstat.
  // Fails only when the directory cannot be read; an entry that cannot be described carries
  // its own error (what: "PID:PATH/NAME").
  Result<std::vector<DirEntry>> list(std::string_view path) const;

  // Where an fd opened through this root lies, as a path inside the root ("/etc/nginx/x").
  Result<std::string> path_of(int fd) const;

  pid_t pid() const { return pid_; }
  int fd() const { return root_.get(); }
  int pidfd() const { return pidfd_.get(); }  // -1 when opened by bare PID

 private:
  RootedFs(pid_t pid, UniqueFd root) : pid_(pid), root_(std::move(root)) {}
  pid_t pid_;
  UniqueFd root_;
  UniqueFd pidfd_;
};

}  // namespace nsdebug
