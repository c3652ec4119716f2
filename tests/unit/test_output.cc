#include <catch2/catch.hpp>

#include <cerrno>
#include <cstdio>
#include <system_error>

#include <nlohmann/json.hpp>

#include "tools/output.h"

using namespace nsdebug::cli;

namespace {

template <class Print>
std::string capture(Print print) {
  char* buf = nullptr;
  std::size_t size = 0;
  std::FILE* f = ::open_memstream(&buf, &size);
  print(f);
  std::fclose(f);
  std::string out(buf, size);
  std::free(buf);
  return out;
}

std::string render(const Table& t, int width) {
  return capture([&](std::FILE* f) { print_table(f, t, width); });
}

// The same table through print_table_streamed, counting the cells it asks for.
std::string render_streamed(const Table& t, int width, std::size_t& cells_made) {
  auto fill = [&](std::size_t i, std::size_t n, std::vector<std::string>& cells) {
    for (std::size_t k = 0; k < n; ++k) cells[k] = t.rows[i][k];
    cells_made += n;
  };
  return capture([&](std::FILE* f) { print_table_streamed(f, t, t.rows.size(), fill, width); });
}

Table sample() {
  Table t;
  t.headers = {"PID", "USER", "COMMAND"};
  t.right_aligned = {true, false, false};
  t.rows = {{"1", "root", "/pause"}, {"1234", "nginx", "nginx: worker process"}};
  return t;
}

}  // namespace

TEST_CASE("tables align columns and leave the last one unpadded") {
  CHECK(render(sample(), 0) ==
        " PID USER  COMMAND\n"
        "   1 root  /pause\n"
        "1234 nginx nginx: worker process\n");
}

TEST_CASE("tables cut lines to the terminal width only when given one") {
  auto out = render(sample(), 12);
  CHECK(out == " PID USER  C\n   1 root  /\n1234 nginx n\n");
}

TEST_CASE("tables without headers print only rows") {
  Table t = sample();
  t.show_headers = false;
  CHECK(render(t, 0).rfind("   1 root", 0) == 0);
}

TEST_CASE("streamed tables print as held ones, making each cell of a small table once") {
  Table t = sample();
  for (int width : {0, 12}) {
    std::size_t cells_made = 0;
    CHECK(render_streamed(t, width, cells_made) == render(t, width));
    CHECK(cells_made == 2 * 3);  // two rows of three, kept from the measuring pass
  }
}

TEST_CASE("streamed tables past 256 rows measure the rest without their last column") {
  Table t = sample();
  t.rows.clear();
  for (int i = 0; i < 300; ++i)
    t.rows.push_back({std::to_string(i * 37), i % 7 ? "root" : "nginx", "cmd " + std::to_string(i)});
  std::size_t cells_made = 0;
  CHECK(render_streamed(t, 0, cells_made) == render(t, 0));
  CHECK(cells_made == 256 * 3 + 44 * 2 + 44 * 3);  // kept; then measured, then printed
}

TEST_CASE("table cells are escaped and aligned by terminal columns, not bytes") {
  Table t;
  t.headers = {"USER", "COMMAND"};
  t.right_aligned = {false, false};
  t.rows = {{"漢字", "x\x1b]0;PWNED\a"}, {"root", "a\nb"}};
  CHECK(render(t, 0) ==
        "USER COMMAND\n"
        "漢字 x\\e]0;PWNED\\a\n"
        "root a\\nb\n");
}

TEST_CASE("a cut at the terminal's width never splits a character") {
  Table t;
  t.headers = {"COMMAND"};
  t.rows = {{"漢字漢字"}};
  CHECK(render(t, 5) == "COMMA\n漢字\n");
}

// Issue 13: a 512 KiB user name padded every row of ps to its width (54 MB for 104 rows).
TEST_CASE("a cell wider than the cap is cut and ends in '+', as procps marks a cut name",
          "[width]") {
  std::string cell(100, 'u');
  cap_cell(cell, 64);
  CHECK(cell == std::string(63, 'u') + "+");
  std::string fits(64, 'u');
  cap_cell(fits, 64);
  CHECK(fits == std::string(64, 'u'));
  std::string wide = "漢字漢字";  // 8 columns: cut to 5 is 漢字 (4) and '+'
  cap_cell(wide, 6);
  CHECK(wide == "漢字+");
  std::string uncapped(100, 'u');
  cap_cell(uncapped, 0);
  CHECK(uncapped.size() == 100);
}

TEST_CASE("every column but the last is capped; the last is never cut", "[width]") {
  Table t;
  t.headers = {"USER", "PID", "COMMAND"};
  t.right_aligned = {false, true, false};
  t.max_width = 8;
  t.rows = {{"systemd-network", "7", std::string(20, 'c')}, {"root", "12345678901", "sh"}};
  std::string want = "USER    " " " "     PID" " " "COMMAND\n"
                     "systemd+" " " "       7" " " + std::string(20, 'c') + "\n"
                     "root    " " " "1234567+" " " "sh\n";
  CHECK(render(t, 0) == want);
  std::size_t cells_made = 0;
  CHECK(render_streamed(t, 0, cells_made) == want);
}

TEST_CASE("a cap counts escaped bytes as they show", "[width]") {
  Table t;
  t.headers = {"USER", "PID"};
  t.right_aligned = {false, true};
  t.rows = {{std::string(32, '\x01'), "1"}};  // 32 bytes, 128 columns once escaped
  auto out = render(t, 0);
  auto row = out.substr(out.find('\n') + 1);
  CHECK(row.substr(0, 64) == "\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x0+");
  CHECK(row == row.substr(0, 64) + "   1\n");  // PID is right-aligned to its header
}

// 256 kept rows of a 512 KiB cell each were 128 MB held at once.
TEST_CASE("streamed tables keep capped cells, not the target's whole text", "[width]") {
  Table t;
  t.headers = {"USER", "COMMAND"};
  t.right_aligned = {false, false};
  t.rows.assign(300, {std::string(512 << 10, 'u'), "sh"});
  std::size_t cells_made = 0;
  auto out = render_streamed(t, 0, cells_made);
  CHECK(out.size() < 300 * 80);
  CHECK(out.find(std::string(63, 'u') + "+ sh\n") != std::string::npos);
}

TEST_CASE("write_all returns the errno of a failed write, and throws nothing") {
  std::FILE* full = std::fopen("/dev/full", "w");
  REQUIRE(full);
  std::setvbuf(full, nullptr, _IONBF, 0);
  auto r = write_all(full, "data");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ENOSPC);
  CHECK(lost_output() == 0);  // not stdout: main.cc has nothing to say of it
  std::fclose(full);
}

TEST_CASE("JSON: valid UTF-8 strings are left alone, with no _b64 key") {
  nlohmann::json j{{"comm", "é漢字x"}, {"argv", {"sleep", "99"}}};
  auto before = j;
  make_json_lossless(j);
  CHECK(j == before);
}

TEST_CASE("JSON: a string that is not UTF-8 gets U+FFFD and its exact bytes in <key>_b64") {
  nlohmann::json j{{"comm", "a\xff"}, {"pid", 7}};
  make_json_lossless(j);
  CHECK(j["comm"] == "a\xef\xbf\xbd");
  CHECK(j["comm_b64"] == nsdebug::base64_encode("a\xff"));
  CHECK(j["pid"] == 7);
  CHECK_NOTHROW(j.dump());  // nlohmann throws type_error 316 on invalid UTF-8
}

TEST_CASE("JSON: an array keeps its elements; <key>_b64 gives every element's bytes") {
  nlohmann::json j = nlohmann::json::array();
  j.push_back({{"argv", {"sh", "two\nlines", "\x9b" "bad"}}, {"container", {{"name", "n\xfe"}}}});
  make_json_lossless(j);
  const auto& p = j[0];
  REQUIRE(p["argv"].size() == 3);
  CHECK(p["argv"][1] == "two\nlines");
  CHECK(p["argv"][2] == "\xef\xbf\xbd" "bad");
  REQUIRE(p["argv_b64"].size() == 3);
  CHECK(p["argv_b64"][0] == nsdebug::base64_encode("sh"));
  CHECK(p["argv_b64"][2] == nsdebug::base64_encode("\x9b" "bad"));
  CHECK(p["container"]["name_b64"] == nsdebug::base64_encode("n\xfe"));
  CHECK_NOTHROW(j.dump());
}

TEST_CASE("JSON: an object key that is not UTF-8 is replaced, not fatal") {
  nlohmann::json j = nlohmann::json::object();
  j["k\xff"] = "v";
  make_json_lossless(j);
  CHECK(j.contains("k\xef\xbf\xbd"));
  CHECK_NOTHROW(j.dump());
}
