// core/net/fd_target: a descriptor's link named as threads and trace show it. (Against real
// descriptors: the integration test test_threads.cc.)
#include <catch2/catch.hpp>

#include <arpa/inet.h>

#include "core/net/fd_target.h"

using namespace nsdebug;

TEST_CASE("fd links: paths, pipes and anonymous inodes keep the kernel's words") {
  CHECK(describe_fd_link("/var/log/app.log", nullptr, std::nullopt) == "/var/log/app.log");
  CHECK(describe_fd_link("pipe:[123]", nullptr, std::nullopt) == "pipe:[123]");
  CHECK(describe_fd_link("anon_inode:[eventfd]", nullptr, std::nullopt) == "eventfd");
  CHECK(describe_fd_link("anon_inode:[timerfd]", nullptr, std::nullopt) == "timerfd");
  CHECK(describe_fd_link("anon_inode:[signalfd]", nullptr, std::nullopt) == "signalfd");
  CHECK(describe_fd_link("anon_inode:inotify", nullptr, std::nullopt) == "inotify");
  // Not in the socket table (another namespace's, or closed since): the link itself.
  CHECK(describe_fd_link("socket:[99]", nullptr, std::nullopt) == "socket:[99]");
  // A target's path is raw bytes: not escaped here.
  CHECK(describe_fd_link("/tmp/a\x1b[31m", nullptr, std::nullopt) == "/tmp/a\x1b[31m");
}

TEST_CASE("fd links: an epoll set with the count of its targets") {
  CHECK(describe_fd_link("anon_inode:[eventpoll]", nullptr, 3) == "epoll: 3 fds");
  CHECK(describe_fd_link("anon_inode:[eventpoll]", nullptr, 1) == "epoll: 1 fd");
  CHECK(describe_fd_link("anon_inode:[eventpoll]", nullptr, std::nullopt) == "epoll");
  std::string fdinfo =
      "pos:\t0\nflags:\t02\nmnt_id:\t15\nino:\t1057\n"
      "tfd:        5 events:       19 data:                5  pos:0 ino:2a1 sdev:c\n"
      "tfd:        6 events:       19 data:                6  pos:0 ino:2a2 sdev:c\n";
  CHECK(count_epoll_targets(fdinfo) == 2);
  CHECK(count_epoll_targets("pos:\t0\nflags:\t02\n") == 0);
  CHECK(count_epoll_targets("") == 0);
}

TEST_CASE("fd links: a socket as core/net names it") {
  CHECK(socket_link_inode("socket:[12345]") == 12345);
  CHECK(socket_link_inode("socket:[12x]") == 0);
  CHECK(socket_link_inode("pipe:[12]") == 0);
  CHECK(socket_link_inode("/socket:[1]") == 0);
  Socket s;
  s.protocol = Protocol::tcp;
  s.family = AF_INET;
  s.state = SocketState::established;
  s.local.family = s.peer.family = AF_INET;
  inet_pton(AF_INET, "10.0.0.5", s.local.address.data());
  inet_pton(AF_INET, "10.0.0.9", s.peer.address.data());
  s.local.port = 43122;
  s.peer.port = 5432;
  CHECK(describe_fd_link("socket:[7]", &s, std::nullopt) == describe_socket(s));
  CHECK(describe_socket(s) == "tcp 10.0.0.5:43122 -> 10.0.0.9:5432 ESTAB");
}
