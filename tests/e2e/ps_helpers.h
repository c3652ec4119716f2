#pragma once
// Reading nsdebug's output the way a user's script would: the --json arrays, and the text
// tables split on whitespace with everything from the last header column on as one field.
#include <cstddef>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "pod.h"

namespace nsdebug::e2e {

using nlohmann::json;

// Runs `nsdebug args...` in the shell container, requires exit 0 and a JSON array on stdout.
inline json nsdebug_json(const std::vector<std::string>& args) {
  RunResult r = run_nsdebug(args);
  INFO("nsdebug stderr: " << r.err);
  REQUIRE(r.status == 0);
  json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  INFO("nsdebug stdout: " << r.out);
  REQUIRE(!j.is_discarded());
  REQUIRE(j.is_array());
  return j;
}

inline std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> lines;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

inline std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> words;
  std::istringstream in(s);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// A table whose last column (COMMAND) may hold spaces: every other column is one word.
struct Table {
  std::vector<std::string> header;               // column names
  std::size_t last_col = 0;                      // offset of the last column in the header line
  std::vector<std::vector<std::string>> rows;    // header.size() fields each
  std::vector<std::string> lines;                // the row lines as printed
};

// Parses a table with a header line. Checks alignment on the way: the last column starts at
// the same offset in every row as in the header, preceded by a space.
inline Table parse_table(const std::string& out) {
  Table t;
  auto lines = split_lines(out);
  REQUIRE(!lines.empty());
  t.header = split_words(lines[0]);
  REQUIRE(!t.header.empty());
  t.last_col = lines[0].rfind(t.header.back());
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    INFO("row: '" << line << "'\nheader: '" << lines[0] << "'");
    REQUIRE(line.size() > t.last_col);
    CHECK(line[t.last_col - 1] == ' ');
    CHECK(line[t.last_col] != ' ');
    auto row = split_words(line.substr(0, t.last_col));
    REQUIRE(row.size() == t.header.size() - 1);
    row.push_back(line.substr(t.last_col));
    t.rows.push_back(row);
    t.lines.push_back(line);
  }
  return t;
}

inline std::size_t column(const Table& t, const std::string& name) {
  for (std::size_t i = 0; i < t.header.size(); ++i)
    if (t.header[i] == name) return i;
  FAIL("no column " << name);
  return 0;
}

inline std::string joined_argv(const json& p) {
  std::string s;
  for (const auto& a : p.at("argv")) s += (s.empty() ? "" : " ") + a.get<std::string>();
  return s;
}

// nsdebug sees itself (it runs in the shell container); comparisons between two runs leave it out.
inline bool is_nsdebug(const json& p) { return p.at("comm") == "nsdebug"; }
inline bool is_nsdebug_command(const std::string& cmd) { return cmd.rfind("nsdebug", 0) == 0; }

// The one process whose argv, joined, starts with prefix.
inline json the_process(const json& procs, const std::string& prefix) {
  std::vector<json> found;
  for (const auto& p : procs)
    if (joined_argv(p).rfind(prefix, 0) == 0) found.push_back(p);
  INFO("processes whose command starts with '" << prefix << "': " << json(found).dump());
  REQUIRE(found.size() == 1);
  return found[0];
}

inline std::set<std::string> container_names(const json& procs) {
  std::set<std::string> names;
  for (const auto& p : procs) names.insert(p.at("container").at("name").get<std::string>());
  return names;
}

}  // namespace nsdebug::e2e
