// nsdebug net against iproute2's ss in a network namespace the test makes
// (tests/integration/net/scene.py): every socket ss -tuanpH and ss -xanpH list appears with the
// same state, queues, addresses and holding PIDs, and nothing else. Then what ss does not do:
// escaped hostile unix paths, the /proc/net fallback when netlink is refused, the summary's
// verdicts, and sockets coming and going during a scan.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <stdlib.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run.h"

using nsdebug::testing::Ran;
using nsdebug::testing::run_shell;

namespace {

// The scene in its own network namespace, for one test: `commands` run beside it with $net
// (nsenter into its namespace), $nsdebug and $dir set, each writing files into $dir.
struct Scene {
  std::string dir;
  Ran ran;
  std::string file(const std::string& name) const {
    std::ifstream in(dir + "/" + name, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

Scene run_scene(const std::string& commands) {
  char templ[] = "/tmp/nsdebug-net-XXXXXX";
  Scene s{::mkdtemp(templ), {}};
  s.ran = run_shell("dir=" + s.dir + " nsdebug=" NSDEBUG_BIN " no_netlink=" NO_NETLINK_BIN R"sh(
unshare --net bash -c 'ip link set lo up && exec python3 )sh" NET_SCENE R"sh( "$0"' "$dir" &
scene=$!
trap 'pkill -KILL -P $scene; kill -KILL $scene' EXIT
for i in $(seq 200); do [ -e "$dir/ready" ] && break; sleep 0.05; done
[ -e "$dir/ready" ] || { echo "scene: not ready"; exit 1; }
net="nsenter --net=/proc/$scene/ns/net"
echo "scene=$scene"
)sh" + commands);
  return s;
}

std::set<int> pids_in(const std::string& users) {
  std::set<int> out;
  static const std::regex pid_re(R"(pid=(\d+))");
  for (std::sregex_iterator it(users.begin(), users.end(), pid_re), end; it != end; ++it)
    out.insert(std::stoi((*it)[1]));
  return out;
}

std::string pid_list(const std::set<int>& pids) {
  std::string out;
  for (int p : pids) out += std::to_string(p) + ",";
  return out;
}

// "tcp LISTEN 0 16 127.0.0.1:36781 0.0.0.0:* users:((...))" as one comparable key.
std::multiset<std::string> ss_inet(const std::string& text) {
  std::multiset<std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream w(line);
    std::string netid, state, rq, sq, local, peer, users;
    w >> netid >> state >> rq >> sq >> local >> peer;
    std::getline(w, users);
    if (!peer.empty())
      out.insert(netid + " " + state + " " + rq + " " + sq + " " + local + " " + peer + " " + pid_list(pids_in(users)));
  }
  return out;
}

// "u_str ESTAB 0 0 /path with spaces 12345 * 12346 users:((...))": keyed by inode, names aside.
std::multiset<std::string> ss_unix(const std::string& text) {
  std::multiset<std::string> out;
  static const std::regex line_re(R"(^(u_str|u_dgr|u_seq)\s+(\S+)\s+(\d+)\s+(\d+)\s+.*?\s*(\d+)\s+\S+\s+(\d+)\s*(users:.*)?$)");
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, line_re)) continue;
    std::string type = m[1] == "u_str" ? "stream" : m[1] == "u_dgr" ? "dgram" : "seqpacket";
    out.insert(type + " " + m[2].str() + " " + m[3].str() + " " + m[4].str() + " " + m[5].str() + " " +
               m[6].str() + " " + pid_list(pids_in(m[7].str())));
  }
  return out;
}

std::string endpoint_text(const nlohmann::json& e) {
  std::string port = e["port"] == 0 ? "*" : std::to_string(e["port"].get<int>());
  std::string address = e["address"];
  return address.find(':') != std::string::npos ? "[" + address + "]:" + port : address + ":" + port;
}

std::set<int> holder_pids(const nlohmann::json& holders) {
  std::set<int> out;
  for (const auto& h : holders) out.insert(h["pid"].get<int>());
  return out;
}

struct Ours {
  std::multiset<std::string> inet, unix_sockets;
};

// With `queues` false (the /proc/net fallback), a listener's SEND-Q (its backlog) is left out.
Ours ours_from(const std::string& json_text, bool queues = true) {
  Ours out;
  auto j = nlohmann::json::parse(json_text);
  for (const auto& s : j["sockets"]) {
    std::string netid = s["netid"];
    std::string pids = pid_list(holder_pids(s["processes"]));
    std::string q = std::to_string(s["recv_q"].get<unsigned>()) + " " +
                    (queues || s["state"] != "LISTEN" ? std::to_string(s["send_q"].get<unsigned>()) : "?");
    if (netid == "unix") {
      auto peer = s["peer_inode"].is_null() ? 0 : s["peer_inode"].get<std::uint64_t>();
      out.unix_sockets.insert(s["type"].get<std::string>() + " " + s["state"].get<std::string>() + " " + q + " " +
                              std::to_string(s["inode"].get<std::uint64_t>()) + " " + std::to_string(peer) + " " + pids);
    } else {
      netid = netid.substr(0, 3);  // ss says tcp for tcp6: the address tells
      out.inet.insert(netid + " " + s["state"].get<std::string>() + " " + q + " " + endpoint_text(s["local"]) +
                      " " + endpoint_text(s["peer"]) + " " + pids);
    }
  }
  return out;
}

std::string joined(const std::multiset<std::string>& s) {
  std::string out;
  for (const auto& line : s) out += "  " + line + "\n";
  return out;
}

std::multiset<std::string> without_listener_backlog(const std::multiset<std::string>& ss) {
  std::multiset<std::string> out;
  for (std::string line : ss) {
    std::istringstream w(line);
    std::string netid, state, rq, sq;
    w >> netid >> state >> rq >> sq;
    if (state == "LISTEN") line = netid + " " + state + " " + rq + " ?" + line.substr(netid.size() + state.size() + rq.size() + sq.size() + 3);
    out.insert(line);
  }
  return out;
}

}  // namespace

TEST_CASE("net: every socket ss lists, with the same state, queues, addresses and holders") {
  // ss and nsdebug read a moment apart: a difference must hold in every round (up to four),
  // as a SYN retried to the full listener may move a queue in between.
  Scene s = run_scene(R"sh(
for round in 1 2 3 4; do
  $net ss -tuanpH > $dir/ss_inet.$round; $net ss -xanpH > $dir/ss_unix.$round
  $net $nsdebug net -a -t -u -x --json > $dir/ours.$round 2> $dir/err.$round || echo "rc=$?"
done)sh");
  INFO(s.ran.out << s.ran.err);
  REQUIRE(s.ran.status == 0);
  bool inet_same = false, unix_same = false;
  std::string report;
  for (int round = 1; round <= 4 && !(inet_same && unix_same); ++round) {
    auto r = std::to_string(round);
    Ours ours = ours_from(s.file("ours." + r));
    auto ss_i = ss_inet(s.file("ss_inet." + r));
    auto ss_u = ss_unix(s.file("ss_unix." + r));
    inet_same = inet_same || ours.inet == ss_i;
    unix_same = unix_same || ours.unix_sockets == ss_u;
    report = "ss inet:\n" + joined(ss_i) + "ours:\n" + joined(ours.inet) + "ss unix:\n" + joined(ss_u) +
             "ours:\n" + joined(ours.unix_sockets) + "stderr: " + s.file("err." + r);
    // The scene holds every kind it promises: a test that compares two empty lists proves nothing.
    CHECK(ss_i.size() >= 15);
    CHECK(ss_u.size() >= 6);
  }
  INFO(report);
  CHECK(inet_same);
  CHECK(unix_same);
  for (const char* state : {"LISTEN", "ESTAB", "TIME-WAIT", "CLOSE-WAIT", "FIN-WAIT-2", "SYN-SENT", "UNCONN"})
    CHECK(report.find(std::string(" ") + state + " ") != std::string::npos);
}

TEST_CASE("net: a hostile unix path is escaped in the table and exact in JSON; peers named") {
  Scene s = run_scene(R"sh(
$net $nsdebug net -x > $dir/table 2>&1
$net $nsdebug net -x --json > $dir/json
python3 -c 'import base64,sys,os; print(base64.b64encode(os.fsencode(sys.argv[1]) + b"/app \x1b[31m\xff.sock").decode())' "$dir" > $dir/path.b64)sh");
  INFO(s.ran.out << s.ran.err);
  auto table = s.file("table");
  INFO(table);
  CHECK(table.find('\x1b') == std::string::npos);
  CHECK(table.find('\xff') == std::string::npos);
  CHECK(table.find("/app \\e[31m\\xff.sock") != std::string::npos);
  CHECK(table.find("@nsdebug-test-abstract") != std::string::npos);
  auto j = nlohmann::json::parse(s.file("json"));
  std::string want = s.file("path.b64");
  want.erase(want.find_last_not_of('\n') + 1);
  int found = 0, peers = 0;
  for (const auto& sock : j["sockets"]) {
    if (sock["local"].is_object() && sock["local"].value("path_b64", "") == want) ++found;
    // The connected pair through the path: each end names the other's holders (the scene and
    // its forked child).
    if (sock["state"] == "ESTAB" && sock["peer_processes"].size() == 2) ++peers;
  }
  CHECK(found >= 2);  // the listener and the connection it accepted
  CHECK(peers >= 4);  // that pair and the socketpair, both ends each
}

TEST_CASE("net: netlink refused: says so, reads /proc/net, and still agrees with ss") {
  Scene s = run_scene(R"sh(
$net ss -tuanpH > $dir/ss_inet
$net $no_netlink $nsdebug net -a --json > $dir/json 2> $dir/json_err
$net $no_netlink $nsdebug net -l > $dir/table 2> $dir/table_err; echo "table rc=$?")sh");
  INFO(s.ran.out << s.ran.err);
  auto j = nlohmann::json::parse(s.file("json"));
  CHECK(j["source"] == "/proc/net");
  CHECK(j["netlink_refused"].get<std::string>().find("not permitted") != std::string::npos);
  CHECK(s.ran.out.find("table rc=0") != std::string::npos);
  auto err = s.file("table_err");
  INFO(err);
  CHECK(err.find("nsdebug: net: sock_diag refused") == 0);
  CHECK(err.find("hint: allow AF_NETLINK") != std::string::npos);
  Ours ours = ours_from(s.file("json"), false);
  auto ss_i = without_listener_backlog(ss_inet(s.file("ss_inet")));
  INFO("ss:\n" << joined(ss_i) << "ours:\n" << joined(ours.inet));
  CHECK(ours.inet == ss_i);
}

TEST_CASE("net: filters, and the summary flags the listener that never accepts") {
  Scene s = run_scene(R"sh(
$net $nsdebug net -l --no-headers > $dir/listening
child=$(pgrep -P $scene python3)
$net $nsdebug net -p $child --json > $dir/child
$net $nsdebug net --summary > $dir/summary
$net $nsdebug net --summary --json > $dir/summary_json
$net $nsdebug net -p 999999 > $dir/nopid 2>&1; echo "nopid rc=$?"
$net $nsdebug net -c no-such-container > $dir/nocontainer 2>&1; echo "nocontainer rc=$?"
$net $nsdebug net --port 0 > $dir/badport 2>&1; echo "badport rc=$?")sh");
  INFO(s.ran.out << s.ran.err);
  auto listening = s.file("listening");
  INFO(listening);
  std::istringstream lines(listening);
  int rows = 0;
  for (std::string line; std::getline(lines, line); ++rows)
    CHECK((line.find(" LISTEN ") != std::string::npos || line.find(" UNCONN ") != std::string::npos));
  CHECK(rows >= 5);
  auto child = nlohmann::json::parse(s.file("child"));
  CHECK(child["sockets"].size() >= 5);
  auto summary = s.file("summary");
  INFO(summary);
  CHECK(summary.find("! accept queue of tcp 127.0.0.1:") != std::string::npos);
  CHECK(summary.find("is full (2 of 1)") != std::string::npos);
  auto sj = nlohmann::json::parse(s.file("summary_json"));
  CHECK(std::ranges::any_of(sj["verdicts"], [](const auto& v) { return v["kind"] == "accept_queue_full"; }));
  CHECK(s.ran.out.find("nopid rc=1") != std::string::npos);
  CHECK(s.file("nopid").find("nsdebug: pid 999999: no such process in this pod") == 0);
  CHECK(s.ran.out.find("nocontainer rc=1") != std::string::npos);
  CHECK(s.file("nocontainer").find("hint: containers here:") != std::string::npos);
  CHECK(s.ran.out.find("badport rc=2") != std::string::npos);
}

TEST_CASE("net: 10,000 sockets, and sockets and processes coming and going during scans") {
  Ran r = run_shell("export nsdebug=" NSDEBUG_BIN R"sh(
unshare --net bash -c '
ip link set lo up
python3 - <<PY &
import socket, resource
resource.setrlimit(resource.RLIMIT_NOFILE, (12000, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(4096)
keep = []
for _ in range(5000):
    c = socket.create_connection(srv.getsockname()); keep.append(c); keep.append(srv.accept()[0])
open("/tmp/nsdebug-net-many.ready", "w").close()
import time; time.sleep(60)
PY
sleep 0.2
# Churn: connections opened and closed, processes born and gone, while nsdebug reads.
( while :; do python3 -c "import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); s.listen()" ; done ) &
churn=$!
for i in $(seq 100); do [ -e /tmp/nsdebug-net-many.ready ] && break; sleep 0.1; done
echo "ss=$(ss -tanH | wc -l)"
echo "ours=$($nsdebug net -a -t --no-headers | wc -l)"
for i in $(seq 10); do $nsdebug net -a -t -x >/dev/null || echo "failed rc=$?"; done
kill -KILL $churn; pkill -KILL -P $$ python3
' ; rm -f /tmp/nsdebug-net-many.ready)sh");
  INFO(r.out << r.err);
  CHECK(r.out.find("failed") == std::string::npos);
  auto count = [&](const std::string& key) {
    auto at = r.out.find(key + "=");
    return at == std::string::npos ? -1 : std::stoi(r.out.substr(at + key.size() + 1));
  };
  CHECK(count("ss") >= 10001);
  // The churn's listeners come and go between the two reads: a few either way.
  CHECK(std::abs(count("ours") - count("ss")) <= 4);
}
