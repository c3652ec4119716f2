#pragma once
// Inside view: a Frame being drawn, and each screen's renderer.
#include <string_view>

#include "tui/view.h"

namespace nsdebug::tui {

class Canvas {
 public:
  explicit Canvas(Size size);
  // Writes `text` (already escaped) at row/col, cut at the right edge.
  void put(int row, int col, std::string_view text, Style style = {});
  // The whole row: text padded to the width, in one style.
  void line(int row, std::string_view text, Style style = {});
  int width() const { return frame_.size.width; }
  int height() const { return frame_.size.height; }
  Frame take() { return std::move(frame_); }

 private:
  Frame frame_;
};

// Where each screen's list starts: fit_lists and the renderers agree on it.
inline constexpr int kMenuFirstRow = 5;  // title, three targets, the plan's line
inline constexpr int kPageFirstRow = 1;  // the title
inline constexpr int kNetFirstRow = 3;   // the title, a note or error, the column titles
inline int files_first_row(const FilesState& f) { return f.error ? 4 : 2; }  // title, columns, error

// The bottom line: the status when there is one, else `hints`.
void status_line(Canvas& c, const Model& m, std::string_view hints);

void render_signals(Canvas& c, const Model& m);
void render_confirm(Canvas& c, const Model& m);
void render_page(Canvas& c, const Model& m);
void render_files(Canvas& c, const Model& m);
void render_pager(Canvas& c, const Model& m);
void render_network(Canvas& c, const Model& m);

}  // namespace nsdebug::tui
