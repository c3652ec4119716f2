#pragma once
// nsdebug doctor: where nsdebug runs and what limits it there, each finding with a verdict and,
// when something is wrong, the exact fix. Facts are gathered (I/O) apart from the verdicts (pure)
// so that every verdict is unit-tested without a pod.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/proc/proc_parse.h"
#include "core/pod/snapshot.h"

namespace nsdebug {

enum class Verdict { ok, warn, fail };
const char* verdict_name(Verdict v);  // "ok", "warn", "fail"

// Which finding a face may look for by kind (the TUI's header shows the PID namespace's),
// rather than by its topic's words.
enum class FindingKind { other, pid_namespace };

struct Finding {
  std::string topic;   // "pid namespace", "capabilities", "container nginx", "/proc", "openat2"
  Verdict verdict = Verdict::ok;
  std::string detail;  // what was found
  std::string fix;     // empty when nothing is wrong
  FindingKind kind = FindingKind::other;
};

// One access doctor tried; why and fix are empty when it worked.
struct AccessTry {
  bool ok = true;
  std::string why, fix;
};

struct ContainerFacts {
  std::string name;
  pid_t main_pid = 0;
  bool sandbox = false;
  bool own = false;  // nsdebug's own container (its mount namespace)
  AccessTry root, environ, signal;
  // The root as seen through one process of each other uid in the container (nginx's worker):
  // the kernel checks each process's own credentials.
  struct OtherUser {
    uid_t uid = 0;
    pid_t pid = 0;
    AccessTry root;
  };
  std::vector<OtherUser> other_users;
};

enum class Place {
  pod,      // inside a pod's PID namespace: a sidecar, an ephemeral container, kubectl exec
  node,     // the node's own (initial) PID namespace
  entered,  // on the node, inside a pod's PID namespace through --target/--pod
  unknown,  // no procfs on /proc: our PID namespace cannot be told
};

struct DoctorFacts {
  Place place = Place::pod;
  std::uint64_t cap_eff = 0;
  // PID 1 as this PID namespace shows it (pod, entered); pid1_seen false when it is hidden.
  bool pid1_seen = false;
  bool pid1_sandbox = false;
  bool pid1_own = false;
  std::string pid1_container;
  std::vector<ContainerFacts> containers;
  std::optional<MountEntry> proc;   // /proc's top mount in our mountinfo; nullopt: none
  bool proc_matches_pid_ns = true;  // /proc is our PID namespace's (not nsenter --pid alone)
  std::optional<Error> openat2, pidfd;  // the probe's error; nullopt: it works
  std::optional<Result<std::size_t>> pods;  // on the node: pod namespaces found
};

// Pure: the findings, in the order doctor prints them.
std::vector<Finding> diagnose(const DoctorFacts& facts);

// True when some finding limits what nsdebug can do here (a warn or a fail): doctor exits 1.
bool limited(std::span<const Finding> findings);

// Reads /proc, probes every container's main process and the kernel. `entered`: we run inside a
// pod's PID namespace through node mode.
DoctorFacts gather_doctor_facts(bool entered);

// What doctor would say, in one line ("DETAIL: FIX"), when the PID namespace or /proc explains
// why something asked for is not in `s` (not shared, hidepid); "" when neither does. Failing
// commands end their hint with it.
std::string where_hint(const Snapshot& s);

// `hint`, then where_hint(s) when it says something.
std::string add_where_hint(std::string hint, const Snapshot& s);

}  // namespace nsdebug
