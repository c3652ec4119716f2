#pragma once
// uid/gid -> name, as the process's own container sees them: read from that container's
// /etc/passwd and /etc/group through its root, not ours. In the documentation's pod a
// busybox sidecar has no "nginx" user, yet the nginx worker runs as nginx (101).
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/container.h"

namespace nsdebug {

class IdentityNames {
 public:
  explicit IdentityNames(const std::vector<Container>& containers) : containers_(containers) {}

  // Name of uid/gid in container `container` (index); the number when unknown. Valid while
  // this IdentityNames lives.
  const std::string& user(int container, uid_t uid);
  const std::string& group(int container, gid_t gid);

 private:
  using Names = std::unordered_map<std::uint32_t, std::string>;
  struct Tables {
    Names users, groups;
  };
  Tables& tables(int container);

  const std::vector<Container>& containers_;
  // Per container key (Container::key), so that a table kept between refreshes keeps its
  // names while containers come and go: one read of each file per container.
  std::unordered_map<std::string, Tables> cache_;
};

}  // namespace nsdebug
