#include "core/files/file_mode.h"

#include <sys/stat.h>
#include <sys/xattr.h>

#include <fmt/format.h>

namespace nsdebug {

std::string file_mode_string(mode_t mode) {
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

bool has_extended_acl(int path_fd, mode_t mode) {
  if (S_ISLNK(mode)) return false;
  // fgetxattr refuses O_PATH descriptors; the fd's /proc link names the same inode, whatever
  // its path has become, and opens nothing (a FIFO or a device is not opened to ask).
  auto link = fmt::format("/proc/self/fd/{}", path_fd);
  // The kernel keeps no access ACL that the mode bits say whole (setfacl removes it), so its
  // presence is the mark, as for coreutils' file_has_acl.
  if (::getxattr(link.c_str(), "system.posix_acl_access", nullptr, 0) >= 0) return true;
  return S_ISDIR(mode) && ::getxattr(link.c_str(), "system.posix_acl_default", nullptr, 0) >= 0;
}

std::string file_type_description(mode_t mode) {
  if (S_ISREG(mode)) return "regular file";
  if (S_ISDIR(mode)) return "directory";
  if (S_ISLNK(mode)) return "symbolic link";
  if (S_ISFIFO(mode)) return "FIFO";
  if (S_ISSOCK(mode)) return "socket";
  if (S_ISCHR(mode)) return "character device";
  if (S_ISBLK(mode)) return "block device";
  return "file of unknown type";
}

}  // namespace nsdebug
