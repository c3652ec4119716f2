#pragma once
// Run a command (argv, no shell unless asked) and capture what it printed.
#include <string>
#include <vector>

namespace nsdebug::testing {

struct Ran {
  int status = -1;  // exit code, or 128+signal
  std::string out, err;
};

Ran run(const std::vector<std::string>& argv, const std::string& input = {});
Ran run_shell(const std::string& script);  // bash -c script

}  // namespace nsdebug::testing
