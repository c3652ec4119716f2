#include "core/pod/resolved_names.h"

namespace nsdebug {

ResolvedNames resolve_names(const Snapshot& snapshot, const IdNameSource& names) {
  ResolvedNames out;
  for (const auto& p : snapshot.processes) {
    out.add_user(p.container, p.uid, names.user(p.container, p.uid));
    out.add_group(p.container, p.gid, names.group(p.container, p.gid));
    if (p.ruid) out.add_user(p.container, *p.ruid, names.user(p.container, *p.ruid));
  }
  return out;
}

}  // namespace nsdebug
