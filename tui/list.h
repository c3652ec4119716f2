#pragma once
// The one list widget (htop's Panel): every list the TUI shows (processes, files, the kill
// menu) and every page it scrolls (pager, details, environment, doctor, help) is a ListState,
// moved by one handler that keeps the cursor in view. Pure data and arithmetic.
#include <cstddef>
#include <functional>

#include "tui/keys.h"

namespace nsdebug::tui {

struct ListState {
  std::size_t cursor = 0;  // the chosen line; a page's first line shown
  std::size_t top = 0;     // the first line shown
  std::size_t count = 0;   // lines in the list
  std::size_t height = 1;  // lines shown at once: a page up or down moves by it
  // A page has no chosen line: its lines scroll, the cursor being the first one shown.
  bool page = false;
};

enum class ListMove { none, up, down, page_up, page_down, home, end };

// Up Down PgUp PgDn Home End; with `letters`, also k j b Space g G (lists whose letters are not
// commands of their own: pages, files, the pager).
ListMove list_move_of(Key key, bool letters);

// Lines a list may not stop on (the process list's container headers); empty: none.
using Selectable = std::function<bool(std::size_t)>;

// Moves the cursor (clamped to the list), stepping over lines that are not selectable in the
// direction of the move (else back), and keeps it in view. False when `move` is none.
bool move_list(ListState& list, ListMove move, const Selectable& selectable = {});
// The cursor to `index` (clamped), as move does; `direction` > 0 steps forward past
// unselectable lines first, else back.
void move_to(ListState& list, std::size_t index, int direction = 1,
             const Selectable& selectable = {});
// Emptied (new content to come): the height it was fitted to and its kind stay.
void clear(ListState& list);
// A new count (the content changed): the cursor clamped, and in view.
void set_count(ListState& list, std::size_t count);
// A new height (the terminal's size changed): the cursor kept in view.
void set_height(ListState& list, std::size_t height);
// top moved so that the cursor shows; a list that fits shows from its first line.
void keep_visible(ListState& list);

}  // namespace nsdebug::tui
