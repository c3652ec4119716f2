#include "pod.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace nsdebug::e2e {
namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

std::string describe(const std::vector<std::string>& argv, const RunResult& r) {
  std::string s;
  for (const auto& a : argv) s += (s.empty() ? "" : " ") + a;
  return s + ": exit " + std::to_string(r.status) + ", stderr: " + r.err;
}

}  // namespace

const std::string& pod_name() {
  static const std::string name = env_or("NSDEBUG_E2E_POD", NSDEBUG_E2E_POD);
  return name;
}

const std::string& pod_sh() {
  static const std::string path = env_or("NSDEBUG_POD_SH", NSDEBUG_POD_SH);
  return path;
}

RunResult run(const std::vector<std::string>& argv) {
  RunResult r;
  int out[2], err[2];
  if (argv.empty() || pipe2(out, O_CLOEXEC) < 0) throw std::runtime_error("pipe2 failed");
  if (pipe2(err, O_CLOEXEC) < 0) {
    close(out[0]);
    close(out[1]);
    throw std::runtime_error("pipe2 failed");
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  // dup2 onto 1 and 2 clears close-on-exec there; the pipe fds themselves close on exec.
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0].c_str(), &fa, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    close(out[0]);
    close(err[0]);
    r.err = "posix_spawn " + argv[0] + ": " + std::strerror(rc);
    return r;
  }

  // Drain both pipes together: a child that fills one while we block on the other would hang.
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[65536];
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);

  int ws = 0;
  while (waitpid(pid, &ws, 0) < 0) {
    if (errno != EINTR) return r;
  }
  r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
  return r;
}

RunResult run_in(const std::string& container, const std::vector<std::string>& args) {
  std::vector<std::string> argv{pod_sh(), "exec", pod_name(), container, "--"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv);
}

RunResult run_nsdebug(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"nsdebug"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_in("shell", argv);
}

pid_t host_pid(const std::string& container) {
  std::vector<std::string> argv{pod_sh(), "hostpid", pod_name(), container};
  RunResult r = run(argv);
  if (r.status != 0) throw std::runtime_error(describe(argv, r));
  return static_cast<pid_t>(std::stol(r.out));
}

const nlohmann::json& pod_state() {
  static const nlohmann::json state = [] {
    std::vector<std::string> argv{pod_sh(), "status", "--json", pod_name()};
    RunResult r = run(argv);
    if (r.status != 0)
      throw std::runtime_error(describe(argv, r) + " (is the pod up? ctest brings it up as the \"pod\" fixture)");
    return nlohmann::json::parse(r.out);
  }();
  return state;
}

}  // namespace nsdebug::e2e
