/* Static builds only. libproc2.a references sd-login for the PIDS_SD_* items;
 * nsdebug never requests those, and Debian ships no libsystemd.a. Each stub
 * reports "not supported", which libproc2 turns into an empty string. */
#include <errno.h>
#include <sys/types.h>

int sd_pid_get_machine_name(pid_t pid, char **name) { (void)pid; (void)name; return -ENOSYS; }
int sd_pid_get_owner_uid(pid_t pid, uid_t *uid) { (void)pid; (void)uid; return -ENOSYS; }
int sd_pid_get_session(pid_t pid, char **session) { (void)pid; (void)session; return -ENOSYS; }
int sd_pid_get_slice(pid_t pid, char **slice) { (void)pid; (void)slice; return -ENOSYS; }
int sd_pid_get_unit(pid_t pid, char **unit) { (void)pid; (void)unit; return -ENOSYS; }
int sd_pid_get_user_unit(pid_t pid, char **unit) { (void)pid; (void)unit; return -ENOSYS; }
int sd_session_get_seat(const char *session, char **seat) { (void)session; (void)seat; return -ENOSYS; }
