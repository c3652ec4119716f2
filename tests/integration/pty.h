#pragma once
// A program on a real terminal: a pseudo-terminal of a given size whose slave is the child's
// controlling terminal and stdin/stdout/stderr, as ssh -t or kubectl exec -it give it.
#include <sys/types.h>
#include <termios.h>

#include <chrono>
#include <string>
#include <vector>

namespace nsdebug::testing {

class PtyRun {
 public:
  // `env`: the child's whole environment (NAME=value each).
  PtyRun(const std::vector<std::string>& argv, const std::vector<std::string>& env, int cols,
         int rows);
  ~PtyRun();
  PtyRun(const PtyRun&) = delete;
  PtyRun& operator=(const PtyRun&) = delete;

  // Reads output until it contains `text` (true) or `limit` passed (false).
  bool wait_for(const std::string& text, std::chrono::milliseconds limit);
  void send(const std::string& keys);
  // Reads until the child has exited and returns its status (128+N for a signal), or -1 when it
  // had not after `limit` (it is then killed).
  int wait_exit(std::chrono::milliseconds limit);

  const std::string& output() const { return out_; }
  pid_t pid() const { return pid_; }
  // The terminal's mode now (the slave's, as the child left it) and before the child started.
  termios mode_now() const;
  const termios& mode_before() const { return before_; }

 private:
  bool read_some(int timeout_ms);
  int master_ = -1, slave_ = -1;
  pid_t pid_ = -1;
  int status_ = -1;
  termios before_{};
  std::string out_;
};

// The current environment without the variables named in `drop`, plus `add` (NAME=value).
std::vector<std::string> environment(const std::vector<std::string>& drop,
                                     const std::vector<std::string>& add = {});

}  // namespace nsdebug::testing
