// The TUI's one list widget: movement, paging, clamping, skipping unselectable lines, and
// keeping the cursor in view. Pure arithmetic.
#include <catch2/catch.hpp>

#include "tui/list.h"

using namespace nsdebug::tui;

namespace {

ListState list_of(std::size_t count, std::size_t height) {
  ListState l;
  set_height(l, height);
  set_count(l, count);
  return l;
}

}  // namespace

TEST_CASE("tui list moves by line, page, home and end, clamped") {
  ListState l = list_of(100, 10);
  CHECK(move_list(l, ListMove::down));
  CHECK(l.cursor == 1);
  move_list(l, ListMove::up);
  move_list(l, ListMove::up);  // at the first line already
  CHECK(l.cursor == 0);
  move_list(l, ListMove::page_down);
  CHECK(l.cursor == 10);
  move_list(l, ListMove::page_up);
  move_list(l, ListMove::page_up);
  CHECK(l.cursor == 0);
  move_list(l, ListMove::end);
  CHECK(l.cursor == 99);
  move_list(l, ListMove::page_down);
  CHECK(l.cursor == 99);
  move_list(l, ListMove::home);
  CHECK(l.cursor == 0);
  CHECK_FALSE(move_list(l, ListMove::none));
}

TEST_CASE("tui list keeps the cursor in view") {
  ListState l = list_of(100, 10);
  move_to(l, 25);
  CHECK(l.top == 16);  // the cursor on the last line shown
  move_to(l, 20);
  CHECK(l.top == 16);  // still in view: no scroll
  move_to(l, 5);
  CHECK(l.top == 5);
  set_height(l, 3);
  move_to(l, 9);
  CHECK(l.top == 7);
  set_count(l, 4);  // the content shrank: the cursor clamped, and shown
  CHECK(l.cursor == 3);
  CHECK(l.top == 3);
  set_height(l, 10);  // it all fits: from the first line
  CHECK(l.top == 0);
}

TEST_CASE("tui list of nothing stays at zero") {
  ListState l = list_of(0, 10);
  for (auto m : {ListMove::down, ListMove::end, ListMove::page_down, ListMove::up})
    move_list(l, m);
  CHECK(l.cursor == 0);
  CHECK(l.top == 0);
}

TEST_CASE("tui list steps over lines that are not selectable, the way it moves") {
  // 0 header, 1 2 rows, 3 header, 4 row, 5 header
  auto row = [](std::size_t i) { return i == 1 || i == 2 || i == 4; };
  ListState l = list_of(6, 10);
  move_to(l, 0, 1, row);
  CHECK(l.cursor == 1);
  move_list(l, ListMove::down, row);
  move_list(l, ListMove::down, row);  // 3 is a header: on to 4
  CHECK(l.cursor == 4);
  move_list(l, ListMove::down, row);  // 5 is a header with nothing after: back to 4
  CHECK(l.cursor == 4);
  move_list(l, ListMove::up, row);  // over 3, back to 2
  CHECK(l.cursor == 2);
  move_list(l, ListMove::end, row);
  CHECK(l.cursor == 4);
  move_list(l, ListMove::home, row);
  CHECK(l.cursor == 1);
}

TEST_CASE("tui list shows the header lines above the cursor with it") {
  // 0 1 a header and its ports line, 2..14 rows, 15 16 the next group's, 17..29 rows
  auto row = [](std::size_t i) { return i != 0 && i != 1 && i != 15 && i != 16; };
  ListState l = list_of(30, 5);
  move_list(l, ListMove::end, row);
  move_list(l, ListMove::home, row);
  CHECK(l.cursor == 2);
  CHECK(l.top == 0);
  move_to(l, 20, 1, row);
  move_to(l, 17, -1, row);  // the top line: its group's two lines come into view above it
  CHECK(l.top == 15);
  move_list(l, ListMove::up, row);  // over them to 14, which shows as the first line
  CHECK(l.cursor == 14);
  CHECK(l.top == 14);
}

TEST_CASE("tui page scrolls: its cursor is the first line shown") {
  ListState l{.page = true};
  set_height(l, 10);
  set_count(l, 30);
  move_list(l, ListMove::page_down);
  CHECK(l.cursor == 10);
  CHECK(l.top == 10);
  move_list(l, ListMove::end);
  CHECK(l.top == 29);
}

TEST_CASE("tui list keys: arrows everywhere, letters where they are no commands") {
  CHECK(list_move_of(kKeyDown, false) == ListMove::down);
  CHECK(list_move_of(kKeyPageUp, false) == ListMove::page_up);
  CHECK(list_move_of(kKeyEnd, false) == ListMove::end);
  CHECK(list_move_of('k', false) == ListMove::none);  // the process list's kill
  CHECK(list_move_of('k', true) == ListMove::up);
  CHECK(list_move_of(' ', true) == ListMove::page_down);
  CHECK(list_move_of('G', true) == ListMove::end);
  CHECK(list_move_of('x', true) == ListMove::none);
}
