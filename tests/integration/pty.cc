#include "pty.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

extern char** environ;

namespace nsdebug::testing {
namespace {

std::vector<char*> c_strings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

int status_of(int raw) { return WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw); }

}  // namespace

PtyRun::PtyRun(const std::vector<std::string>& argv, const std::vector<std::string>& env, int cols,
               int rows) {
  master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master_ < 0 || ::grantpt(master_) < 0 || ::unlockpt(master_) < 0)
    throw std::runtime_error("posix_openpt");
  // Kept open here too: the mode the child leaves behind stays readable after it exited.
  slave_ = ::open(::ptsname(master_), O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave_ < 0) throw std::runtime_error("open the pty slave");
  winsize ws{static_cast<unsigned short>(rows), static_cast<unsigned short>(cols), 0, 0};
  ::ioctl(slave_, TIOCSWINSZ, &ws);
  ::tcgetattr(slave_, &before_);
  auto args = c_strings(argv);
  auto envp = c_strings(env);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork");
  if (pid_ == 0) {
    ::setsid();
    ::ioctl(slave_, TIOCSCTTY, 0);
    for (int fd = 0; fd <= 2; ++fd) ::dup2(slave_, fd);
    ::execve(args[0], args.data(), envp.data());
    _exit(127);
  }
}

PtyRun::~PtyRun() {
  if (status_ < 0 && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  ::close(slave_);
  ::close(master_);
}

bool PtyRun::read_some(int timeout_ms) {
  pollfd p{master_, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0 || !(p.revents & POLLIN)) return false;
  char buf[65536];
  ssize_t n = ::read(master_, buf, sizeof buf);
  if (n <= 0) return false;
  out_.append(buf, static_cast<std::size_t>(n));
  return true;
}

bool PtyRun::wait_for(const std::string& text, std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (out_.find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() >= end) return false;
    read_some(20);
  }
  return true;
}

void PtyRun::send(const std::string& keys) {
  (void)!::write(master_, keys.data(), keys.size());
}

int PtyRun::wait_exit(std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (status_ < 0) {
    int raw = 0;
    if (::waitpid(pid_, &raw, WNOHANG) == pid_) {
      status_ = status_of(raw);
      break;
    }
    if (std::chrono::steady_clock::now() >= end) return -1;
    read_some(20);
  }
  while (read_some(0)) {
  }  // what it wrote last, the terminal's reset among it
  return status_;
}

termios PtyRun::mode_now() const {
  termios t{};
  ::tcgetattr(slave_, &t);
  return t;
}

std::vector<std::string> environment(const std::vector<std::string>& drop,
                                     const std::vector<std::string>& add) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    std::string var(*e);
    std::string name = var.substr(0, var.find('='));
    bool dropped = false;
    for (const auto& d : drop) dropped = dropped || d == name;
    for (const auto& a : add) dropped = dropped || a.substr(0, a.find('=')) == name;
    if (!dropped) out.push_back(var);
  }
  out.insert(out.end(), add.begin(), add.end());
  return out;
}

}  // namespace nsdebug::testing
