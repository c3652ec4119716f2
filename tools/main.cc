// nsdebug's main(): guards the standard fds, builds the app from the command table
// (tools/commands.cc), parses (a usage error exits 2), runs the command (its exit code in
// Context), and flushes stdout (output that did not get out exits 1).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <iostream>
#include <system_error>

#include <CLI/CLI.hpp>

#include "tools/command.h"
#include "tools/node_mode.h"
#include "tools/output.h"

namespace nsdebug::cli {
namespace {


int usage_error(const CLI::App& app, const CLI::ParseError& e) {
  std::string where = app.get_subcommands().empty()
                          ? "nsdebug --help"
                          : "nsdebug " + app.get_subcommands().front()->get_name() + " --help";
  print_error(Error{0, "usage", e.what(), "see '" + where + "'"});
  return kExitUsage;
}

// As gnulib's stdopen: a standard descriptor the caller closed (`>&-`) gets /dev/null opened
// the wrong way round. No file we open can then land on fd 1 and take our output, and a write
// to stdout still fails (EBADF), so the lost output is reported below.
void reserve_standard_fds() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) >= 0 || errno != EBADF) continue;
    int null = ::open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
    if (null >= 0 && null != fd) {
      ::dup2(null, fd);
      ::close(null);
    }
  }
}

// Output that did not reach stdout is a failure: one line and exit 1 (as GNU tools do on
// /dev/full). A closed pipe (| head) says nothing: with SIGPIPE at its default we never get
// here, the kernel ends us as it ends ls or ps; with SIGPIPE ignored by our parent, EPIPE
// ends us quietly with 1.
int write_failed(int err) {
  if (err != EPIPE) print_error(Error{err, "write stdout", {}, {}});
  return 1;
}

// Whatever is still buffered goes out now, while we can still say that it did not.
int finish_stdout(int code) {
  errno = 0;
  bool flushed = std::fflush(stdout) == 0;
  if (int lost = lost_output()) return write_failed(lost);  // the first write that failed
  if (flushed && !std::ferror(stdout) && std::cout.good()) return code;
  return write_failed(errno ? errno : EIO);
}

int parse_and_run(CLI::App& app, int argc, char** argv, Context& ctx) {
  if (auto empty = empty_node_option(ctx.argv)) {
    print_error(Error{0, "usage", *empty, "see 'nsdebug --help'"});
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(app, e);
  }
  if (ctx.ended_on_node) return ctx.exit_code;  // node mode: the command ran in the pod
  if (app.get_subcommands().empty()) {
    if (::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO)) return run_default_tui(ctx);
    return usage_error(app, CLI::RequiredError("A subcommand"));
  }
  return ctx.exit_code;
}

}  // namespace

int run(int argc, char** argv) {
  reserve_standard_fds();
  Context ctx;
  ctx.argv = std::span<char* const>(argv, static_cast<std::size_t>(argc));
  ctx.width = stdout_terminal_width();
  ctx.stdout_is_tty = ctx.width > 0;

  CLI::App app{"nsdebug: debug the processes and files of a Kubernetes pod that shares one "
               "process namespace",
               "nsdebug"};
  build_app_for(app, ctx, std::span<const char* const>(argv + 1, argc > 0 ? argc - 1 : 0));

  int code = 0;
  try {
    code = parse_and_run(app, argc, argv, ctx);
  } catch (const std::system_error& e) {  // a write to stdout failed in fmt::print
    return write_failed(e.code().value());
  }
  return finish_stdout(code);
}

}  // namespace nsdebug::cli

int main(int argc, char** argv) { return nsdebug::cli::run(argc, argv); }
