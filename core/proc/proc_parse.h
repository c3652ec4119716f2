#pragma once
// Pure parsers for /proc text. No I/O: callers read the file, these read the text.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nsdebug {

// ---- /proc/PID/cgroup ------------------------------------------------------
struct CgroupLine {
  int hierarchy = 0;        // 0 for the v2 unified line "0::/path"
  std::string controllers;  // "memory", "cpu,cpuacct", "name=systemd", "" for v2
  std::string path;         // "/kubepods/besteffort/pod<uid>/<id>", "/../<id>", "/"
};
std::vector<CgroupLine> parse_cgroup(std::string_view text);

// What a cgroup path says about the container runtime.
struct RuntimeId {
  std::string runtime;  // "containerd", "cri-o", "docker", "podman", "kubepods", "" if unknown
  std::string id;       // full container id (hex, usually 64 chars)
  std::string pod_uid;  // "7c1f0e52-5f3a-..." from "pod<uid>" (systemd driver: '_' turned to '-')
};
// Looks at every line (v2 first, then v1 ones) and returns the first that names a container.
// Knows: cri-containerd-<id>.scope, crio-<id>.scope, docker-<id>.scope, libpod-<id>[.scope],
// /kubepods[.slice]/.../pod<uid>/<id> (cgroupfs), /docker/<id>, and "/../<id>" as seen under a
// private cgroup namespace.
std::optional<RuntimeId> runtime_id_from_cgroup(std::string_view cgroup_text);

// ---- /proc/PID/stat, /proc/PID/statm ---------------------------------------
// The fields of proc(5)'s stat line that a process table shows or watches for change.
struct StatLine {
  std::string_view comm;  // raw, as the kernel keeps it (a view into the text parsed)
  char state = '?';
  pid_t ppid = 0, pgrp = 0, session = 0, tpgid = -1;
  std::uint64_t minflt = 0, majflt = 0;  // page faults: a process that faulted has moved
  std::uint64_t utime = 0, stime = 0;    // clock ticks
  int nice = 0;
  int threads = 1;
  std::uint64_t start_ticks = 0;
  std::uint64_t vsize = 0;      // bytes
  std::uint64_t rss_pages = 0;  // the mm counters' approximate value (see core/proc/procfs.cc)
  int policy = 0;
  int tty_nr = 0;     // 7: the controlling terminal's device number, 0 for none
  int priority = 0;   // 18: the kernel's prio - 100 (normal tasks 0..39, real-time -100..-2)
  int processor = 0;  // 39: the CPU it last ran on
};
// nullopt unless every field up to policy (41) is there. comm may hold spaces and ')':
// it is what lies between the first '(' and the last ')'.
std::optional<StatLine> parse_stat_line(std::string_view text);

// /proc/PID/schedstat: the main thread's time on a CPU (ns), time waiting for one (ns), and
// how many times it was put on one. "0 0 0" when the kernel keeps no sched_info.
struct SchedStat {
  std::uint64_t run_ns = 0, wait_ns = 0, timeslices = 0;
};
std::optional<SchedStat> parse_schedstat(std::string_view text);

// statm's second field, resident pages.
std::optional<std::uint64_t> parse_statm_resident(std::string_view text);

// A namespace link's text, "mnt:[4026531841]": the namespace's inode number when the link
// names a namespace of `type` (what stat of the link's target gives as st_ino).
std::optional<std::uint64_t> parse_ns_link(std::string_view text, std::string_view type);

// ---- /proc/PID/status ------------------------------------------------------
struct StatusIds {
  uid_t ruid = 0, euid = 0, suid = 0, fsuid = 0;
  gid_t rgid = 0, egid = 0, sgid = 0, fsgid = 0;
  std::vector<pid_t> nspid;       // outermost first; empty if the kernel has no NSpid line
  std::uint64_t cap_eff = 0;      // CapEff
  std::uint64_t cap_prm = 0;      // CapPrm
  std::uint64_t cap_bnd = 0;      // CapBnd
  char state = '?';
  std::string name;
};
std::optional<StatusIds> parse_status(std::string_view text);

// ---- /proc/stat ------------------------------------------------------------
// The "btime" line: boot time in seconds since the epoch, as ps computes START from.
std::optional<std::int64_t> parse_boot_time(std::string_view proc_stat);

// ---- /proc/PID/mountinfo ---------------------------------------------------
struct MountEntry {
  int id = 0, parent = 0;
  std::string root;         // path inside the source filesystem (octal escapes decoded)
  std::string mount_point;  // decoded
  std::string options;      // per-mount options
  std::string fstype;
  std::string source;
  std::string super_options;
};
std::vector<MountEntry> parse_mountinfo(std::string_view text);

// The kubelet bind-mounts /var/lib/kubelet/pods/<uid>/containers/<name>/<n> on
// /dev/termination-log; its root field names the Kubernetes container.
struct KubeletContainer {
  std::string pod_uid;
  std::string name;
};
std::optional<KubeletContainer> kubelet_container(const std::vector<MountEntry>& mounts);

// ---- /etc/passwd, /etc/group ----------------------------------------------
// "name:x:id:..." lines to id -> name; the first name for an id wins, as getpwuid does. A
// name longer than kMaxIdName bytes gives its id no name (it shows as its number): procps's
// pwcache does the same (P_G_SZ), and no useradd makes one; a 512 KiB name in a target's
// passwd must not set the width of every table row of ours.
inline constexpr std::size_t kMaxIdName = 32;
std::unordered_map<std::uint32_t, std::string> parse_id_names(std::string_view text);

// ---- NUL-separated files (cmdline, environ) --------------------------------
std::vector<std::string> split_nul(std::string_view text);

}  // namespace nsdebug
