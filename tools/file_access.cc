#include "tools/file_access.h"

#include "core/diagnose.h"

namespace nsdebug::cli {

Error explained(Error e, pid_t pid) { return explain(std::move(e), pid); }

Result<RootedFs> open_target_root(const Target& t) {
  auto pid = resolve_target(t);
  if (!pid) return std::unexpected(pid.error());
  auto root = RootedFs::open(*pid);
  if (!root) {
    Error e = explained(root.error(), *pid);
    if (t.pid == 0) e.what += " (container " + t.name + ")";
    return std::unexpected(std::move(e));
  }
  return root;
}

std::string mode_string(mode_t mode) {
  char type = S_ISDIR(mode) ? 'd' : S_ISLNK(mode) ? 'l' : S_ISCHR(mode) ? 'c'
            : S_ISBLK(mode) ? 'b' : S_ISFIFO(mode) ? 'p' : S_ISSOCK(mode) ? 's' : '-';
  std::string s(1, type);
  const char* rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; ++i) s += (mode & (1u << (8 - i))) ? rwx[i] : '-';
  // setuid, setgid and sticky replace the x they share a column with.
  if (mode & S_ISUID) s[3] = (mode & S_IXUSR) ? 's' : 'S';
  if (mode & S_ISGID) s[6] = (mode & S_IXGRP) ? 's' : 'S';
  if (mode & S_ISVTX) s[9] = (mode & S_IXOTH) ? 't' : 'T';
  return s;
}

std::string file_type_name(mode_t mode) {
  if (S_ISREG(mode)) return "regular file";
  if (S_ISDIR(mode)) return "directory";
  if (S_ISLNK(mode)) return "symbolic link";
  if (S_ISFIFO(mode)) return "FIFO";
  if (S_ISSOCK(mode)) return "socket";
  if (S_ISCHR(mode)) return "character device";
  if (S_ISBLK(mode)) return "block device";
  return "unknown";
}

}  // namespace nsdebug::cli
