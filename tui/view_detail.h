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

// The bottom line: the status when there is one, else `hints`.
void status_line(Canvas& c, const Model& m, std::string_view hints);

void render_signals(Canvas& c, const Model& m);
void render_confirm(Canvas& c, const Model& m);
void render_page(Canvas& c, const Model& m);
void render_files(Canvas& c, const Model& m);
void render_pager(Canvas& c, const Model& m);

}  // namespace nsdebug::tui
