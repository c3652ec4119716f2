#include "core/node/pod_channel.h"

#include <sys/socket.h>

#include <cstring>

#include <fmt/format.h>

namespace nsdebug {
namespace {

constexpr std::size_t kMaxFds = 4;
constexpr std::size_t kMaxBody = 64 * 1024;

}  // namespace

Result<void> send_pod_message(int sock, PodMessage kind, std::string_view body,
                              std::span<const int> fds) {
  std::uint32_t tag = static_cast<std::uint32_t>(kind);
  iovec iov[2] = {{&tag, sizeof tag}, {const_cast<char*>(body.data()), body.size()}};
  msghdr msg{};
  msg.msg_iov = iov;
  msg.msg_iovlen = 2;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)] = {};
  if (!fds.empty()) {
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
  }
  ssize_t n;
  do {
    n = ::sendmsg(sock, &msg, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return fail_errno("node mode: send to the other half");
  return {};
}

Result<PodMessageIn> receive_pod_message(int sock) {
  std::string buf(sizeof(std::uint32_t) + kMaxBody, '\0');
  iovec iov{buf.data(), buf.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)] = {};
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return fail_errno("node mode: receive from the other half");
  PodMessageIn in;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (std::size_t i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      in.fds.emplace_back(fd);
    }
  }
  if (n == 0) return fail(ENODATA, "node mode", "the other half has gone");
  if (static_cast<std::size_t>(n) < sizeof(std::uint32_t) || (msg.msg_flags & MSG_TRUNC))
    return fail(EPROTO, "node mode", "a malformed message from the other half");
  std::uint32_t tag;
  std::memcpy(&tag, buf.data(), sizeof tag);
  in.kind = static_cast<PodMessage>(tag);
  in.body = buf.substr(sizeof tag, static_cast<std::size_t>(n) - sizeof tag);
  return in;
}

std::string join_fields(std::span<const std::string> fields) {
  std::string out;
  for (const auto& f : fields) {
    out += f;
    out += '\0';
  }
  return out;
}

std::vector<std::string> split_fields(std::string_view body) {
  std::vector<std::string> out;
  while (!body.empty()) {
    auto end = body.find('\0');
    out.emplace_back(body.substr(0, end));
    if (end == std::string_view::npos) break;
    body.remove_prefix(end + 1);
  }
  return out;
}

std::string encode_error(const Error& e) {
  std::string fields[] = {std::to_string(e.code), e.what, e.why, e.hint};
  return join_fields(fields);
}

Error decode_error(std::string_view body) {
  auto f = split_fields(body);
  f.resize(4);
  Error e{0, f[1], f[2], f[3]};
  e.code = std::atoi(f[0].c_str());
  return e;
}

}  // namespace nsdebug
