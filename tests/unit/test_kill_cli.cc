// How `nsdebug kill` reads its command line (tools/kill_args.h) and what it says, run through
// the real subcommand. No process is ever signalled here: the only command lines that get past
// parsing name this test process itself, which the self guard refuses (or probe it, signal 0).
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <csignal>
#include <string>
#include <cstdio>
#include <iostream>
#include <vector>

#include "tools/command.h"

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

TEST_CASE("kill -0 of nsdebug itself probes it: signal 0 passes every guard") {
  // The CLI's own process probed: before, "this nsdebug process" refused it.
  auto r = kill_cli({"-0", self_pid()});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("may signal " + self_pid()));
}
