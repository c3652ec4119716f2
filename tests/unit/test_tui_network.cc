// The TUI's network screen (n) and the container view's listening ports, over a fake pod and
// sockets made by hand, joined by core's join_sockets: no netlink, no /proc.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/net/pod_network.h"
#include "tui_world.h"

using namespace nsdebug;
using namespace nsdebug::testing;
using namespace nsdebug::tui;
using Catch::Contains;

namespace {

Endpoint inet(std::array<std::uint8_t, 4> a, std::uint16_t port) {
  Endpoint e;
  e.family = AF_INET;
  std::copy(a.begin(), a.end(), e.address.begin());
  e.port = port;
  return e;
}

Endpoint unix_path(std::string path) {
  Endpoint e;
  e.family = AF_UNIX;
  e.unix_name = std::move(path);
  return e;
}

Socket sock(Protocol p, SocketState st, Endpoint local, Endpoint peer, std::uint64_t inode) {
  Socket s;
  s.protocol = p;
  s.family = local.family;
  s.state = st;
  s.local = std::move(local);
  s.peer = std::move(peer);
  s.inode = inode;
  return s;
}

// nginx (6, 11) listens on :80 and talks to a database; top (13) listens on 127.0.0.1:9000;
// sh (12) has a UDP socket; a TIME-WAIT nobody holds; nginx's unix socket with a hostile name.
struct NetWorld : TuiWorld {
  PodNetwork net;
  NetWorld() {
    SocketList list;
    Endpoint none_v4 = inet({0, 0, 0, 0}, 0);
    list.sockets = {
        sock(Protocol::tcp, SocketState::established, inet({10, 0, 0, 5}, 43122),
             inet({10, 0, 0, 9}, 5432), 101),
        sock(Protocol::tcp, SocketState::listen, inet({0, 0, 0, 0}, 80), none_v4, 100),
        sock(Protocol::tcp, SocketState::listen, inet({127, 0, 0, 1}, 9000), none_v4, 102),
        sock(Protocol::tcp, SocketState::time_wait, inet({10, 0, 0, 5}, 80),
             inet({10, 0, 0, 7}, 5555), 0),
        sock(Protocol::udp, SocketState::close, inet({0, 0, 0, 0}, 53), none_v4, 103),
        sock(Protocol::unix_stream, SocketState::listen, unix_path("/run/\x1b[31mevil.sock"),
             unix_path(""), 104),
    };
    list.sockets[5].family = AF_UNIX;
    SocketOwners owners;
    owners.by_inode[100] = {{6, 3}, {11, 3}};
    owners.by_inode[101] = {{11, 7}};
    owners.by_inode[102] = {{13, 4}};
    owners.by_inode[103] = {{12, 5}};
    owners.by_inode[104] = {{6, 9}};
    SocketFilter every;
    every.kinds = {.tcp = true, .udp = true, .raw = true, .unix_sockets = true};
    every.states = StateFilter::all;
    net = join_sockets(std::move(list), owners, s, every);
  }
  // `n`, and the read the app carries out for it applied.
  void open() {
    REQUIRE(key('n').kind == EffectKind::read_sockets);
    REQUIRE(sockets_needed(m) == SocketNeed::network);
    apply(m, SocketsRead{SocketNeed::network, &s, net, std::nullopt});
  }
  // The rows as text: "== <container>" for a header, else "NETID LOCAL".
  std::vector<std::string> rows() const {
    std::vector<std::string> out;
    for (const NetRow& r : m.net.rows) {
      if (r.socket < 0) {
        out.push_back(r.group == kNoProcess ? "== no process" : "== " + m.net.containers[r.group]);
        continue;
      }
      const NetSocket& k = m.net.sockets[static_cast<std::size_t>(r.socket)];
      out.push_back(k.cells.netid + " " + k.cells.local);
    }
    return out;
  }
  std::string container_of(pid_t pid) const { return s.container_of(*s.find(pid))->name; }
  void select_row(const std::string& text) {
    auto all = rows();
    auto it = std::ranges::find(all, text);
    REQUIRE(it != all.end());
    move_to(m.net.list, static_cast<std::size_t>(it - all.begin()));
    m.net.selected = selected_socket(m.net)->key;
  }
};

using Rows = std::vector<std::string>;

}  // namespace

TEST_CASE("tui network groups sockets by their holder's container, listeners first") {
  NetWorld w;
  w.open();
  // TCP and UDP, every state but TIME-WAIT, as nsdebug net without options.
  CHECK(w.rows() == Rows{"== " + w.container_of(6), "tcp 0.0.0.0:80", "tcp 10.0.0.5:43122",
                         "== " + w.container_of(12), "tcp 127.0.0.1:9000", "udp 0.0.0.0:53"});
  // The cursor starts on a socket, never on a header.
  REQUIRE(selected_socket(w.m.net));
  CHECK(selected_socket(w.m.net)->cells.local == "0.0.0.0:80");
  w.key(kKeyDown);
  w.key(kKeyDown);
  CHECK(selected_socket(w.m.net)->cells.local == "127.0.0.1:9000");
}

TEST_CASE("tui network keys: l listening, a every state, t u x w kinds, / filter") {
  NetWorld w;
  w.open();
  w.keys("l");
  CHECK(w.rows() == Rows{"== " + w.container_of(6), "tcp 0.0.0.0:80", "== " + w.container_of(12),
                         "tcp 127.0.0.1:9000", "udp 0.0.0.0:53"});
  w.keys("l");
  w.keys("a");  // TIME-WAIT, held by nobody: its group is last
  CHECK(w.rows().back() == "tcp 10.0.0.5:80");
  CHECK(w.rows()[w.rows().size() - 2] == "== no process");
  w.keys("a");
  CHECK(w.rows().size() == 6);
  // A kind turned on was not read (the read had only the kinds shown): it is read now.
  CHECK(w.key('x').kind == EffectKind::read_sockets);
  CHECK(network_filter(w.m.net).kinds.unix_sockets);
  CHECK(w.rows()[2] == "unix /run/\\e[31mevil.sock");  // a listener, escaped
  CHECK(w.key('x').kind == EffectKind::none);
  w.keys("t");
  CHECK_FALSE(network_filter(w.m.net).kinds.tcp);
  CHECK(w.rows() == Rows{"== " + w.container_of(12), "udp 0.0.0.0:53"});
  w.keys("t");
  w.keys("/");
  w.keys("TOP");  // the PROCESS cell, ignoring case
  CHECK(w.rows() == Rows{"== " + w.container_of(12), "tcp 127.0.0.1:9000"});
  w.key(kKeyEnter);
  CHECK_FALSE(w.m.net.filter_prompt);
  CHECK(w.m.net.filter == "TOP");
  w.keys("/");
  w.key(kKeyEscape);
  CHECK(w.m.net.filter.empty());
  CHECK(w.rows().size() == 6);
  CHECK(w.m.screen == Screen::network);  // Esc closed the prompt, not the screen
}

TEST_CASE("tui network Enter selects the socket's first holder in the process list") {
  NetWorld w;
  w.keys("/nginx");  // the process filter hides top: Enter clears it
  w.key(kKeyEnter);
  w.open();
  w.select_row("tcp 127.0.0.1:9000");
  w.key(kKeyEnter);
  CHECK(w.m.screen == Screen::processes);
  CHECK(w.selected() == 13);
  CHECK(w.m.filter.empty());
  CHECK_THAT(w.m.status, Contains("PID 13 top holds tcp 127.0.0.1:9000"));
  // :80 is held by 6 and 11: the first.
  w.open();
  w.select_row("tcp 0.0.0.0:80");
  w.key(kKeyEnter);
  CHECK(w.selected() == 6);
  CHECK(w.m.back.empty());  // q now quits: the network screen is not under the list
}

TEST_CASE("tui network Enter on a socket nobody holds, or a holder gone, stays and says so") {
  NetWorld w;
  w.open();
  w.keys("a");
  w.select_row("tcp 10.0.0.5:80");
  w.key(kKeyEnter);
  CHECK(w.m.screen == Screen::network);
  CHECK(w.m.status_error);
  CHECK_THAT(w.m.status, Contains("no process"));
  // top exited and its PID went to another process since the sockets were read.
  w.select_row("tcp 127.0.0.1:9000");
  Snapshot next = w.s;
  for (Process& p : next.processes)
    if (p.pid == 13) p.start_ticks += 1000;
  w.m.snapshot = &next;
  w.key(kKeyEnter);
  CHECK(w.m.screen == Screen::network);
  CHECK_THAT(w.m.status, Contains("PID 13 is no longer listed"));
}

TEST_CASE("tui network selection stays on its socket across reads; q and Esc go back") {
  NetWorld w;
  w.open();
  w.select_row("udp 0.0.0.0:53");
  // The next read: a new listener sorts before it.
  PodNetwork next = w.net;
  PodSocket extra = next.sockets.front();
  extra.socket = sock(Protocol::tcp, SocketState::listen, inet({0, 0, 0, 0}, 22),
                      inet({0, 0, 0, 0}, 0), 200);
  extra.holders = {{12, 8, "sh", w.s.find(12)->container}};
  next.sockets.insert(next.sockets.begin(), extra);
  apply(w.m, SocketsRead{SocketNeed::network, &w.s, next, std::nullopt});
  CHECK(selected_socket(w.m.net)->cells.local == "0.0.0.0:53");
  // A failed read keeps what was shown, and says why.
  apply(w.m, SocketsRead{SocketNeed::network, &w.s, {}, Error{EPERM, "sock_diag", {}, {}}});
  CHECK(w.m.net.error);
  CHECK(w.rows().size() == 7);
  CHECK_THAT(w.screen(), Contains("cannot read the sockets: sock_diag"));
  w.keys("q");
  CHECK(w.m.screen == Screen::processes);
  w.open();
  w.key(kKeyEscape);
  CHECK(w.m.screen == Screen::processes);
}

TEST_CASE("tui network screen draws nsdebug net's columns, escaped, in the width") {
  NetWorld w;
  auto sh = static_cast<std::size_t>(w.s.find(12)->container);
  w.s.containers[sh].name = "bad\x1b]0;x\x07";
  w.open();
  w.keys("x");
  for (Size size : {Size{80, 24}, Size{200, 40}}) {
    Frame f = render(w.m, size);
    std::string text = f.text();
    for (const char* h : {"NETID", "STATE", "RECV-Q", "SEND-Q", "LOCAL", "PEER", "PROCESS"})
      CHECK_THAT(text, Contains(h));
    // CONTAINER gives its room to PROCESS first: the group's header names the container.
    if (size.width >= 100) CHECK_THAT(text, Contains("CONTAINER"));
    CHECK_THAT(text, Contains("LISTEN"));
    CHECK_THAT(text, Contains("nginx(6,11)"));
    CHECK_THAT(text, Contains("\\e[31mevil.sock"));
    CHECK_THAT(text, Contains("== " + w.container_of(6) + ": 3 sockets, 2 listening"));
    CHECK_THAT(text, Contains("l listening"));
    CHECK_THAT(text, Contains("== bad\\e]0;x"));
    for (const auto& l : f.lines) {
      CHECK(l.size() == static_cast<std::size_t>(size.width));
      for (unsigned char ch : l) CHECK((ch >= 0x20 && ch < 0x7f));
    }
  }
}

TEST_CASE("tui container view shows each container's listening ports, read only then") {
  NetWorld w;
  CHECK(sockets_needed(w.m) == SocketNeed::none);  // the usual view reads no socket
  CHECK(w.key('c').kind == EffectKind::read_sockets);
  REQUIRE(sockets_needed(w.m) == SocketNeed::listeners);
  SocketFilter f = listeners_filter();
  CHECK(f.states == StateFilter::listening);
  CHECK_FALSE(f.kinds.unix_sockets);
  PodNetwork listeners = w.net;
  std::erase_if(listeners.sockets, [](const PodSocket& p) {
    return !is_listening(p.socket) || is_unix(p.socket.protocol);
  });
  apply(w.m, SocketsRead{SocketNeed::listeners, &w.s, listeners, std::nullopt});
  std::string s = w.screen({120, 24});
  CHECK_THAT(s, Contains("listening: tcp 0.0.0.0:80   "));
  CHECK_THAT(s, Contains("listening: tcp 127.0.0.1:9000, udp 0.0.0.0:53"));
  // The pause container listens on nothing: no line. The cursor never rests on a port line.
  CHECK(w.pids() == std::vector<pid_t>{-1, 1, -1, -1, 11, 6, -1, -1, 13, 12});
  w.key(kKeyHome);
  w.key(kKeyDown);
  CHECK(w.selected() == 11);
  // Over the help page, and ungrouped, nothing is read.
  w.keys("?");
  CHECK(sockets_needed(w.m) == SocketNeed::none);
  w.keys("q");
  CHECK(w.key('c').kind == EffectKind::none);
  CHECK(sockets_needed(w.m) == SocketNeed::none);
}

TEST_CASE("tui help lists the network screen's keys") {
  std::string all;
  for (const auto& h : help_lines())
    if (h.screen == "Network" || h.keys == "n") all += h.keys + " ";
  for (const char* k : {"n", "/", "l", "a", "t u x w", "Enter"}) CHECK_THAT(all, Contains(k));
}
