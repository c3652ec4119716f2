#include "core/proc/proc_parse.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace nsdebug {
namespace {

// Text comes from other processes (or from a pod's /etc/passwd): every helper
// must tolerate anything, so all of them report failure instead of throwing.

template <typename F>
void for_each_line(std::string_view text, F&& on_line) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    on_line(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

// Keeps empty fields: mountinfo prints an empty source as two spaces, and
// dropping it would shift every later field.
std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const auto pos = text.find(sep, start);
    out.push_back(text.substr(start, pos - start));
    if (pos == std::string_view::npos) return out;
    start = pos + 1;
  }
}

std::vector<std::string_view> split_nonempty(std::string_view text, char sep) {
  auto parts = split(text, sep);
  std::erase_if(parts, [](std::string_view p) { return p.empty(); });
  return parts;
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

// Whole-token only: "12abc" is malformed, not 12.
template <typename T>
std::optional<T> parse_number(std::string_view s, int base = 10) {
  T value{};
  const auto* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, value, base);
  if (s.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

// status separates values with tabs; any malformed token spoils the line.
template <typename T>
std::optional<std::vector<T>> parse_numbers(std::string_view s) {
  std::vector<T> out;
  for (auto token : split(s, '\t')) {
    token = trim(token);
    if (token.empty()) continue;
    const auto n = parse_number<T>(token);
    if (!n) return std::nullopt;
    out.push_back(*n);
  }
  return out;
}

bool is_octal(char c) { return c >= '0' && c <= '7'; }

// The kernel mangles ' ', '\t', '\n' and '\\' in mountinfo paths as \ooo.
std::string decode_octal(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3' &&
        is_octal(s[i + 2]) && is_octal(s[i + 3])) {
      const int v = (s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0');
      out.push_back(static_cast<char>(v));
      i += 3;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// status escapes only '\n' and '\\' in Name (seq_escape_str with "\n\\").
std::string decode_task_name(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == 'n' || s[i + 1] == '\\')) {
      out.push_back(s[i + 1] == 'n' ? '\n' : '\\');
      ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool all_of(std::string_view s, bool (*pred)(char)) {
  return std::all_of(s.begin(), s.end(), pred);
}

// Runtime ids are 64 hex digits; 32 is the floor so that short hex-looking
// directory names ("cafe", "beef") are never taken for containers.
bool is_container_id(std::string_view s) { return s.size() >= 32 && all_of(s, is_lower_hex); }

// Regular pods have a 36-char UUID; static pods a 32-hex config hash.
bool is_pod_uid(std::string_view s) {
  return s.size() >= 32 &&
         all_of(s, [](char c) { return is_lower_hex(c) || c == '-' || c == '_'; });
}

std::string_view strip_suffix(std::string_view s, std::string_view suffix) {
  if (s.ends_with(suffix)) s.remove_suffix(suffix.size());
  return s;
}

// ---- cgroup path -> runtime id ---------------------------------------------

struct IdMatch {
  std::string_view runtime;
  std::string_view id;
};

// "-conmon-" ids are not hex, so conmon scopes (crio-conmon-, libpod-conmon-)
// fall through without a special case.
std::optional<IdMatch> match_prefixed(std::string_view seg) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kPrefixes{{
      {"cri-containerd-", "containerd"},
      {"crio-", "cri-o"},
      {"docker-", "docker"},
      {"libpod-", "podman"},
  }};
  seg = strip_suffix(seg, ".scope");
  for (const auto& [prefix, runtime] : kPrefixes) {
    if (!seg.starts_with(prefix)) continue;
    const auto id = seg.substr(prefix.size());
    if (is_container_id(id)) return IdMatch{runtime, id};
  }
  return std::nullopt;
}

// "pod<uid>" (cgroupfs) or "kubepods-<qos>-pod<uid>.slice" (systemd, '_' for '-').
std::optional<std::string> pod_uid_of(std::string_view seg) {
  if (seg.ends_with(".slice")) {
    seg = strip_suffix(seg, ".slice");
    seg = seg.substr(seg.rfind('-') + 1);  // npos + 1 == 0: whole segment
  }
  if (!seg.starts_with("pod")) return std::nullopt;
  seg.remove_prefix(3);
  if (!is_pod_uid(seg)) return std::nullopt;
  std::string uid(seg);
  std::replace(uid.begin(), uid.end(), '_', '-');
  return uid;
}

bool under_kubepods(const std::vector<std::string_view>& segs, std::size_t i) {
  return std::any_of(segs.begin(), segs.begin() + static_cast<std::ptrdiff_t>(i),
                     [](std::string_view s) { return s == "kubepods" || s == "kubepods.slice"; });
}

// A bare id only counts under a parent that vouches for it; this host's own
// "/process_api/<32 hex>" shows a hex name alone proves nothing.
std::optional<IdMatch> match_bare(const std::vector<std::string_view>& segs, std::size_t i) {
  if (i == 0 || !is_container_id(segs[i])) return std::nullopt;
  const auto parent = segs[i - 1];
  if (parent == "..") return IdMatch{"", segs[i]};  // private cgroup namespace
  if (parent == "docker") return IdMatch{"docker", segs[i]};
  if (pod_uid_of(parent)) return IdMatch{under_kubepods(segs, i) ? "kubepods" : "", segs[i]};
  return std::nullopt;
}

std::optional<RuntimeId> runtime_id_from_path(std::string_view path) {
  // v2 marks a removed cgroup (a dying container's zombies) this way.
  const auto segs = split_nonempty(strip_suffix(path, " (deleted)"), '/');
  // Deepest first: a container's own sub-cgroups (".../crio-<id>.scope/container",
  // "/docker/<id>/init.scope") and nested runtimes resolve to the innermost one.
  for (std::size_t i = segs.size(); i-- > 0;) {
    auto m = match_prefixed(segs[i]);
    if (!m) m = match_bare(segs, i);
    if (!m) continue;
    RuntimeId r{std::string(m->runtime), std::string(m->id), {}};
    for (std::size_t j = i; j-- > 0;) {
      if (auto uid = pod_uid_of(segs[j])) {
        r.pod_uid = std::move(*uid);
        break;
      }
    }
    return r;
  }
  return std::nullopt;
}

std::optional<CgroupLine> parse_cgroup_line(std::string_view line) {
  const auto c1 = line.find(':');
  if (c1 == std::string_view::npos) return std::nullopt;
  const auto c2 = line.find(':', c1 + 1);
  if (c2 == std::string_view::npos) return std::nullopt;
  const auto hierarchy = parse_number<int>(line.substr(0, c1));
  // Paths may contain ':'; everything after the second colon is the path.
  const auto path = line.substr(c2 + 1);
  if (!hierarchy || !path.starts_with('/')) return std::nullopt;
  return CgroupLine{*hierarchy, std::string(line.substr(c1 + 1, c2 - c1 - 1)), std::string(path)};
}

// ---- status ----------------------------------------------------------------

template <typename T>
bool assign_four(std::string_view value, T& r, T& e, T& s, T& fs) {
  const auto ids = parse_numbers<T>(value);
  if (!ids || ids->size() != 4) return false;
  r = (*ids)[0], e = (*ids)[1], s = (*ids)[2], fs = (*ids)[3];
  return true;
}

void assign_hex(std::string_view value, std::uint64_t& out) {
  if (const auto v = parse_number<std::uint64_t>(trim(value), 16)) out = *v;
}

// Returns true when the line was a well-formed Uid line.
bool apply_status_field(StatusIds& s, std::string_view key, std::string_view value) {
  if (key == "Uid") return assign_four(value, s.ruid, s.euid, s.suid, s.fsuid);
  if (key == "Gid") {
    assign_four(value, s.rgid, s.egid, s.sgid, s.fsgid);
  } else if (key == "NSpid") {
    if (auto pids = parse_numbers<pid_t>(value); pids && !pids->empty()) s.nspid = std::move(*pids);
  } else if (key == "CapEff") {
    assign_hex(value, s.cap_eff);
  } else if (key == "CapPrm") {
    assign_hex(value, s.cap_prm);
  } else if (key == "CapBnd") {
    assign_hex(value, s.cap_bnd);
  } else if (key == "State") {
    if (const auto v = trim(value); !v.empty()) s.state = v.front();
  } else if (key == "Name") {
    // Only the separator tab goes: a task name may itself start with a blank.
    if (value.starts_with('\t')) value.remove_prefix(1);
    s.name = decode_task_name(value);
  }
  return false;
}

// ---- mountinfo -------------------------------------------------------------

std::optional<MountEntry> parse_mount_line(std::string_view line) {
  const auto f = split(line, ' ');
  if (f.size() < 10) return std::nullopt;  // 6 fixed, "-", 3 fixed
  const auto id = parse_number<int>(f[0]);
  const auto parent = parse_number<int>(f[1]);
  if (!id || !parent) return std::nullopt;
  // Optional fields (shared:N master:N ...) run up to a lone "-".
  std::size_t sep = 6;
  while (sep < f.size() && f[sep] != "-") ++sep;
  if (sep + 3 >= f.size()) return std::nullopt;
  MountEntry m;
  m.id = *id;
  m.parent = *parent;
  m.root = decode_octal(f[3]);
  m.mount_point = decode_octal(f[4]);
  m.options = std::string(f[5]);
  m.fstype = std::string(f[sep + 1]);
  m.source = decode_octal(f[sep + 2]);
  m.super_options = std::string(f[sep + 3]);
  return m;
}

// The kubelet names the file with random hex ("8c2a91f0"); harnesses often use "0".
bool is_hex_name(std::string_view s) { return !s.empty() && all_of(s, is_lower_hex); }

std::optional<KubeletContainer> kubelet_container_from_root(std::string_view root) {
  // dentry_path() appends "//deleted" once the kubelet has removed the file.
  const auto segs = split_nonempty(strip_suffix(root, "//deleted"), '/');
  const auto n = segs.size();
  if (n < 5) return std::nullopt;
  if (segs[n - 5] != "pods" || segs[n - 3] != "containers" || !is_hex_name(segs[n - 1])) {
    return std::nullopt;
  }
  return KubeletContainer{std::string(segs[n - 4]), std::string(segs[n - 2])};
}

// ---- passwd / group --------------------------------------------------------

std::optional<std::pair<std::uint32_t, std::string_view>> parse_id_line(std::string_view line) {
  line = trim(line);
  // '+'/'-' lines are NIS compat directives, not accounts.
  if (line.empty() || line.front() == '#' || line.front() == '+' || line.front() == '-')
    return std::nullopt;
  const auto f = split(line, ':');
  if (f.size() < 3 || f[0].empty()) return std::nullopt;
  const auto id = parse_number<std::uint32_t>(f[2]);
  return id ? std::optional(std::pair{*id, f[0]}) : std::nullopt;
}

}  // namespace

std::vector<CgroupLine> parse_cgroup(std::string_view text) {
  std::vector<CgroupLine> out;
  for_each_line(text, [&](std::string_view line) {
    if (auto l = parse_cgroup_line(line)) out.push_back(std::move(*l));
  });
  return out;
}

std::optional<RuntimeId> runtime_id_from_cgroup(std::string_view cgroup_text) {
  const auto lines = parse_cgroup(cgroup_text);
  // The unified line is the one the runtime always manages; v1 lines may lag
  // or be missing a controller, so they only stand in when v2 says nothing.
  for (const auto& l : lines) {
    if (l.hierarchy != 0) continue;
    if (auto r = runtime_id_from_path(l.path)) return r;
  }
  for (const auto& l : lines) {
    if (l.hierarchy == 0) continue;
    if (auto r = runtime_id_from_path(l.path)) return r;
  }
  return std::nullopt;
}

std::optional<StatusIds> parse_status(std::string_view text) {
  StatusIds s;
  bool have_uid = false;
  for_each_line(text, [&](std::string_view line) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return;
    if (apply_status_field(s, line.substr(0, colon), line.substr(colon + 1))) have_uid = true;
  });
  // Without Uid the text is not a status file (or was cut short); guessing
  // uid 0 would make a process look like root.
  if (!have_uid) return std::nullopt;
  return s;
}

std::vector<MountEntry> parse_mountinfo(std::string_view text) {
  std::vector<MountEntry> out;
  for_each_line(text, [&](std::string_view line) {
    if (auto m = parse_mount_line(line)) out.push_back(std::move(*m));
  });
  return out;
}

std::optional<KubeletContainer> kubelet_container(const std::vector<MountEntry>& mounts) {
  for (const auto& m : mounts) {
    if (m.mount_point != "/dev/termination-log") continue;
    if (auto k = kubelet_container_from_root(m.root)) return k;
  }
  // A custom terminationMessagePath mounts the same file elsewhere; the root's
  // pods/<uid>/containers/<name>/<file> shape is specific enough on its own.
  for (const auto& m : mounts)
    if (auto k = kubelet_container_from_root(m.root)) return k;
  return std::nullopt;
}

std::unordered_map<std::uint32_t, std::string> parse_id_names(std::string_view text) {
  std::unordered_map<std::uint32_t, std::string> out;
  for_each_line(text, [&](std::string_view line) {
    // A too-long name takes its id all the same (as "", erased below): getpwuid gives the first.
    if (const auto e = parse_id_line(line))
      out.try_emplace(e->first, e->second.size() <= kMaxIdName ? e->second : std::string_view());
  });
  std::erase_if(out, [](const auto& kv) { return kv.second.empty(); });
  return out;
}

std::optional<std::int64_t> parse_boot_time(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    auto nl = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, nl - at);
    at = nl + 1;
    if (!line.starts_with("btime ")) continue;
    line.remove_prefix(6);
    std::int64_t t = 0;
    auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), t);
    if (ec != std::errc() || end != line.data() + line.size() || t <= 0) return std::nullopt;
    return t;
  }
  return std::nullopt;
}

std::vector<std::string> split_nul(std::string_view text) {
  // Programs that rewrite their title in place (postgres, sshd) pad the old
  // argv area with NULs; a run of trailing NULs is padding, not empty args.
  const auto last = text.find_last_not_of('\0');
  if (last == std::string_view::npos) return {};
  std::vector<std::string> out;
  for (const auto part : split(text.substr(0, last + 1), '\0')) out.emplace_back(part);
  return out;
}

}  // namespace nsdebug
