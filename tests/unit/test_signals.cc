// Unit tests for core/signals/signals (names, /proc fields, guard decisions and their explanations).
// How `nsdebug kill` reads its command line is in test_kill_cli.cc, the guards of issue 13 in
// test_kill_guard.cc. No process is ever signalled here.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <string>
#include <vector>

#include "core/signals/kill_guard.h"
#include "core/signals/kill_plan.h"
#include "core/proc/process_handle.h"
#include "core/signals/signals.h"
#include "tools/kill_words.h"

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
  auto term = nsdebug::cli::guard_refusal({GuardReason::sandbox, 1, "sandbox", SIGTERM, true});
  CHECK(term.what == "kill -TERM 1");
  CHECK_THAT(term.why, Catch::Contains("pod sandbox") && Catch::Contains("it handles TERM") &&
                           Catch::Contains("every container"));
  CHECK_THAT(term.hint, Catch::Contains("--force"));
  auto kill = nsdebug::cli::guard_refusal({GuardReason::sandbox, 1, "sandbox", SIGKILL, false});
  CHECK_THAT(kill.why, Catch::Contains("no handler for KILL") && Catch::Contains("drop"));
  auto unknown = nsdebug::cli::guard_refusal({GuardReason::sandbox, 1, "sandbox", SIGHUP, {}});
  CHECK_THAT(unknown.why, Catch::Contains("only receives the signals it handles"));
}

TEST_CASE("a refusal to signal a PID 1 that is no sandbox names its container") {
  auto e = nsdebug::cli::guard_refusal({GuardReason::init, 1, "app", SIGTERM, true});
  CHECK_THAT(e.why, Catch::Contains("container 'app'") && Catch::Contains("stops that container"));
  auto self = nsdebug::cli::guard_refusal({GuardReason::self, 9, "", SIGHUP, {}});
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
