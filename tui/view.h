#pragma once
// The model drawn as text and attributes, without a terminal: what every screen shows is
// unit-tested on a Frame.
#include <string>
#include <vector>

#include "tui/model.h"

namespace nsdebug::tui {

enum class Color { normal, title, header, selected, tagged, error, warn, dim, container0 };
inline constexpr int kContainerColors = 6;  // container0 + i % kContainerColors

struct Style {
  Color color = Color::normal;
  int container = 0;  // with Color::container0
  bool bold = false;
};

struct Run {
  int col = 0, len = 0;
  Style style;
};

struct Size {
  int width = 80, height = 24;
};
inline constexpr Size kMinSize{80, 24};

struct Frame {
  Size size;
  std::vector<std::string> lines;      // each exactly size.width bytes, printable ASCII
  std::vector<std::vector<Run>> runs;  // per line, styled stretches
  std::string text() const;            // lines joined by '\n' (tests)
};

// The rows the process list can show at `size`.
int list_height_for(Size size);

// Each list's height set to the lines its screen shows at `size` (before render, after a
// resize): paging and keeping the cursor in view use it.
void fit_lists(Model& m, Size size);

Frame render(const Model& m, Size size);

}  // namespace nsdebug::tui
