#pragma once
// Which processes a face shows and in what order (filters, sort, tree): ps and the TUI. Pure:
// unit-tested without /proc.
#include <regex.h>

#include <memory>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/present/columns.h"

namespace nsdebug {

struct Filter {
  // Default member initializers: a designated initializer may name any subset.
  std::vector<std::string> containers{};  // exact names
  std::vector<std::string> users{};       // names (in the process's container) or numbers
  std::vector<std::string> patterns{};    // POSIX extended regexes, searched in the command line
  std::vector<pid_t> pids{};              // ps -p: only these
  // Left out of pattern matches, as pgrep leaves itself out: nsdebug's own command line holds
  // the pattern. 0: none.
  pid_t self = 0;
};

class Selector {
 public:
  // Fails on a pattern that is not a valid regex, or a container no process is in.
  static Result<Selector> make(const Filter& filter, const Snapshot& snapshot);
  bool matches(const Process& p, RowContext& ctx) const;

 private:
  struct RegexDeleter {
    void operator()(regex_t* r) const;
  };
  Filter filter_;
  std::vector<std::shared_ptr<regex_t>> regexes_;
};

struct SortKey {
  const Column* column;
  bool descending;
};
// "-rss,pid" -> keys; on failure the item at fault: an unknown name, or an empty one ("",
// "-", "+": no column named).
std::expected<std::vector<SortKey>, std::string> parse_sort(const std::string& spec);

struct Row {
  const Process* process;
  int depth = 0;  // in --tree
};

// Selected processes in order: sorted by `keys` (pid when empty); with `tree`, each
// process follows its parent, siblings in key order, as ps --forest.
std::vector<Row> order_rows(std::vector<const Process*> selected, const std::vector<SortKey>& keys,
                            bool tree, RowContext& ctx);

}  // namespace nsdebug
