#pragma once
// The e2e tests' handle on the pod that tests/pods/pod.sh brought up (CTest fixture "pod"):
// pause (the sandbox, PID 1), nginx (master + uid-101 worker) and shell (busybox, nsdebug on PATH).
#include <sys/types.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nsdebug::e2e {

struct RunResult {
  int status = -1;  // exit code; 128 + N when killed by signal N; -1 when it could not start
  std::string out, err;
};

// The pod's name and pod.sh's path: NSDEBUG_E2E_POD and NSDEBUG_POD_SH from the environment,
// else what CMake compiled in.
const std::string& pod_name();
const std::string& pod_sh();

// Runs argv[0] (a path, no PATH search) with argv, stdin from /dev/null, and collects stdout,
// stderr and the exit status. No shell: arguments reach the program as they are.
RunResult run(const std::vector<std::string>& argv);

// `pod.sh exec <pod> <container> -- args...`: args run inside the container.
RunResult run_in(const std::string& container, const std::vector<std::string>& args);

// `nsdebug args...` inside the shell (debug) container.
RunResult run_nsdebug(const std::vector<std::string>& args);

// Host PID of a container's init (pause, nginx, shell) from `pod.sh hostpid`; throws on failure.
pid_t host_pid(const std::string& container);

// What the harness recorded (`pod.sh status --json`): pod_uid, shared_pid_namespace,
// shell_ptrace, containers.{pause,nginx,shell}.{id,host_pid,...}. Read once; throws unless the
// pod is up.
const nlohmann::json& pod_state();

}  // namespace nsdebug::e2e
