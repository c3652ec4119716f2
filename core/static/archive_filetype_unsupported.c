/* Static builds only. libarchive's tar writers (pax, ustar, gnutar) call this helper, which only
 * sets the "cannot archive a socket" error. It lives in archive_write_set_format.o beside the
 * table of every writer, so linking it from libarchive.a pulls the xar writer, and with it
 * libxml2 and ICU (tens of MB of static libraries, and link errors without libicu's .a). Defined
 * here, the linker never opens that object. The body follows libarchive 3.6's
 * archive_write_set_format.c; ARCHIVE_ERRNO_FILE_FORMAT is EINVAL on Linux (no EFTYPE). */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stddef.h>

void __archive_write_entry_filetype_unsupported(struct archive *a, struct archive_entry *entry,
                                                const char *format);

void __archive_write_entry_filetype_unsupported(struct archive *a, struct archive_entry *entry,
                                                const char *format) {
  const char *name = NULL;
  switch (archive_entry_filetype(entry)) {
    case AE_IFSOCK: name = "socket"; break;
    case AE_IFLNK: name = "symbolic link"; break;
    case AE_IFCHR: name = "character device"; break;
    case AE_IFBLK: name = "block device"; break;
    case AE_IFDIR: name = "directory"; break;
    case AE_IFIFO: name = "named pipe"; break;
    default: break;
  }
  if (name != NULL)
    archive_set_error(a, EINVAL, "%s: %s format cannot archive %s",
                      archive_entry_pathname(entry), format, name);
  else
    archive_set_error(a, EINVAL, "%s: unsupported filetype", archive_entry_pathname(entry));
}
