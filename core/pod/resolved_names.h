#pragma once
// Names of ids read beforehand, held as a value: what a face that does no I/O in its model and
// view (the TUI) asks instead of IdentityNames. Filled for every process of a snapshot at once;
// an id it was not given shows as its number (0 as root), as IdentityNames shows an unknown one.
#include <sys/types.h>

#include <map>
#include <string>

#include "core/containers/identity.h"
#include "core/pod/snapshot.h"

namespace nsdebug {

class ResolvedNames final : public IdNameSource {
 public:
  void add_user(int container, uid_t uid, std::string name) { users_[container][uid] = std::move(name); }
  void add_group(int container, gid_t gid, std::string name) { groups_[container][gid] = std::move(name); }

  const std::string& user(int container, uid_t uid) const override {
    return name_or_number(users_[container], uid);
  }
  const std::string& group(int container, gid_t gid) const override {
    return name_or_number(groups_[container], gid);
  }

 private:
  // Ids never given are cached as their number: every answer is a reference into a table.
  mutable std::map<int, IdNames> users_, groups_;
};

// The user and group of every process in `snapshot`, as `names` names them (the real uid too
// when the snapshot read it).
ResolvedNames resolve_names(const Snapshot& snapshot, const IdNameSource& names);

}  // namespace nsdebug
