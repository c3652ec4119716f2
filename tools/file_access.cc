#include "tools/file_access.h"

#include "core/proc/access.h"
#include "tools/output.h"

namespace nsdebug::cli {

Error explained(Error e, pid_t pid) { return explain(std::move(e), pid); }

Result<RootedFs> open_target_root(const Target& t) {
  auto process = resolve_target(t);
  if (!process) return std::unexpected(process.error());
  auto root = RootedFs::open(*process);
  if (!root) {
    Error e = explained(root.error(), process->pid());
    if (t.pid == 0) e.what += " (container " + t.name + ")";
    return std::unexpected(std::move(e));
  }
  return root;
}

std::expected<OpenedPath, int> open_target_path(std::string_view arg) {
  auto tp = parse_target_path(arg);
  if (!tp) {
    print_error(tp.error());
    return std::unexpected(2);
  }
  auto root = open_target_root(tp->target);
  if (!root) {
    print_error(root.error());
    return std::unexpected(1);
  }
  return OpenedPath{std::move(*tp), std::move(*root)};
}

std::expected<ProcessHandle, int> resolve_target_arg(std::string_view arg) {
  auto target = parse_target(arg);
  if (!target) {
    print_error(target.error());
    return std::unexpected(2);
  }
  auto process = resolve_target(*target);
  if (!process) {
    print_error(process.error());
    return std::unexpected(1);
  }
  return std::move(*process);
}

}  // namespace nsdebug::cli
