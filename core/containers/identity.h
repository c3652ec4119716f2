#pragma once
// uid/gid -> name, as the process's own container sees them: read from that container's
// /etc/passwd and /etc/group through its root, not ours. In the documentation's pod a
// busybox sidecar has no "nginx" user, yet the nginx worker runs as nginx (101).
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/containers/container.h"

namespace nsdebug {

class RootedFs;

using IdNames = std::unordered_map<std::uint32_t, std::string>;

// The name `names` holds for `id`, else (then cached) its number; 0 is "root" even without a
// passwd.
const std::string& name_or_number(IdNames& names, std::uint32_t id);

// A container's /etc/passwd or /etc/group (`path`) as id -> name (parse_id_names). The read
// stops at kIdFileLimit; the line that limit cuts is dropped, and so are the lines after it:
// only complete lines count. Empty when the file cannot be read (the ids show as numbers).
inline constexpr std::size_t kIdFileLimit = std::size_t{1} << 20;
IdNames read_id_names(const RootedFs& root, const char* path);

// A container's users and groups by id: its /etc/passwd and /etc/group (read_id_names). The
// one uid/gid -> name of nsdebug: ps, the TUI, ls -l, stat and inspect all read them so.
struct IdTables {
  IdNames users, groups;
};
IdTables read_id_tables(const RootedFs& root);

// The name `names` gives `id`, or nullptr when it gives none.
const std::string* find_id_name(const IdNames& names, std::uint32_t id);
// That name, or the id as a number when it has none (as ls -l shows an unknown owner).
std::string id_name_or_number(const IdNames& names, std::uint32_t id);

// The text up to and with its last newline: what is left of a file read up to a limit once
// the line the limit cut is dropped ("mallory:x:10" of "mallory:x:10001:..." is no entry).
std::string_view whole_lines(std::string_view text);

// Names of ids as the container `container` (index) names them: the number when unknown,
// except 0, which is "root" even without a passwd. The columns ask through this seam, so that a
// face which may do no I/O (the TUI's model) hands them names read beforehand (ResolvedNames).
class IdNameSource {
 public:
  // Valid while the source lives.
  virtual const std::string& user(int container, uid_t uid) const = 0;
  virtual const std::string& group(int container, gid_t gid) const = 0;

 protected:
  ~IdNameSource() = default;
};

// Reads each container's files the first time a name in it is asked for: a cache, so asking
// is logically const.
class IdentityNames final : public IdNameSource {
 public:
  explicit IdentityNames(const std::vector<Container>& containers) : containers_(containers) {}

  const std::string& user(int container, uid_t uid) const override;
  const std::string& group(int container, gid_t gid) const override;

 private:
  IdTables& tables(int container) const;

  const std::vector<Container>& containers_;
  // Per container key (Container::key), so that a table kept between refreshes keeps its
  // names while containers come and go: one read of each file per container.
  mutable std::unordered_map<std::string, IdTables> cache_;
};

}  // namespace nsdebug
