#pragma once
// The kill tests' pod: a fresh PID namespace whose PID 1 is the pods' pause and whose PID 2
// runs the test body in a mount namespace of its own (a debug container), with /proc that
// namespace's. Inside, the body owns the PID space. Shared by test_kill.cc and
// test_kill_guard.cc.
#include <fmt/format.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

#include "run.h"

namespace nsdebug::testing::pod {

using namespace std::chrono_literals;

// The body's verdicts. Not Catch: the body runs in a forked process whose Catch state is a copy.
struct Checks {
  struct Abort {};
  std::string failures;
  void expect(bool ok, std::string_view what,
              std::source_location at = std::source_location::current()) {
    if (!ok) failures += fmt::format("line {}: {}\n", at.line(), what);
  }
  void require(bool ok, std::string_view what,
               std::source_location at = std::source_location::current()) {
    expect(ok, what, at);
    if (!ok) throw Abort{};
  }
};
using Body = std::function<void(Checks&)>;

// Runs `body` in a fresh pod-shaped PID namespace; its failures, empty when none.
std::string in_pod(const Body& body);
// A function, not a macro: inside a macro argument every line would report as the macro's.
void check_in_pod(const Body& body);

struct Child {
  pid_t pid = 0;
  int events = -1;  // one byte per signal caught
};
// A child that catches `caught`, ignores `ignored`, and is ready when this returns.
Child spawn_catcher(std::initializer_list<int> caught, std::initializer_list<int> ignored = {});
// The next signal the catcher reported, or -1 after `timeout`.
int next_event(const Child& c, std::chrono::milliseconds timeout = 2s);
bool running(pid_t pid);
// Its terminating signal, or minus its exit status.
int reap(pid_t pid);
void finish(const Child& c);
std::uint64_t start_ticks(pid_t pid);
Ran kill_cmd(std::vector<std::string> args);
std::string pid_s(pid_t pid);
bool has(const std::string& text, std::string_view part);

}  // namespace nsdebug::testing::pod
