#include "core/identity.h"

#include <fmt/format.h>

#include "core/proc_parse.h"
#include "core/rooted_fs.h"

namespace nsdebug {
namespace {

// An id with no name is cached as its number, so every answer is a reference into the cache:
// ps asks once a row, and a copy a row was an allocation a row for long names.
const std::string& lookup(std::unordered_map<std::uint32_t, std::string>& names,
                          std::uint32_t id) {
  auto [it, fresh] = names.try_emplace(id);
  if (fresh) it->second = std::to_string(id);
  return it->second;
}

}  // namespace

IdentityNames::Tables& IdentityNames::tables(int container) {
  bool known = container >= 0 && container < static_cast<int>(containers_.size());
  // No container: the "" entry, which only ever holds numbers. A container made by hand
  // (tests) may have no key: its index stands in.
  std::string key = !known ? std::string()
                    : containers_[container].key.empty() ? fmt::format("#{}", container)
                                                         : containers_[container].key;
  auto [it, fresh] = cache_.try_emplace(std::move(key));
  if (!fresh || !known) return it->second;
  // Unreadable root (no ptrace access) or no such file: numbers, as ps would show.
  if (auto root = RootedFs::open(containers_[container].main_pid)) {
    if (auto text = root->read_small("/etc/passwd")) it->second.users = parse_id_names(*text);
    if (auto text = root->read_small("/etc/group")) it->second.groups = parse_id_names(*text);
  }
  return it->second;
}

const std::string& IdentityNames::user(int container, uid_t uid) {
  return lookup(tables(container).users, uid);
}

const std::string& IdentityNames::group(int container, gid_t gid) {
  return lookup(tables(container).groups, gid);
}

}  // namespace nsdebug
