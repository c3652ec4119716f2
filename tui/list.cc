// The list widget's movement: one place for clamping, paging and keeping the cursor in view.
#include "tui/list.h"

#include <algorithm>

namespace nsdebug::tui {
namespace {

bool can_stop(const Selectable& selectable, std::size_t i) { return !selectable || selectable(i); }

// From `index`, the nearest line the cursor may stop on: the way we were going, else back,
// else forward again (a list ending in unselectable lines).
std::size_t settle(const ListState& l, std::size_t index, int direction, const Selectable& s) {
  std::size_t i = index;
  if (direction > 0)
    while (!can_stop(s, i) && i + 1 < l.count) ++i;
  if (can_stop(s, i)) return i;
  i = index;
  while (!can_stop(s, i) && i > 0) --i;
  if (can_stop(s, i)) return i;
  i = index;
  while (!can_stop(s, i) && i + 1 < l.count) ++i;
  return i;
}

}  // namespace

ListMove list_move_of(Key key, bool letters) {
  if (key == kKeyUp || (letters && key == 'k')) return ListMove::up;
  if (key == kKeyDown || (letters && key == 'j')) return ListMove::down;
  if (key == kKeyPageUp || (letters && key == 'b')) return ListMove::page_up;
  if (key == kKeyPageDown || (letters && key == ' ')) return ListMove::page_down;
  if (key == kKeyHome || (letters && key == 'g')) return ListMove::home;
  if (key == kKeyEnd || (letters && key == 'G')) return ListMove::end;
  return ListMove::none;
}

bool move_list(ListState& l, ListMove m, const Selectable& selectable) {
  std::size_t page = std::max<std::size_t>(1, l.height);
  std::size_t last = l.count ? l.count - 1 : 0;
  std::size_t c = l.cursor;
  switch (m) {
    case ListMove::none: return false;
    case ListMove::up: return move_to(l, c ? c - 1 : 0, -1, selectable), true;
    case ListMove::down: return move_to(l, std::min(c + 1, last), 1, selectable), true;
    case ListMove::page_up: return move_to(l, c > page ? c - page : 0, -1, selectable), true;
    case ListMove::page_down: return move_to(l, std::min(c + page, last), 1, selectable), true;
    case ListMove::home: return move_to(l, 0, 1, selectable), true;
    case ListMove::end: return move_to(l, last, -1, selectable), true;
  }
  return false;
}

void move_to(ListState& l, std::size_t index, int direction, const Selectable& selectable) {
  if (l.count == 0) {
    l.cursor = l.top = 0;
    return;
  }
  l.cursor = settle(l, std::min(index, l.count - 1), direction, selectable);
  keep_visible(l);
  // The lines heading the cursor's group (a container's header, its ports) show with it: Home
  // in a grouped list shows the first group's header, not only its first process.
  std::size_t h = std::max<std::size_t>(1, l.height);
  while (l.top > 0 && !can_stop(selectable, l.top - 1) && l.cursor - (l.top - 1) < h) --l.top;
}

void clear(ListState& l) { l.cursor = l.top = l.count = 0; }

void set_count(ListState& l, std::size_t count) {
  l.count = count;
  l.cursor = count ? std::min(l.cursor, count - 1) : 0;
  keep_visible(l);
}

void set_height(ListState& l, std::size_t height) {
  l.height = std::max<std::size_t>(1, height);
  keep_visible(l);
}

void keep_visible(ListState& l) {
  if (l.page) {
    l.top = l.cursor;
    return;
  }
  std::size_t h = std::max<std::size_t>(1, l.height);
  if (l.cursor < l.top) l.top = l.cursor;
  if (l.cursor >= l.top + h) l.top = l.cursor + 1 - h;
  if (l.count <= h) l.top = 0;
}

}  // namespace nsdebug::tui
