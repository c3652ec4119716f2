// The text pages: environment, doctor; a listing's rows; the pager's lines.
#include "tui/pages.h"

#include <dirent.h>
#include <linux/capability.h>
#include <sys/stat.h>

#include <algorithm>

#include <fmt/format.h>

#include "core/proc/access.h"
#include "core/files/file_mode.h"
#include "tui/text.h"

namespace nsdebug::tui {
namespace {

std::string error_text(const Error& e) {
  std::string s = escape_bytes(e.reason());
  if (!e.hint.empty()) s += " (hint: " + escape_bytes(e.hint) + ")";
  return s;
}

}  // namespace

std::vector<std::string> env_lines(const Result<EnvironBlock>& env, bool revealed) {
  std::vector<std::string> out;
  if (!env) {
    out.push_back("environment unreadable: " + error_text(env.error()));
    return out;
  }
  out.push_back(revealed ? "secret-looking values REVEALED (r masks them again)"
                         : "secret-looking values masked as *** (r reveals them)");
  if (env->overwritten) {
    out.push_back(std::string("note: ") + kEnvironOverwritten);
    out.push_back(std::string("hint: ") + kEnvironOverwrittenHint);
  }
  out.push_back("");
  for (const auto& e : env->entries) out.push_back(escape_bytes(e));
  return out;
}

std::vector<std::string> doctor_lines(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) {
    out.push_back(fmt::format("{:<5} {}: {}", verdict_name(f.verdict), escape_bytes(f.topic),
                              escape_bytes(f.detail)));
    if (!f.fix.empty()) out.push_back("      fix: " + escape_bytes(f.fix));
  }
  return out;
}

std::string where_line(const DoctorFacts& facts, const std::vector<Finding>& findings) {
  std::string where = facts.place == Place::node      ? "on the node"
                      : facts.place == Place::entered ? "node, inside the pod's PID namespace"
                      : facts.place == Place::unknown ? "unknown (no /proc)"
                                                      : "inside a pod";
  for (const auto& f : findings)
    if (f.kind == FindingKind::pid_namespace)
      return where + ", pid namespace: " +
             (f.verdict == Verdict::ok ? std::string("shared") : escape_bytes(f.detail));
  return where;
}

std::string verdict_line(const std::vector<Finding>& findings) {
  for (const auto& f : findings)
    if (f.verdict != Verdict::ok)
      return escape_bytes(f.topic + ": " + f.detail + (f.fix.empty() ? "" : " (d for the fix)"));
  return "";
}

std::string caps_line(std::uint64_t cap_eff) {
  std::string out;
  for (int cap : {CAP_SYS_PTRACE, CAP_KILL, CAP_SYS_ADMIN, CAP_DAC_READ_SEARCH})
    if (cap_eff & (1ull << cap)) out += (out.empty() ? "" : " ") + capability_names(1ull << cap);
  return out.empty() ? "none that matter (SYS_PTRACE, KILL)" : out;
}

DirListed list_rows(std::string path, std::vector<DirEntry> entries,
                    const std::function<std::string(uid_t)>& user,
                    const std::function<std::string(gid_t)>& group) {
  DirListed f{std::move(path), {}, {}};
  std::erase_if(entries, [](const DirEntry& e) { return e.name == "."; });
  std::ranges::sort(entries, [](const DirEntry& a, const DirEntry& b) {
    if ((a.name == "..") != (b.name == "..")) return a.name == "..";
    return a.name < b.name;
  });
  for (const auto& e : entries) {
    FileRow r;
    r.name = escape_bytes(e.name);
    if (!e.st) {
      // lstat failed: say why rather than describe a zeroed stat.
      r.error = "cannot describe: " + escape_bytes(e.st.error().reason());
      r.type = e.type == DT_DIR ? 'd' : '?';
    } else {
      r.mode = file_mode_string(e.st->st_mode);
      r.type = r.mode[0];
      r.owner = escape_bytes(user(e.st->st_uid));
      r.group = escape_bytes(group(e.st->st_gid));
      r.size = human_bytes(static_cast<std::uint64_t>(e.st->st_size));
      if (S_ISLNK(e.st->st_mode))
        r.link = e.link_target ? escape_bytes(*e.link_target)
                               : "(unreadable: " + escape_bytes(e.link_target.error().reason()) + ")";
    }
    f.rows.push_back(std::move(r));
    f.raw_names.push_back(e.name);
  }
  return f;
}

void append_text(PagerState& p, std::string_view bytes) {
  std::size_t start = 0;
  while (start <= bytes.size()) {
    std::size_t nl = bytes.find('\n', start);
    std::string_view piece = bytes.substr(start, nl == std::string_view::npos ? nl : nl - start);
    if (bytes.substr(start).empty() && nl == std::string_view::npos) break;
    std::string text = escape_bytes(piece);
    if (p.partial_line && !p.lines.empty())
      p.lines.back() += text;
    else
      p.lines.push_back(std::move(text));
    p.partial_line = nl == std::string_view::npos;
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  p.offset += bytes.size();
  set_count(p.list, p.lines.size());
}

}  // namespace nsdebug::tui
