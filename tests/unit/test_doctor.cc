// doctor's verdicts from facts, without a pod: every place and limit it knows.
#include <linux/capability.h>

#include <catch2/catch.hpp>

#include "core/diagnosis/doctor.h"

using namespace nsdebug;
using Catch::Contains;

namespace {

constexpr std::uint64_t cap(int c) { return std::uint64_t{1} << c; }
constexpr std::uint64_t kDebugCaps = cap(CAP_SYS_PTRACE) | cap(CAP_KILL);

ContainerFacts ctr(std::string name, pid_t pid, bool sandbox = false, bool own = false) {
  return {std::move(name), pid, sandbox, own, {}, {}, {}, {}};
}

MountEntry proc_mount(std::string options, std::string super_options = "rw") {
  MountEntry m;
  m.mount_point = "/proc";
  m.fstype = "proc";
  m.options = std::move(options);
  m.super_options = std::move(super_options);
  return m;
}

// The documentation's pod seen from its debug container with SYS_PTRACE: nothing limits nsdebug.
DoctorFacts shared_pod() {
  DoctorFacts f;
  f.place = Place::pod;
  f.cap_eff = kDebugCaps;
  f.pid1_seen = true;
  f.pid1_sandbox = true;
  f.pid1_container = "sandbox";
  f.containers = {ctr("sandbox", 1, true), ctr("nginx", 7), ctr("shell", 12, false, true)};
  f.proc = proc_mount("rw,nosuid,nodev,noexec,relatime");
  return f;
}

const Finding& find(const std::vector<Finding>& fs, const std::string& topic) {
  for (const auto& f : fs)
    if (f.topic == topic) return f;
  FAIL("no finding " << topic);
  throw;
}

}  // namespace

TEST_CASE("doctor: a shared pod with SYS_PTRACE and KILL is fine everywhere") {
  auto fs = diagnose(shared_pod());
  CHECK_FALSE(limited(fs));
  CHECK_THAT(find(fs, "pid namespace").detail, Contains("shared") && Contains("1 other container"));
  CHECK(find(fs, "container nginx").detail.find("root readable yes") != std::string::npos);
}

TEST_CASE("doctor: without SYS_PTRACE the capability and the unreadable root are flagged") {
  DoctorFacts f = shared_pod();
  f.cap_eff = cap(CAP_KILL);
  f.containers[0].root = {false, "it runs as uid 65535 and nsdebug as uid 0, without CAP_SYS_PTRACE",
                          "add SYS_PTRACE to the debug container"};
  auto fs = diagnose(f);
  CHECK(limited(fs));
  const Finding& caps = find(fs, "capabilities");
  CHECK(caps.verdict == Verdict::warn);
  CHECK_THAT(caps.detail, Contains("CAP_SYS_PTRACE no"));
  CHECK_THAT(caps.fix, Contains("SYS_PTRACE"));
  const Finding& pause = find(fs, "container sandbox");
  CHECK(pause.verdict == Verdict::warn);
  CHECK_THAT(pause.detail, Contains("root readable no (it runs as uid 65535"));
  CHECK_THAT(pause.detail, Contains("signallable yes"));
  CHECK_THAT(pause.fix, Contains("SYS_PTRACE"));
}

TEST_CASE("doctor: a root closed through another user's process names that uid and PID") {
  DoctorFacts f = shared_pod();
  f.containers[1].other_users = {
      {101, 9, {false, "it runs as uid 101 and nsdebug as uid 0, without CAP_SYS_PTRACE",
                "add SYS_PTRACE to the debug container"}}};
  auto fs = diagnose(f);
  CHECK(limited(fs));
  const Finding& nginx = find(fs, "container nginx");
  CHECK(nginx.verdict == Verdict::warn);
  CHECK_THAT(nginx.detail, Contains("root readable yes") &&
                               Contains("; PID 9 (uid 101): root readable no (it runs as uid 101"));
  CHECK_THAT(nginx.fix, Contains("SYS_PTRACE"));
}

TEST_CASE("doctor: a namespace with only our own container is not shared, with both fixes") {
  DoctorFacts f = shared_pod();
  f.pid1_sandbox = false;
  f.pid1_own = true;
  f.pid1_container = "shell";
  f.containers = {ctr("shell", 1, false, true)};
  auto fs = diagnose(f);
  const Finding& ns = find(fs, "pid namespace");
  CHECK(ns.verdict == Verdict::fail);
  CHECK_THAT(ns.detail, Contains("not shared"));
  CHECK_THAT(ns.fix, Contains("shareProcessNamespace: true") && Contains("kubectl debug -it POD") &&
                         Contains("--target=CONTAINER"));
  CHECK(limited(fs));
}

TEST_CASE("doctor: PID 1 being another container's app is the ephemeral-container view") {
  DoctorFacts f = shared_pod();
  f.pid1_sandbox = false;
  f.pid1_container = "nginx";
  f.containers = {ctr("nginx", 1), ctr("debugger", 30, false, true)};
  auto fs = diagnose(f);
  const Finding& ns = find(fs, "pid namespace");
  CHECK(ns.verdict == Verdict::ok);
  CHECK_THAT(ns.detail, Contains("ephemeral-style") && Contains("'nginx'") &&
                            Contains("stops that container"));
  CHECK_FALSE(limited(fs));
}

TEST_CASE("doctor: hidepid and subset=pid make process lists incomplete; read-only is fine") {
  DoctorFacts f = shared_pod();
  f.proc = proc_mount("rw", "rw,hidepid=invisible");
  CHECK(find(diagnose(f), "/proc").verdict == Verdict::warn);
  CHECK_THAT(find(diagnose(f), "/proc").detail, Contains("hidepid=invisible"));
  f.proc = proc_mount("rw", "rw,hidepid=0");
  CHECK(find(diagnose(f), "/proc").verdict == Verdict::ok);
  f.proc = proc_mount("rw", "rw,subset=pid");
  CHECK_THAT(find(diagnose(f), "/proc").detail, Contains("subset=pid"));
  f.proc = proc_mount("ro,nosuid");
  CHECK(find(diagnose(f), "/proc").verdict == Verdict::ok);
  CHECK_THAT(find(diagnose(f), "/proc").detail, Contains("read-only"));
  f.proc->fstype = "tmpfs";
  CHECK(find(diagnose(f), "/proc").verdict == Verdict::fail);
  f.proc = proc_mount("rw");
  f.proc_matches_pid_ns = false;
  CHECK_THAT(find(diagnose(f), "/proc").fix, Contains("--mount-proc"));
}

TEST_CASE("doctor: a kernel without openat2 or pidfd fails with what stops working") {
  DoctorFacts f = shared_pod();
  f.openat2 = Error{ENOSYS, "openat2", "not supported by this kernel", {}};
  f.pidfd = Error{ENOSYS, "pidfd_open", "not supported by this kernel", {}};
  auto fs = diagnose(f);
  CHECK(find(fs, "openat2").verdict == Verdict::fail);
  CHECK_THAT(find(fs, "openat2").detail, Contains("nothing falls back") && Contains("cat"));
  CHECK_THAT(find(fs, "openat2").fix, Contains("5.6"));
  CHECK_THAT(find(fs, "pidfd").detail, Contains("kill refuses"));
  CHECK(limited(fs));
}

TEST_CASE("doctor: on the node it needs CAP_SYS_ADMIN and says how many pods it found") {
  DoctorFacts f;
  f.place = Place::node;
  f.cap_eff = ~std::uint64_t{0};
  f.pods = Result<std::size_t>(2);
  f.proc = proc_mount("rw");
  auto fs = diagnose(f);
  CHECK_FALSE(limited(fs));
  CHECK_THAT(find(fs, "pods").detail, Contains("2 pod PID namespaces"));
  for (const auto& x : fs) CHECK(x.topic != "pid namespace");
  f.cap_eff = 0;
  CHECK(find(diagnose(f), "capabilities").verdict == Verdict::fail);
  CHECK_THAT(find(diagnose(f), "capabilities").fix, Contains("root"));
  f.pods = Result<std::size_t>(0);
  CHECK(find(diagnose(f), "pods").verdict == Verdict::warn);
}

TEST_CASE("doctor: without procfs on /proc the place is unknown and only /proc fails") {
  DoctorFacts f;
  f.place = Place::unknown;
  f.cap_eff = ~std::uint64_t{0};
  auto fs = diagnose(f);  // f.proc: no /proc mount in the (unreadable) mountinfo
  CHECK_THAT(find(fs, "where").detail, Contains("unknown") && Contains("see the /proc line"));
  for (const auto& x : fs) CHECK(x.topic != "pid namespace");  // it said "hidepid on /proc?"
  CHECK(find(fs, "/proc").verdict == Verdict::fail);
  CHECK_THAT(find(fs, "/proc").fix, Contains("mount -t proc proc /proc"));
  CHECK(find(fs, "capabilities").verdict == Verdict::ok);
}
