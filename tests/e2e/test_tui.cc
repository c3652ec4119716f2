// `nsdebug tui` where its users run it: in the debug (shell) container of the pod, on a real
// terminal (a tmux pane whose command is the pod exec with a tty), driven by send-keys and read
// by capture-pane. The busybox debug container has no terminfo database at all, so every TERM
// here is one nsdebug must bring along.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "pod.h"
#include "ps_helpers.h"

using namespace nsdebug::e2e;
using namespace std::chrono_literals;
using Catch::Contains;

namespace {

constexpr const char* kTmux = "/usr/bin/tmux";

// One tmux server of its own (-L), so a developer's sessions are never touched.
class TuiSession {
 public:
  explicit TuiSession(const std::string& term) {
    run({kTmux, "-L", kSocket, "kill-server"});
    // The exit status goes to a file from a shell that waits for it: tmux at times leaves the
    // pane's process a zombie, unreaped, so #{pane_dead_status} never comes (seen under load).
    ::unlink(kStatusFile);
    std::string cmd = "sh -c '" + pod_sh() + " exec " + pod_name() + " shell -t --env TERM=" +
                      term + " -- nsdebug tui --delay 0.5; echo $? > " + kStatusFile + "'";
    // kill-server returns before the old server is gone, and a new-session that reaches the
    // dying one fails with "server exited unexpectedly" (seen in CI): try again.
    RunResult r;
    for (int attempt = 0; attempt < 20; ++attempt) {
      r = run({kTmux, "-L", kSocket, "-f", "/dev/null", "new-session", "-d", "-s", "t", "-x",
               "100", "-y", "30", cmd, ";", "set-option", "-t", "t", "remain-on-exit", "on"});
      if (r.status == 0 || r.err.find("server exited unexpectedly") == std::string::npos) break;
      std::this_thread::sleep_for(100ms);
    }
    INFO(r.err);
    REQUIRE(r.status == 0);
  }
  ~TuiSession() { run({kTmux, "-L", kSocket, "kill-server"}); }

  std::string screen() const { return tmux({"capture-pane", "-p", "-t", "t"}); }
  void keys(const std::string& literal) const { tmux({"send-keys", "-t", "t", "-l", literal}); }
  void key(const std::string& name) const { tmux({"send-keys", "-t", "t", name}); }
  void resize(int w, int h) const {
    tmux({"resize-window", "-t", "t", "-x", std::to_string(w), "-y", std::to_string(h)});
  }
  // nsdebug's exit status once it has ended ("" before).
  static std::string exit_status() {
    std::ifstream in(kStatusFile);
    std::string s;
    std::getline(in, s);
    return s;
  }
  static constexpr const char* kStatusFile = "/tmp/nsdebug-e2e-tui.status";

  std::string pane(const std::string& format) const {
    std::string s = tmux({"display-message", "-p", "-t", "t", format});
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
  }

  // Polls the pane until `done(screen)`, up to 10 s; the last screen.
  std::string wait_for(const std::function<bool(const std::string&)>& done) const {
    std::string s;
    for (int i = 0; i < 100; ++i) {
      s = screen();
      if (done(s)) break;
      std::this_thread::sleep_for(100ms);
    }
    return s;
  }
  std::string wait_for_text(const std::string& text) const {
    return wait_for([&](const std::string& s) { return s.find(text) != std::string::npos; });
  }

 private:
  static constexpr const char* kSocket = "nsdebug-e2e-tui";
  std::string tmux(std::vector<std::string> args) const {
    args.insert(args.begin(), {kTmux, "-L", kSocket});
    return run(args).out;
  }
};

// The words of the screen line that holds `text` (the process list's row).
std::vector<std::string> row_with(const std::string& screen, const std::string& text) {
  for (const auto& line : split_lines(screen))
    if (line.find(text) != std::string::npos) return split_words(line);
  return {};
}

int pid_of_argv(const json& procs, const std::string& prefix) {
  for (const auto& p : procs)
    if (joined_argv(p).rfind(prefix, 0) == 0) return p.at("pid").get<int>();
  return 0;
}

// Until nsdebug has ended and the shell around it wrote its status.
void wait_dead(TuiSession& t) {
  std::string status;
  for (int i = 0; i < 600 && status.empty(); ++i) {  // 60 s: a loaded machine
    status = TuiSession::exit_status();
    if (status.empty()) std::this_thread::sleep_for(100ms);
  }
  INFO(t.screen());
  REQUIRE_FALSE(status.empty());
}

// q, and the terminal as it was: out of the alternate screen curses drew on.
void quits_with_status_0(TuiSession& t) {
  CHECK(t.pane("#{alternate_on}") == "1");
  t.key("q");
  wait_dead(t);
  CHECK(TuiSession::exit_status() == "0");
  CHECK(t.pane("#{alternate_on}") == "0");
}

}  // namespace

TEST_CASE("tui shows nginx's processes under their container, signals, pages a file, resizes") {
  TuiSession t("screen-256color");
  std::string s = t.wait_for_text("nginx: worker process");
  INFO(s);
  auto worker_row = row_with(s, "nginx: worker process");
  auto master_row = row_with(s, "nginx: master process");
  REQUIRE(worker_row.size() > 3);
  REQUIRE(master_row.size() > 3);
  CHECK(worker_row[1] == "nginx");  // CONTAINER
  CHECK(worker_row[2] == "nginx");  // USER, as the nginx container names uid 101
  CHECK(master_row[1] == "nginx");
  CHECK(master_row[2] == "root");

  json before = nsdebug_json({"ps", "--json"});
  int master = pid_of_argv(before, "nginx: master");
  int worker = pid_of_argv(before, "nginx: worker");
  REQUIRE(master > 0);
  REQUIRE(worker > 0);

  // Filter to the master, open the kill menu, 1 jumps to HUP, Enter sends it.
  t.keys("/master");
  t.key("Enter");
  s = t.wait_for([](const std::string& x) { return x.find("nginx: worker") == std::string::npos; });
  CHECK_THAT(s, Contains("filter: master"));
  t.keys("k");
  s = t.wait_for_text("15 TERM");
  CHECK_THAT(s, Contains("Send a signal to 1 process"));
  CHECK_THAT(s, Contains("PID " + std::to_string(master)));
  t.keys("1");
  t.key("Enter");
  s = t.wait_for_text("sent HUP");
  CHECK_THAT(s, Contains("sent HUP to PID " + std::to_string(master)));

  // nginx answers HUP with new workers; the master stays.
  json after;
  for (int i = 0; i < 100; ++i) {
    after = nsdebug_json({"ps", "--json"});
    int w = pid_of_argv(after, "nginx: worker");
    if (w > 0 && w != worker) break;
    std::this_thread::sleep_for(100ms);
  }
  CHECK(pid_of_argv(after, "nginx: master") == master);
  int new_worker = pid_of_argv(after, "nginx: worker");
  CHECK(new_worker > 0);
  CHECK(new_worker != worker);

  // Files of the (selected) master: : types a path, Enter opens it in the pager.
  RunResult conf = run_nsdebug({"cat", "nginx:/etc/nginx/nginx.conf"});
  REQUIRE(conf.status == 0);
  std::string probe;
  for (const auto& line : split_lines(conf.out))
    if (line.find("worker_processes") != std::string::npos || line.find("http {") != std::string::npos) {
      probe = line;
      break;
    }
  REQUIRE(!probe.empty());
  t.keys("f");
  s = t.wait_for_text("Files of PID " + std::to_string(master));
  CHECK_THAT(s, Contains("etc"));
  t.keys(":/etc/nginx/nginx.conf");
  t.key("Enter");
  s = t.wait_for_text(probe);
  CHECK_THAT(s, Contains("/etc/nginx/nginx.conf"));
  CHECK_THAT(s, Contains(probe));

  // Resized to 80x24: a clean screen of that size; smaller: the too-small screen.
  t.keys("q");  // pager -> files
  t.keys("q");  // files -> processes
  t.resize(80, 24);
  s = t.wait_for([](const std::string& x) { return split_lines(x).size() == 24 && x.find("COMMAND") != std::string::npos; });
  auto lines = split_lines(s);
  CHECK(lines.size() == 24);
  for (const auto& l : lines) CHECK(l.size() <= 80);
  CHECK_THAT(s, Contains("PID"));
  CHECK_THAT(s, !Contains("too small"));
  t.resize(60, 20);
  s = t.wait_for_text("terminal too small: 60x20");
  CHECK_THAT(s, Contains("terminal too small: 60x20"));
  t.resize(100, 30);
  t.wait_for_text("COMMAND");
  quits_with_status_0(t);
}

TEST_CASE("tui runs with a TERM no terminfo database has, and leaves with status 0") {
  TuiSession t("xterm-nsdebug-unknown");
  std::string s = t.wait_for_text("nginx: worker process");
  INFO(s);
  CHECK_THAT(s, Contains("nginx: master process"));
  CHECK_THAT(s, Contains("using the built-in xterm"));
  quits_with_status_0(t);
}

TEST_CASE("tui takes Ctrl-C as a key that quits, with status 0 and the terminal put back") {
  TuiSession t("xterm-256color");
  t.wait_for_text("nginx: worker process");
  REQUIRE(t.pane("#{alternate_on}") == "1");
  t.key("C-c");
  wait_dead(t);
  CHECK(TuiSession::exit_status() == "0");  // SIGINT would have made it 130
  CHECK(t.pane("#{alternate_on}") == "0");
}

TEST_CASE("tui puts the terminal back when SIGTERM ends it") {
  TuiSession t("tmux-256color");
  t.wait_for_text("nginx: worker process");
  REQUIRE(t.pane("#{alternate_on}") == "1");
  RunResult k = run_nsdebug({"kill", "-TERM", "-n", "^nsdebug tui"});
  INFO(k.out << k.err);
  CHECK(k.status == 0);
  wait_dead(t);
  CHECK(TuiSession::exit_status() == "143");
  CHECK(t.pane("#{alternate_on}") == "0");
}

TEST_CASE("tui puts the terminal back when it crashes") {
  TuiSession t("xterm");
  t.wait_for_text("nginx: worker process");
  REQUIRE(t.pane("#{alternate_on}") == "1");
  RunResult k = run_nsdebug({"kill", "-SEGV", "-n", "^nsdebug tui"});
  INFO(k.out << k.err);
  CHECK(k.status == 0);
  wait_dead(t);
  CHECK(TuiSession::exit_status() != "0");
  CHECK(t.pane("#{alternate_on}") == "0");
}

TEST_CASE("tui refuses to start without a terminal, pointing at nsdebug ps") {
  RunResult r = run_nsdebug({"tui"});  // stdin is /dev/null
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Contains("stdin is not a terminal"));
  CHECK_THAT(r.err, Contains("nsdebug ps"));
}
