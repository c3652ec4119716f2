// Unit tests for core/signals (names, /proc fields, guard decisions and their explanations) and
// for how `nsdebug kill` reads its command line. No process is ever signalled here: the only
// command lines that get past parsing name this test process itself, which the self guard
// refuses.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "core/kill_guard.h"
#include "core/kill_plan.h"
#include "core/process_handle.h"
#include "core/signals.h"
#include "fake_probe.h"
#include "tools/command.h"

using nsdebug::Credentials;
using nsdebug::GuardReason;
using nsdebug::SignalMasks;
using nsdebug::SignalRange;

namespace {

constexpr SignalRange kGlibc{34, 64};
constexpr SignalRange kMusl{35, 64};

int parsed(std::string_view text, SignalRange r = kGlibc) {
  auto sig = nsdebug::parse_signal(text, r);
  return sig ? *sig : -1;
}

std::string hint_for(std::string_view text) {
  auto sig = nsdebug::parse_signal(text, kGlibc);
  return sig ? "" : sig.error().hint;
}

// A real /proc/PID/status of the pods' pause: handlers for INT, TERM and CHLD.
constexpr std::string_view kPauseStatus =
    "Name:\tpause\nState:\tS (sleeping)\nSigQ:\t0/31706\nSigPnd:\t0000000000000000\n"
    "ShdPnd:\t0000000000000000\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n"
    "SigCgt:\t0000000000014002\nCapInh:\t0000000000000000\n";

}  // namespace

TEST_CASE("signal names parse with or without SIG, in any case") {
  CHECK(parsed("HUP") == SIGHUP);
  CHECK(parsed("hup") == SIGHUP);
  CHECK(parsed("SIGHUP") == SIGHUP);
  CHECK(parsed("sigHup") == SIGHUP);
  CHECK(parsed("KILL") == SIGKILL);
  CHECK(parsed("term") == SIGTERM);
  CHECK(parsed("IOT") == SIGABRT);
  CHECK(parsed("CLD") == SIGCHLD);
  CHECK(parsed("IO") == SIGIO);
}

TEST_CASE("signal numbers parse from 0 to RTMAX") {
  CHECK(parsed("0") == 0);
  CHECK(parsed("9") == 9);
  CHECK(parsed("64") == 64);
  CHECK(parsed("65") == -1);
  CHECK(parsed("-1") == -1);
  CHECK(parsed("9x") == -1);
  CHECK(parsed("") == -1);
  CHECK(parsed("SIG") == -1);
}

TEST_CASE("real-time signals count from RTMIN up and from RTMAX down") {
  CHECK(parsed("RTMIN") == 34);
  CHECK(parsed("RTMIN+3") == 37);
  CHECK(parsed("sigrtmin+3") == 37);
  CHECK(parsed("SIGRTMAX-1") == 63);
  CHECK(parsed("RTMAX") == 64);
  CHECK(parsed("RTMIN+3", kMusl) == 38);
  CHECK(parsed("RTMIN+30") == 64);
  CHECK(parsed("RTMIN+31") == -1);
  CHECK(parsed("RTMAX-31") == -1);
  CHECK(parsed("RTMIN-1") == -1);
  CHECK(parsed("RTMAX+1") == -1);
  CHECK(parsed("RTMIN+") == -1);
}

TEST_CASE("signals are named as kill -l names them") {
  CHECK(nsdebug::signal_name(SIGHUP, kGlibc) == "HUP");
  CHECK(nsdebug::signal_name(0, kGlibc) == "0");
  CHECK(nsdebug::signal_name(32, kGlibc) == "32");
  CHECK(nsdebug::signal_name(34, kGlibc) == "RTMIN");
  CHECK(nsdebug::signal_name(37, kGlibc) == "RTMIN+3");
  CHECK(nsdebug::signal_name(49, kGlibc) == "RTMIN+15");
  CHECK(nsdebug::signal_name(50, kGlibc) == "RTMAX-14");
  CHECK(nsdebug::signal_name(64, kGlibc) == "RTMAX");
}

TEST_CASE("every listed signal parses back from its name") {
  auto all = nsdebug::listed_signals(kGlibc);
  REQUIRE(all.front() == 1);
  CHECK(std::ranges::is_sorted(all));
  CHECK(std::ranges::find(all, 32) == all.end());
  CHECK(std::ranges::find(all, 64) != all.end());
  for (int sig : all) {
    INFO(sig);
    CHECK(parsed(nsdebug::signal_name(sig, kGlibc)) == sig);
  }
}

TEST_CASE("an unknown signal name suggests the close ones") {
  CHECK_THAT(hint_for("HUPP"), Catch::StartsWith("did you mean HUP?"));
  CHECK_THAT(hint_for("TREM"), Catch::StartsWith("did you mean TERM"));
  CHECK_THAT(hint_for("SIGKIL"), Catch::StartsWith("did you mean KILL"));
  CHECK_THAT(hint_for("usr"), Catch::StartsWith("did you mean USR1, USR2"));
  CHECK_THAT(hint_for("RTMN+3"), Catch::StartsWith("did you mean RTMIN+3?"));
  CHECK(hint_for("FROBNICATE") == "'nsdebug kill -l' lists them");
  auto e = nsdebug::parse_signal("HUPP", kGlibc).error();
  CHECK(e.code == EINVAL);
  CHECK(e.what == "signal 'HUPP'");
  CHECK(e.why == "no such signal");
  CHECK(nsdebug::similar_signal_names("STPO", kGlibc).front() == "STOP");
}

TEST_CASE("stat fields are read after the last parenthesis of comm") {
  std::string line =
      "42 (a) b (c)) S 7 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123456 1000 10 "
      "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n";
  auto f = nsdebug::parse_stat(line);
  REQUIRE(f);
  CHECK(f->state == 'S');
  CHECK(f->ppid == 7);
  CHECK(f->start_ticks == 123456);
  CHECK_FALSE(nsdebug::parse_stat("42 (sh) S 1 2"));
  CHECK_FALSE(nsdebug::parse_stat("garbage"));
}

TEST_CASE("SigIgn and SigCgt come from status") {
  auto m = nsdebug::parse_signal_masks(kPauseStatus);
  REQUIRE(m);
  CHECK(m->ignored == 0);
  CHECK(m->caught == 0x14002);
  CHECK_FALSE(nsdebug::parse_signal_masks("Name:\tx\nSigCgt:\tzz\n"));
  CHECK_FALSE(nsdebug::parse_signal_masks("Name:\tx\n"));
}

TEST_CASE("a namespace's init only receives the signals it handles") {
  SignalMasks pause = *nsdebug::parse_signal_masks(kPauseStatus);
  CHECK(nsdebug::init_receives(SIGTERM, pause, false));
  CHECK(nsdebug::init_receives(SIGINT, pause, false));
  CHECK_FALSE(nsdebug::init_receives(SIGHUP, pause, false));
  CHECK_FALSE(nsdebug::init_receives(SIGKILL, pause, false));
  CHECK_FALSE(nsdebug::init_receives(SIGSTOP, pause, false));
  CHECK(nsdebug::init_receives(0, pause, false));
  SECTION("from an ancestor namespace KILL and STOP get through, nothing else unhandled") {
    CHECK(nsdebug::init_receives(SIGKILL, pause, true));
    CHECK(nsdebug::init_receives(SIGSTOP, pause, true));
    CHECK_FALSE(nsdebug::init_receives(SIGHUP, pause, true));
  }
  SECTION("an ignored signal is dropped even when a handler bit is set") {
    SignalMasks m{.ignored = 1u << (SIGUSR1 - 1), .caught = 1u << (SIGUSR1 - 1)};
    CHECK_FALSE(nsdebug::init_receives(SIGUSR1, m, false));
  }
}

TEST_CASE("the guards: nsdebug, its parents, the sandbox and PID 1") {
  std::vector<pid_t> ancestors{40, 12, 1};
  auto reason = [&](pid_t pid, bool sandbox = false) {
    return nsdebug::guard_reason({pid, sandbox, 41, ancestors});
  };
  CHECK(reason(41) == GuardReason::self);
  CHECK(reason(40) == GuardReason::ancestor);
  CHECK(reason(12) == GuardReason::ancestor);
  CHECK(reason(1, true) == GuardReason::sandbox);
  CHECK(reason(1) == GuardReason::init);
  CHECK(reason(77) == GuardReason::none);
}

TEST_CASE("a refusal to signal the sandbox says what the signal would do") {
  using nsdebug::GuardCase;
  auto term = nsdebug::guard_refusal({GuardReason::sandbox, 1, "sandbox", SIGTERM, true});
  CHECK(term.what == "kill -TERM 1");
  CHECK_THAT(term.why, Catch::Contains("pod sandbox") && Catch::Contains("it handles TERM") &&
                           Catch::Contains("every container"));
  CHECK_THAT(term.hint, Catch::Contains("--force"));
  auto kill = nsdebug::guard_refusal({GuardReason::sandbox, 1, "sandbox", SIGKILL, false});
  CHECK_THAT(kill.why, Catch::Contains("no handler for KILL") && Catch::Contains("drop"));
  auto unknown = nsdebug::guard_refusal({GuardReason::sandbox, 1, "sandbox", SIGHUP, {}});
  CHECK_THAT(unknown.why, Catch::Contains("only receives the signals it handles"));
}

TEST_CASE("a refusal to signal a PID 1 that is no sandbox names its container") {
  auto e = nsdebug::guard_refusal({GuardReason::init, 1, "app", SIGTERM, true});
  CHECK_THAT(e.why, Catch::Contains("container 'app'") && Catch::Contains("stops that container"));
  auto self = nsdebug::guard_refusal({GuardReason::self, 9, "", SIGHUP, {}});
  CHECK_THAT(self.why, Catch::Contains("this nsdebug"));
}

TEST_CASE("EPERM from kill names both uids, CAP_KILL, and why SYS_PTRACE is not it") {
  Credentials self{.ruid = 1000, .euid = 1000, .suid = 1000, .fsuid = 1000};
  Credentials nginx{.ruid = 101, .euid = 101, .suid = 101, .fsuid = 101};
  nsdebug::Error perm{EPERM, "kill -HUP 12", {}, {}};
  auto e = nsdebug::explain_kill_denied(perm, self, nginx);
  CHECK(e.what == "kill -HUP 12");
  CHECK_THAT(e.why, Catch::Contains("uid 101") && Catch::Contains("uid 1000") &&
                        Catch::Contains("CAP_KILL"));
  CHECK_THAT(e.hint, Catch::Contains("runAsUser: 101") && Catch::Contains("CAP_SYS_PTRACE") &&
                         Catch::Contains("[KILL]"));
  SECTION("a matching saved uid is enough for the kernel, so something else refused") {
    Credentials setuid_nginx{.ruid = 0, .euid = 0, .suid = 1000};
    CHECK_THAT(nsdebug::explain_kill_denied(perm, self, setuid_nginx).why,
               Catch::Contains("security module"));
  }
  SECTION("holding CAP_KILL points at user namespaces") {
    self.cap_eff = std::uint64_t{1} << 5;  // CAP_KILL
    CHECK_THAT(nsdebug::explain_kill_denied(perm, self, nginx).why,
               Catch::Contains("user namespace"));
  }
}

// ---- the command line ------------------------------------------------------------

namespace {

struct CliResult {
  int code = -1;
  std::string out, err;
};

// The fd's contents since `from`, via a temporary file standing in for it.
class Captured {
 public:
  explicit Captured(int fd) : fd_(fd), saved_(::dup(fd)), file_(std::tmpfile()) {
    flush_all();  // what Catch has buffered is not ours
    ::dup2(fileno(file_), fd_);
  }
  ~Captured() { restore(); }
  std::string restore() {
    if (saved_ < 0) return text_;
    flush_all();
    ::dup2(saved_, fd_);
    ::close(saved_);
    saved_ = -1;
    std::rewind(file_);
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, file_)) > 0;) text_.append(buf, n);
    std::fclose(file_);
    return text_;
  }

 private:
  static void flush_all() {
    std::cout.flush();
    std::cerr.flush();
    std::fflush(stdout);
    std::fflush(stderr);
  }
  int fd_, saved_;
  std::FILE* file_;
  std::string text_;
};

// As main.cc parses: the kill subcommand under an app that falls through.
CliResult kill_cli(std::vector<std::string> args) {
  nsdebug::cli::Context ctx;
  CLI::App app{"nsdebug", "nsdebug"};
  app.require_subcommand(1);
  app.fallthrough();
  nsdebug::cli::setup_kill(app, ctx);
  args.insert(args.begin(), {"nsdebug", "kill"});
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  CliResult r;
  Captured out(STDOUT_FILENO), err(STDERR_FILENO);
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
    r.code = ctx.exit_code;
  } catch (const CLI::ParseError& e) {
    r.code = 2;
  }
  r.out = out.restore();
  r.err = err.restore();
  return r;
}

// This test process: the self guard refuses it, so a parsed signal is shown and never sent.
std::string self_pid() { return std::to_string(::getpid()); }

}  // namespace

TEST_CASE("kill reads -NAME, -NUMBER and -s NAME, and defaults to TERM") {
  struct Case {
    std::vector<std::string> args;
    std::string shown;
  };
  auto cases = GENERATE(values<Case>({
      {{"-HUP"}, "HUP"},
      {{"-9"}, "KILL"},
      {{"-s", "hup"}, "HUP"},
      {{"--signal=SIGUSR1"}, "USR1"},
      {{"-RTMIN+3"}, "RTMIN+3"},
      {{}, "TERM"},
  }));
  auto args = cases.args;
  args.push_back(self_pid());
  auto r = kill_cli(args);
  INFO(r.err);
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Catch::StartsWith("nsdebug: kill -" + cases.shown + " " + self_pid() + ":"));
  CHECK_THAT(r.err, Catch::Contains("this nsdebug process"));
  CHECK(r.out.empty());
}

TEST_CASE("kill rejects bad signals, bad PIDs and missing targets as usage errors") {
  auto args = GENERATE(values<std::vector<std::string>>({
      {"-HUPP", "1"},
      {"-s", "99", "1"},
      {"-9", "-HUP", "1"},
      {"-s", "KILL", "-9", "1"},
      {"abc"},
      {"0"},
      {"--", "-5"},
      {},
      {"--wait=soon", "1"},
      {"--frob", "1"},
  }));
  auto r = kill_cli(args);
  INFO(r.err);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("nsdebug: "));
}

TEST_CASE("kill -l lists names, translates numbers and names; -L adds numbers") {
  CHECK_THAT(kill_cli({"-l"}).out, Catch::StartsWith("HUP INT QUIT ILL"));
  CHECK(kill_cli({"-l", "9"}).out == "KILL\n");
  CHECK(kill_cli({"-l", "SIGHUP"}).out == "1\n");
  CHECK_THAT(kill_cli({"-L"}).out, Catch::Contains(" 9 KILL"));
  CHECK(kill_cli({"-l", "NOPE"}).code == 2);
}

TEST_CASE("a planned PID 1 answers for the signal chosen later, not the one planned with") {
  nsdebug::KillTarget init;
  init.pid = 1;
  init.init_masks = nsdebug::SignalMasks{0, (1ull << (SIGTERM - 1)) | (1ull << (SIGINT - 1))};
  CHECK(init.receives(SIGTERM) == true);
  CHECK(init.receives(SIGHUP) == false);  // the kernel drops it: no handler
  nsdebug::KillTarget other;
  other.pid = 42;
  CHECK_FALSE(other.receives(SIGHUP).has_value());
}

// ---- issue 13: the guards of nsdebug's own container, probes, and the words after "--" ------

namespace {

// A pod seen from a debug container "300" that `kubectl exec` entered: its main process is
// 12 (sleep), nsdebug runs as 20 with a parent outside the pod, so 12 is no ancestor of it.
nsdebug::Snapshot debug_pod() {
  using nsdebug::testing::proc;
  nsdebug::Snapshot s;
  s.processes = {proc(1, 0, 100, {"/pause"}), proc(6, 0, 200, {"nginx: master"}),
                 proc(12, 0, 300, {"sleep", "infinity"}), proc(13, 12, 300, {"sh"}),
                 proc(20, 0, 300, {"nsdebug", "kill", "-c", "x"})};
  nsdebug::testing::FakeProbe probe;
  s.containers = nsdebug::group_into_containers(s.processes, probe);
  return s;
}

std::string container_of(const nsdebug::Snapshot& s, pid_t pid) {
  return s.container_of(*s.find(pid))->name;
}

std::vector<pid_t> target_pids(const nsdebug::KillPlan& plan) {
  std::vector<pid_t> v;
  for (const auto& t : plan.targets) v.push_back(t.pid);
  return v;
}

}  // namespace

TEST_CASE("the main process of nsdebug's own container is guarded as PID 1 is") {
  pid_t ancestors[] = {5};
  CHECK(nsdebug::guard_reason({.pid = 12, .self = 20, .ancestors = ancestors, .own_main = 12}) ==
        GuardReason::own_main);
  CHECK(nsdebug::guard_reason({.pid = 13, .self = 20, .ancestors = ancestors, .own_main = 12}) ==
        GuardReason::none);
  // An ancestor that is also the main process (a shell nsdebug was started from) says ancestor.
  pid_t shell[] = {12};
  CHECK(nsdebug::guard_reason({.pid = 12, .self = 20, .ancestors = shell, .own_main = 12}) ==
        GuardReason::ancestor);
  auto e = nsdebug::guard_refusal({GuardReason::own_main, 12, "debug", SIGTERM, std::nullopt});
  CHECK(e.what == "kill -TERM 12");
  CHECK_THAT(e.why, Catch::Contains("main process of container 'debug'") &&
                        Catch::Contains("this nsdebug runs in"));
  CHECK_THAT(e.hint, Catch::Contains("--force"));
}

TEST_CASE("-c of nsdebug's own container lists its main process as not selected; --force includes it last") {
  auto s = debug_pod();
  std::string own = container_of(s, 20);
  nsdebug::KillSelection sel;
  sel.filter.containers = {own};
  sel.self = 20;
  auto plan = nsdebug::plan_kill(s, sel, SIGTERM);
  REQUIRE(plan);
  CHECK(target_pids(*plan) == std::vector<pid_t>{13});
  REQUIRE(plan->skipped.size() == 2);  // 12, the main process; 20, nsdebug itself
  CHECK(plan->skipped[0].first.pid == 12);
  CHECK(plan->skipped[0].second == "the main process of nsdebug's own container");
  CHECK(plan->skipped[1].first.guard == GuardReason::self);

  sel.include_guarded = true;  // --force
  auto forced = nsdebug::plan_kill(s, sel, SIGTERM);
  REQUIRE(forced);
  // The main process last: once it is signalled the runtime may end nsdebug with it.
  CHECK(target_pids(*forced) == std::vector<pid_t>{13, 12});
  CHECK(forced->targets[1].guard == GuardReason::own_main);
  REQUIRE(forced->skipped.size() == 1);  // nsdebug itself, never
  CHECK(forced->skipped[0].first.pid == 20);

  // Named by PID, it is kept with its guard: deliver refuses it without --force.
  nsdebug::KillSelection named;
  named.pids = {12};
  named.self = 20;
  auto by_pid = nsdebug::plan_kill(s, named, SIGTERM);
  REQUIRE(by_pid);
  REQUIRE(by_pid->targets.size() == 1);
  CHECK(by_pid->targets[0].guard == GuardReason::own_main);
  auto done = nsdebug::deliver(*by_pid, false, true);
  CHECK(done[0].outcome == nsdebug::DeliveryOutcome::refused);
}

TEST_CASE("-n . from nsdebug's own container leaves out its main process and the sandbox") {
  auto s = debug_pod();
  nsdebug::KillSelection sel;
  sel.filter.patterns = {"."};
  sel.self = 20;
  auto plan = nsdebug::plan_kill(s, sel, SIGTERM);
  REQUIRE(plan);
  CHECK(target_pids(*plan) == std::vector<pid_t>{6, 13});
  std::vector<pid_t> skipped;
  for (const auto& [t, why] : plan->skipped) skipped.push_back(t.pid);
  CHECK(skipped == std::vector<pid_t>{1, 12, 20});
}

TEST_CASE("signal 0 only probes: no guard refuses it") {
  auto s = debug_pod();
  nsdebug::KillSelection named;
  named.pids = {1, 12};
  named.self = 20;
  auto plan = nsdebug::plan_kill(s, named, 0);
  REQUIRE(plan);
  REQUIRE(plan->targets.size() == 2);
  for (const auto& d : nsdebug::deliver(*plan, false, true))
    CHECK(d.outcome != nsdebug::DeliveryOutcome::refused);
  // The CLI's own process probed: before, "this nsdebug process" refused it.
  auto r = kill_cli({"-0", self_pid()});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("may signal " + self_pid()));
}

TEST_CASE("kill --timeout and --wait: words, nan, inf and negatives are one-line usage errors") {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  auto c = GENERATE(values<Case>({
      {{"--timeout", "nan"}, "kill: --timeout nan: not a number of seconds"},
      {{"--timeout", "inf"}, "--timeout inf: not a finite number of seconds"},
      {{"--timeout", "-inf"}, "--timeout -inf: not a finite number of seconds"},
      {{"--timeout", "-5"}, "--timeout -5: a negative number of seconds"},
      {{"--timeout=-5"}, "--timeout -5: a negative number of seconds"},
      {{"--timeout", "abc"}, "--timeout abc: not a number of seconds"},
      {{"--timeout", "1e999"}, "--timeout 1e999: too large a number of seconds"},
      {{"--wait=nan"}, "--wait nan: not a number of seconds"},
      {{"--wait=inf"}, "--wait inf: not a finite number of seconds"},
      {{"--wait=-1"}, "--wait -1: a negative number of seconds"},
  }));
  auto args = c.args;
  args.push_back(self_pid());
  auto r = kill_cli(args);
  INFO(r.err);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("nsdebug: " + c.message.substr(c.message.find("--"))));
  CHECK(r.err.find("000000") == std::string::npos);  // no range of a double
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') <= 2);  // what: why, and a hint
}

TEST_CASE("after --, a word is a PID: kill -KILL -- -1 is no second signal") {
  auto r = kill_cli({"-KILL", "--", "-1"});
  INFO(r.err);
  CHECK(r.code == 2);
  CHECK(r.err.find("two signals") == std::string::npos);
  CHECK_THAT(r.err, Catch::StartsWith("nsdebug: kill -1: -1 means every process"));
  auto group = kill_cli({"-s", "HUP", "--", "-5"});
  CHECK(group.code == 2);
  CHECK_THAT(group.err, Catch::Contains("kill -5: process groups are not supported"));
  // Before "--" a -NUMBER is still the signal; after it, a PID.
  auto probe = kill_cli({"-0", "--", self_pid()});
  INFO(probe.err);
  CHECK(probe.code == 0);
  CHECK_THAT(probe.out, Catch::StartsWith("may signal " + self_pid()));
  auto trailing = kill_cli({"-0", self_pid(), "--"});
  CHECK(trailing.code == 0);
}

TEST_CASE("a process still running says stopped by which signal, or traced by whom") {
  std::string stat_stopped =
      "42 (sl eep) T 1 42 42 0 -1 4194560 90 0 0 0 0 0 0 0 20 0 1 0 100 2375680 131 "
      "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 19\n";
  auto h = nsdebug::parse_held_state("Name:\tsleep\nState:\tT (stopped)\nTracerPid:\t0\n",
                                     stat_stopped);
  REQUIRE(h);
  CHECK(nsdebug::describe_held(*h) == "stopped by SIGSTOP");
  auto traced = nsdebug::parse_held_state("State:\tt (tracing stop)\nTracerPid:\t77\n", "");
  REQUIRE(traced);
  CHECK(nsdebug::describe_held(*traced) == "traced by PID 77, which holds it stopped");
  auto running = nsdebug::parse_held_state("State:\tS (sleeping)\nTracerPid:\t0\n", "");
  REQUIRE(running);
  CHECK(nsdebug::describe_held(*running).empty());
  CHECK_FALSE(nsdebug::parse_held_state("Name:\tx\n", ""));
}
