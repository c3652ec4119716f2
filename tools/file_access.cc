#include "tools/file_access.h"

#include "core/diagnose.h"
#include "tools/output.h"

namespace nsdebug::cli {

Error explained(Error e, pid_t pid) { return explain(std::move(e), pid); }

Result<RootedFs> open_target_root(const Target& t) {
  auto process = resolve_target(t);
  if (!process) return std::unexpected(process.error());
  auto root = RootedFs::open(*process);
  if (!root) {
    Error e = explained(root.error(), process->pid());
    if (t.pid == 0) e.what += " (container " + t.name + ")";
    return std::unexpected(std::move(e));
  }
  return root;
}

std::expected<OpenedPath, int> open_target_path(std::string_view arg) {
  auto tp = parse_target_path(arg);
  if (!tp) {
    print_error(tp.error());
    return std::unexpected(2);
  }
  auto root = open_target_root(tp->target);
  if (!root) {
    print_error(root.error());
    return std::unexpected(1);
  }
  return OpenedPath{std::move(*tp), std::move(*root)};
}

std::expected<ProcessHandle, int> resolve_target_arg(std::string_view arg) {
  auto target = parse_target(arg);
  if (!target) {
    print_error(target.error());
    return std::unexpected(2);
  }
  auto process = resolve_target(*target);
  if (!process) {
    print_error(process.error());
    return std::unexpected(1);
  }
  return std::move(*process);
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
