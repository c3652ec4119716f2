#pragma once
// `nsdebug net --json`: sockets and summaries as JSON objects (print_json makes target bytes
// lossless).
#include <nlohmann/json.hpp>

#include "core/net/net_summary.h"

namespace nsdebug::cli {

// {"source": "sock_diag", "netlink_refused": null, "sockets": [...], "unreadable": [...]}
nlohmann::json network_json(const PodNetwork& net, const Snapshot& snapshot);
// {"containers": [...], "verdicts": [{"kind": ..., "message": ...}]}
nlohmann::json summary_json(const NetSummary& sum, const Snapshot& snapshot);

}  // namespace nsdebug::cli
