// The network screen on a real terminal: a tmux pane running `nsdebug tui`, driven by
// send-keys and read by capture-pane. A process listening on a TCP port shows on n with its
// PID; Enter selects it in the process list (its details page, Enter again, is its own and
// names the socket as the inspect page does).
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <string>
#include <thread>

#include "run.h"
#include "core/net/socket_owners.h"
#include "core/net/socket_source.h"
#include "tui/app_state.h"
#include "tui/view.h"

using namespace std::chrono_literals;
using nsdebug::testing::run;
using Catch::Contains;

namespace {

constexpr const char* kTmux = "/usr/bin/tmux";

// A child listening on 127.0.0.1 (a port the kernel picks), named nsdbg-listener.
struct Listener {
  pid_t pid = -1;
  int port = 0;
  Listener() {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    pid = ::fork();
    if (pid == 0) {
      ::prctl(PR_SET_NAME, "nsdbg-listener");
      int s = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      socklen_t len = sizeof a;
      if (s < 0 || ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(s, 8) != 0 ||
          ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        ::_exit(1);
      int p = ntohs(a.sin_port);
      if (::write(pipe_fds[1], &p, sizeof p) != sizeof p) ::_exit(1);
      for (;;) ::pause();
    }
    ::close(pipe_fds[1]);
    REQUIRE(::read(pipe_fds[0], &port, sizeof port) == sizeof port);
    ::close(pipe_fds[0]);
  }
  ~Listener() {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
};

// `nsdebug tui` in a pane of a tmux server of its own (-L), so no other session is touched.
struct Pane {
  std::string socket = "nsdebug-it-net-" + std::to_string(::getpid());
  Pane() {
    auto r = run({kTmux, "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "t", "-x",
                  "160", "-y", "40", "env", "TERM=xterm", NSDEBUG_BIN, "tui", "--delay", "0.5"});
    INFO(r.err);
    REQUIRE(r.status == 0);
  }
  ~Pane() { run({kTmux, "-L", socket, "kill-server"}); }
  std::string screen() const { return run({kTmux, "-L", socket, "capture-pane", "-p", "-t", "t"}).out; }
  void keys(const std::string& literal) const {
    run({kTmux, "-L", socket, "send-keys", "-t", "t", "-l", literal});
  }
  void key(const std::string& name) const { run({kTmux, "-L", socket, "send-keys", "-t", "t", name}); }
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
  std::string wait_for(const std::string& text) const {
    return wait_for([&](const std::string& s) { return s.find(text) != std::string::npos; });
  }
};

// The line of `screen` holding `text` ("" when none).
std::string line_with(const std::string& screen, const std::string& text) {
  auto at = screen.find(text);
  if (at == std::string::npos) return "";
  auto begin = screen.rfind('\n', at);
  begin = begin == std::string::npos ? 0 : begin + 1;
  return screen.substr(begin, screen.find('\n', at) - begin);
}

}  // namespace

TEST_CASE("tui network: a listener shows on n with its PID and Enter selects it") {
  if (::access(kTmux, X_OK) != 0) {
    WARN("skipped: no " << kTmux << " (scripts/deps.sh installs it)");
    return;
  }
  Listener listener;
  std::string local = "127.0.0.1:" + std::to_string(listener.port);
  std::string holder = "nsdbg-listener(" + std::to_string(listener.pid) + ")";
  Pane pane;
  std::string s = pane.wait_for("COMMAND");
  INFO(s);
  REQUIRE_THAT(s, Contains("COMMAND"));
  pane.keys("n");
  // A pane is read as it is drawn: wait for the end of the row (PROCESS, the last column).
  s = pane.wait_for(holder);
  INFO(s);
  REQUIRE_THAT(s, Contains("Network of the pod"));
  std::string row = line_with(s, local);
  CHECK_THAT(row, Contains("tcp"));
  CHECK_THAT(row, Contains("LISTEN"));
  CHECK_THAT(row, Contains(holder));
  // Still there after a few refreshes (0.5 s each): the screen reads its sockets each time.
  std::this_thread::sleep_for(1200ms);
  CHECK_THAT(line_with(pane.screen(), local), Contains(holder));
  // Only this socket (the filter matches any cell: a port's digits may be in another's PID),
  // then Enter: the process list with the listener selected.
  pane.keys("/" + holder);
  pane.key("Enter");
  pane.key("Enter");
  std::string said = "PID " + std::to_string(listener.pid) + " nsdbg-listener holds tcp " + local;
  s = pane.wait_for(said);
  INFO(s);
  CHECK_THAT(s, Contains(said));
  CHECK_THAT(s, Contains("COMMAND"));
  // Enter on the selection: the details page of that very process, its socket named.
  pane.key("Enter");
  s = pane.wait_for("tcp " + local + " LISTEN");
  INFO(s);
  CHECK_THAT(s, Contains("tcp " + local + " LISTEN"));
  CHECK_THAT(s, Contains("Details of PID " + std::to_string(listener.pid)));
  pane.keys("q");
  pane.keys("q");
}

namespace {

// A child holding `pairs` accepted TCP connections to its own listener on 127.0.0.1: with the
// connecting ends, 2 * pairs + 1 sockets.
struct ManySockets {
  pid_t pid = -1;
  explicit ManySockets(int pairs) {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    pid = ::fork();
    if (pid == 0) {
      rlimit nofile{4096, 4096};
      ::setrlimit(RLIMIT_NOFILE, &nofile);
      int l = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      socklen_t len = sizeof a;
      if (::bind(l, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(l, 1024) != 0 ||
          ::getsockname(l, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        ::_exit(1);
      for (int i = 0; i < pairs; ++i) {
        int c = ::socket(AF_INET, SOCK_STREAM, 0);
        if (::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::accept(l, nullptr, nullptr) < 0)
          ::_exit(1);
      }
      char ok = 1;
      if (::write(pipe_fds[1], &ok, 1) != 1) ::_exit(1);
      for (;;) ::pause();
    }
    ::close(pipe_fds[1]);
    char ok = 0;
    REQUIRE(::read(pipe_fds[0], &ok, 1) == 1);
    ::close(pipe_fds[0]);
  }
  ~ManySockets() {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
};

double cpu_ms() {
  timespec t{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

}  // namespace

// What a refresh of the network screen costs on top of the process list's: the sock_diag
// dump, every process's descriptors, the join and the cells. Run by name: it prints figures.
TEST_CASE("tui network refresh cost at 1000 sockets", "[.bench]") {
  using namespace nsdebug;
  using namespace nsdebug::tui;
  ManySockets many(500);
  AppState app{AppOptions{}, ProcessTable(), {}, {}, {}, {}, false};
  Model m;
  REQUIRE(app.table.refresh());
  apply(m, listed(app, std::nullopt));
  fit_lists(m, {160, 40});
  Effect e = update(m, 'n');
  REQUIRE(e.kind == EffectKind::read_sockets);
  constexpr int kRounds = 20;
  double sockets_ms = 0, listeners_ms = 0, render_ms = 0;
  for (int i = 0; i < kRounds; ++i) {
    REQUIRE(app.table.refresh());
    apply(m, listed(app, std::nullopt));
    double t0 = cpu_ms();
    auto read = read_sockets(app, m);
    REQUIRE(read);
    apply(m, std::move(*read));
    double t1 = cpu_ms();
    (void)render(m, {160, 40});
    render_ms += cpu_ms() - t1;
    sockets_ms += t1 - t0;
  }
  REQUIRE(m.net.sockets.size() >= 1001);
  // Its parts: the dump, the descriptors.
  double dump_ms = 0, owners_ms = 0;
  for (int i = 0; i < kRounds; ++i) {
    double t0 = cpu_ms();
    REQUIRE(read_sockets(network_filter(m.net).kinds));
    double t1 = cpu_ms();
    (void)find_socket_owners(app.table.snapshot().processes);
    owners_ms += cpu_ms() - t1;
    dump_ms += t1 - t0;
  }
  // The container view's listeners.
  m.screen = Screen::processes;
  m.group = true;
  for (int i = 0; i < kRounds; ++i) {
    double t0 = cpu_ms();
    auto read = read_sockets(app, m);
    REQUIRE(read);
    apply(m, std::move(*read));
    listeners_ms += cpu_ms() - t0;
  }
  std::printf("network screen: %zu sockets, %zu processes: read+apply %.2f ms CPU (sock_diag %.2f, "
              "descriptors %.2f), render %.2f ms; container view listeners %.2f ms\n",
              m.net.sockets.size(), app.table.snapshot().processes.size(), sockets_ms / kRounds,
              dump_ms / kRounds, owners_ms / kRounds, render_ms / kRounds, listeners_ms / kRounds);
}
