#include "core/containers/identity.h"

#include <fmt/format.h>

#include "core/proc/proc_parse.h"
#include "core/files/rooted_fs.h"

namespace nsdebug {

// An id with no name is cached as its number, so every answer is a reference into the cache:
// ps asks once a row, and a copy a row was an allocation a row for long names.
// Id 0 is root in every passwd and group file there is: a container without a readable one
// (distroless, no ptrace access) still shows root, as ps does, not 0.
const std::string& name_or_number(IdNames& names, std::uint32_t id) {
  auto [it, fresh] = names.try_emplace(id);
  if (fresh) it->second = id == 0 ? "root" : std::to_string(id);
  return it->second;
}

std::string_view whole_lines(std::string_view text) {
  auto nl = text.rfind('\n');
  return nl == std::string_view::npos ? std::string_view() : text.substr(0, nl + 1);
}

IdNames read_id_names(const RootedFs& root, const char* path) {
  // One byte past the limit tells a file cut by it from one that ends there, which may end
  // without a newline and still be whole.
  auto text = root.read_small(path, kIdFileLimit + 1);
  if (!text) return {};
  std::string_view kept = *text;
  if (kept.size() > kIdFileLimit) kept = whole_lines(kept.substr(0, kIdFileLimit));
  return parse_id_names(kept);
}

IdTables read_id_tables(const RootedFs& root) {
  return IdTables{read_id_names(root, "/etc/passwd"), read_id_names(root, "/etc/group")};
}

const std::string* find_id_name(const IdNames& names, std::uint32_t id) {
  auto it = names.find(id);
  return it == names.end() ? nullptr : &it->second;
}

std::string id_name_or_number(const IdNames& names, std::uint32_t id) {
  const std::string* name = find_id_name(names, id);
  return name ? *name : std::to_string(id);
}

IdTables& IdentityNames::tables(int container) const {
  bool known = container >= 0 && container < static_cast<int>(containers_.size());
  // No container: the "" entry, which only ever holds numbers. A container made by hand
  // (tests) may have no key: its index stands in.
  std::string key = !known ? std::string()
                    : containers_[container].key.empty() ? fmt::format("#{}", container)
                                                         : containers_[container].key;
  auto [it, fresh] = cache_.try_emplace(std::move(key));
  if (!fresh || !known) return it->second;
  // Unreadable root (no ptrace access) or no such file: numbers, as ps would show.
  if (auto root = RootedFs::open(containers_[container].main_pid))
    it->second = read_id_tables(*root);
  return it->second;
}

const std::string& IdentityNames::user(int container, uid_t uid) const {
  return name_or_number(tables(container).users, uid);
}

const std::string& IdentityNames::group(int container, gid_t gid) const {
  return name_or_number(tables(container).groups, gid);
}

}  // namespace nsdebug
