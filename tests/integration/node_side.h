#pragma once
// What a pod can see of node mode's process in it: the tests find it (a child of the node-side
// nsdebug whose NSpid has two levels, settled: CAP_SYS_ADMIN gone) and read its /proc entries
// as a container with CAP_SYS_PTRACE would, one `key=value` line each.
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace nsdebug::testing {

// bash: expects $nsd (the node-side nsdebug); sets $kid and prints what /proc shows of it.
inline const char* kInspectPodSide = R"sh(
kid= any=
for i in $(seq 300); do
  [ -d /proc/$nsd ] || break
  for c in $(cat /proc/$nsd/task/$nsd/children 2>/dev/null); do
    n=$(awk '/^NSpid:/{print NF-1}' /proc/$c/status 2>/dev/null)
    eff=$(awk '/^CapEff:/{print $2}' /proc/$c/status 2>/dev/null)
    [ "$n" = 2 ] && any=$c
    [ "$n" = 2 ] && [ -n "$eff" ] && [ $(( 0x$eff & (1 << 21) )) = 0 ] && kid=$c
  done
  [ -n "$kid" ] && break; sleep 0.01
done
# One that never settles (an nsdebug that keeps CAP_SYS_ADMIN in the pod) is inspected all the same.
kid=${kid:-$any}
echo "kid=${kid:-none}"
echo "root=$(ls -A /proc/$kid/root/ | tr '\n' ' ')"
echo "cwd=$(readlink /proc/$kid/cwd) $(ls -A /proc/$kid/cwd/ | tr '\n' ' ')"
echo "exe=$(readlink /proc/$kid/exe)"
for k in CapInh CapPrm CapEff CapBnd CapAmb NoNewPrivs; do
  echo "$k=$(awk -v k=$k: '$1 == k {print $2}' /proc/$kid/status)"
done
echo "environ=$(tr '\0' ' ' </proc/$kid/environ)"
echo "mounts=$(awk '{print $5}' /proc/$kid/mountinfo | tr '\n' ' ')"
echo "procdev=$(stat -L -c %d /proc/$kid/root/proc)"
echo "procopts=$(awk '$5 == "/proc" {print $6}' /proc/$kid/mountinfo)"
for f in /proc/$kid/fd/*; do echo "fd=$(readlink $f) $(stat -L -c %d:%i $f)"; done
)sh";

struct PodSideView {
  std::map<std::string, std::string> facts;
  std::vector<std::string> fds;  // "pipe:[N] dev:ino" ...
};

inline PodSideView parse_pod_side(const std::string& out) {
  PodSideView v;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "fd")
      v.fds.push_back(value);
    else
      v.facts[key] = value;
  }
  return v;
}

// A debug container's capabilities: the runtime's defaults (containerd, Docker) plus SYS_PTRACE.
// CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE NET_RAW
// SYS_CHROOT SYS_PTRACE MKNOD AUDIT_WRITE SETFCAP.
inline constexpr unsigned long long kDebugContainerCaps = 0xa80c25fbULL;

inline bool within_debug_container(const std::string& hex) {
  return !hex.empty() && (std::stoull(hex, nullptr, 16) & ~kDebugContainerCaps) == 0;
}

}  // namespace nsdebug::testing
