// Node mode seen from the pod: the process nsdebug --target/--pod puts in a pod must hold
// nothing of the node (root, cwd, descriptors, environment, capabilities, executable), whatever
// the subcommand and wherever its output goes; and values that name no pod never run on the node.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "node_side.h"
#include "pty.h"
#include "run.h"

using namespace std::chrono_literals;
using namespace nsdebug::testing;

namespace {

// A pod of one container: PID 1 `sleep` in its own PID, UTS and mount namespaces, chrooted
// into a root the test wrote, with its own /proc; $init is its host PID, $r its root from here.
std::string with_pod(const std::string& body) {
  return R"sh(set -e
dir=$(mktemp -d); r=$dir/root
mkdir -p $r/usr $r/etc $r/tmp $r/proc
ln -s usr/bin $r/bin; ln -s usr/lib $r/lib; ln -s usr/lib64 $r/lib64
echo app-conf-line >$r/etc/app.conf
unshare --pid --uts --mount --net --fork --kill-child bash -c \
  "hostname trust-pod; mount --bind /usr $r/usr; mount -t proc proc $r/proc; exec chroot $r sleep 1000" &
u=$!
trap 'kill -KILL $u 2>/dev/null; wait $u 2>/dev/null; rm -rf "$dir"' EXIT
init=
for i in $(seq 300); do
  init=$(tr -d ' ' </proc/$u/task/$u/children 2>/dev/null || true)
  [ -n "$init" ] && [ "$(cat /proc/$init/comm 2>/dev/null)" = sleep ] && break; sleep 0.01
done
nsdebug=${NSDEBUG_TEST_BIN:-)sh" NSDEBUG_BIN R"sh(}
set +e
)sh" + body;
}

// Every descriptor is a pipe or socket to the node side, a pidfd, an eventfd-like anon inode,
// or one of `allowed`: dev:ino of the target's own files, "DEV:" for any file of that device
// (the pod's procfs), or "pty" for the pod side's own pty (whose device the caller checks is
// not the node's devpts).
void check_descriptors(const PodSideView& v, const std::vector<std::string>& allowed) {
  REQUIRE_FALSE(v.fds.empty());
  for (const auto& fd : v.fds) {
    INFO("fd: " << fd);
    bool channel = fd.starts_with("pipe:") || fd.starts_with("socket:") ||
                   fd.starts_with("anon_inode:");
    std::string id = fd.substr(fd.rfind(' ') + 1);
    bool theirs = false;
    for (const auto& a : allowed)
      theirs = theirs || id == a || (a.ends_with(":") && id.starts_with(a)) ||
               (a == "pty" && fd.starts_with("/dev/pts/"));
    CHECK((channel || theirs));
  }
}

void check_holds_nothing_of_the_node(const PodSideView& v, unsigned long long caps) {
  INFO("facts: " << [&] {
    std::string all;
    for (const auto& [k, val] : v.facts) all += k + "=" + val + "\n";
    return all;
  }());
  REQUIRE(v.facts.at("kid") != "none");
  CHECK(v.facts.at("cwd").starts_with("/ "));
  CHECK(v.facts.at("exe").starts_with("/memfd:nsdebug"));
  for (const char* set : {"CapPrm", "CapEff", "CapBnd"}) {
    INFO(set);
    CHECK(within_debug_container(v.facts.at(set)));
    CHECK(std::stoull(v.facts.at(set), nullptr, 16) == caps);
  }
  CHECK(std::stoull(v.facts.at("CapInh"), nullptr, 16) == 0);
  CHECK(std::stoull(v.facts.at("CapAmb"), nullptr, 16) == 0);
  CHECK(v.facts.at("NoNewPrivs") == "1");
  const std::string& env = v.facts.at("environ");
  CHECK(env.find("NODE_SECRET") == std::string::npos);
  CHECK(env.find("PATH=") == std::string::npos);
  CHECK(env.find("HOME=") == std::string::npos);
  CHECK(v.facts.at("procopts").starts_with("ro,"));  // no /proc/sys write through it
}

constexpr unsigned long long kDacOverride = 1ULL << 1, kKill = 1ULL << 5, kPtrace = 1ULL << 19;

}  // namespace

TEST_CASE("node mode's process in the pod holds nothing of the node, its output going to a node file") {
  Ran r = run_shell(with_pod(R"sh(
NODE_SECRET=s3cret-of-the-node $nsdebug --target $init tail -f 1:/etc/app.conf >$dir/out 2>$dir/err &
nsd=$!
)sh" + std::string(kInspectPodSide) + R"sh(
echo "target=$(stat -L -c %d:%i $r/etc/app.conf)"
echo "target_root=$(stat -L -c %d:%i $r)"
echo "kid_net=$(readlink /proc/$kid/ns/net)"
echo "pod_net=$(readlink /proc/$init/ns/net)"
echo "node_net=$(readlink /proc/self/ns/net)"
for i in $(seq 100); do grep -q app-conf-line $dir/out && break; sleep 0.02; done
echo "out=$(cat $dir/out)"
kill $nsd; wait $nsd; echo "status=$?"
echo "err=$(cat $dir/err)")sh"));
  INFO(r.out << r.err);
  PodSideView v = parse_pod_side(r.out);
  check_holds_nothing_of_the_node(v, kDacOverride | kPtrace);
  CHECK(v.facts.at("root") == "proc ");
  CHECK(v.facts.at("mounts") == "/ /proc ");
  check_descriptors(v, {v.facts.at("target"), v.facts.at("target_root"),
                        v.facts.at("procdev") + ":"});
  CHECK(v.facts.at("out") == "app-conf-line");
  CHECK(v.facts.at("status") == "0");
  // In the pod's network namespace: nothing of the node's network (sockets, abstract names).
  CHECK(v.facts.at("kid_net") == v.facts.at("pod_net"));
  CHECK(v.facts.at("kid_net") != v.facts.at("node_net"));
}

TEST_CASE("node mode's TUI draws on a pty of its own, never on the operator's terminal") {
  // The pod lives until the test removes $dir/up; its host PID and root come back in files.
  std::string up = "/tmp/nsdebug-trust-tui-" + std::to_string(::getpid());
  ::unlink(up.c_str());
  ::unlink((up + ".init").c_str());
  std::thread pod([&] {
    run_shell(with_pod("echo $init >" + up + ".init; touch " + up +
                       "; while [ -e " + up + " ]; do sleep 0.05; done"));
  });
  // However the test ends (a failed REQUIRE throws), the pod is told to go and is waited for.
  struct PodDown {
    std::string up;
    std::thread& pod;
    ~PodDown() {
      ::unlink(up.c_str());
      pod.join();
      ::unlink((up + ".init").c_str());
    }
  } down{up, pod};
  for (int i = 0; i < 500 && ::access(up.c_str(), F_OK) != 0; ++i) std::this_thread::sleep_for(10ms);
  std::string init = run_shell("cat " + up + ".init").out;
  init.erase(init.find_last_not_of('\n') + 1);
  {
    PtyRun tui({NSDEBUG_BIN, "--target", init, "tui"},
               environment({"NODE_SECRET"}, {"TERM=xterm", "NODE_SECRET=s3cret-of-the-node"}), 100,
               30);
    bool drawn = tui.wait_for("sleep", 10s);  // the pod's process, drawn through the relay
    INFO("init " << init << ", screen: " << tui.output());
    REQUIRE(drawn);
    Ran r = run_shell("nsd=" + std::to_string(tui.pid()) + "\n" + kInspectPodSide +
                      "echo \"node_pts=$(stat -c %d /dev/pts/ptmx)\"");
    INFO(r.out << r.err);
    PodSideView v = parse_pod_side(r.out);
    check_holds_nothing_of_the_node(v, kDacOverride | kKill | kPtrace);
    CHECK(v.facts.at("root") == "dev proc ");
    CHECK(v.facts.at("mounts") == "/ /dev/pts /proc ");
    int ptys = 0;
    for (const auto& fd : v.fds)
      if (fd.starts_with("/dev/pts/")) {
        ++ptys;
        CHECK_FALSE(fd.find(" " + v.facts.at("node_pts") + ":") != std::string::npos);
      }
    CHECK(ptys >= 3);  // stdin, stdout, stderr: the private pty
    check_descriptors(v, {"pty", v.facts.at("procdev") + ":"});
    tui.send("\x1a");  // Ctrl-Z: no shell could resume a pod side stopped on its pty
    tui.send("q");
    CHECK(tui.wait_exit(10s) == 0);
  }
}

TEST_CASE("node mode's cp writes DEST on the node from the pod's file") {
  Ran r = run_shell(with_pod(R"sh(
$nsdebug --target $init cp 1:/etc/app.conf $dir/copy; echo "status=$?"
cmp $r/etc/app.conf $dir/copy && echo same)sh"));
  INFO(r.out << r.err);
  CHECK_THAT(r.out, Catch::Contains("status=0"));
  CHECK_THAT(r.out, Catch::Contains("same"));
}

TEST_CASE("--pod and --target values that name no pod are usage errors, never the node") {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--pod", ""},
                                                                 {"--pod="},
                                                                 {"--pod", "  "},
                                                                 {"--target", "0"},
                                                                 {"--target", "-1"},
                                                                 {"--target", "abc"},
                                                                 {"--target", ""},
                                                                 {"--target", "99999999999"}}) {
    std::vector<std::string> argv{NSDEBUG_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"kill", "-n", "nsdebug-trust-marker"});
    Ran marker = run_shell("exec -a nsdebug-trust-marker sleep 30 >/dev/null 2>&1 & echo $!");
    Ran r = run(argv);
    INFO(args.front() << " " << (args.size() > 1 ? args[1] : "") << ": " << r.err);
    CHECK(r.status == 2);
    CHECK(r.err.size() < 400);  // one line and a hint, no 300-digit range
    CHECK_THAT(r.err, Catch::Contains("nsdebug pods"));
    pid_t pid = std::stoi(marker.out);
    CHECK(::kill(pid, 0) == 0);  // never signalled
    ::kill(pid, SIGKILL);
  }
}
