// The network screen: the pod's sockets in nsdebug net's columns, a header per container.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "tui/text.h"
#include "tui/view_detail.h"

namespace nsdebug::tui {
namespace {

constexpr int kCells = 8;  // NETID STATE RECV-Q SEND-Q LOCAL PEER CONTAINER PROCESS
constexpr std::array<const char*, kCells> kTitles{"NETID", "STATE", "RECV-Q", "SEND-Q",
                                                  "LOCAL", "PEER",  "CONTAINER", "PROCESS"};
constexpr std::array<bool, kCells> kRight{false, false, true, true, false, false, false, false};
constexpr std::size_t kIndent = 2;  // socket rows sit under their group's "== " header

std::array<const std::string*, kCells> cells_of(const SocketRow& r) {
  return {&r.netid, &r.state, &r.recv_q, &r.send_q, &r.local, &r.peer, &r.container, &r.process};
}

// Each column as wide as its widest cell among the rows (so scrolling never moves them),
// addresses and containers capped; PROCESS takes what is left. When that is too little,
// CONTAINER goes first (the group's header names it), then the widest address gives some back.
// A width of 0 hides a column.
std::array<std::size_t, kCells> widths(const NetworkState& n, int screen_width) {
  std::array<std::size_t, kCells> w{};
  for (int i = 0; i < kCells; ++i) w[i] = std::char_traits<char>::length(kTitles[i]);
  for (const NetRow& r : n.rows) {
    if (r.socket < 0) continue;
    auto cells = cells_of(n.sockets[static_cast<std::size_t>(r.socket)].cells);
    for (int i = 0; i < kCells; ++i) w[i] = std::max(w[i], cells[i]->size());
  }
  w[4] = std::min<std::size_t>(w[4], 40);
  w[5] = std::min<std::size_t>(w[5], 40);
  w[6] = std::min<std::size_t>(w[6], 16);
  auto used = [&] {
    std::size_t sum = kIndent;
    for (int i = 0; i < kCells - 1; ++i) sum += w[i] ? w[i] + 1 : 0;
    return sum;
  };
  constexpr std::size_t kMinProcess = 16, kMinAddress = 21;  // 255.255.255.255:65535
  auto width = static_cast<std::size_t>(screen_width);
  if (used() + kMinProcess > width) w[6] = 0;
  while (used() + kMinProcess > width) {
    std::size_t* widest = w[4] >= w[5] ? &w[4] : &w[5];
    if (*widest <= kMinAddress) break;
    --*widest;
  }
  w[7] = used() < width ? width - used() : 0;
  return w;
}

std::string row_text(const std::array<const std::string*, kCells>& cells,
                     const std::array<std::size_t, kCells>& w) {
  std::string out(kIndent, ' ');
  for (int i = 0; i < kCells; ++i) {
    if (w[i] == 0) continue;
    out += fit(*cells[i], w[i], kRight[i]);
    if (i + 1 < kCells) out += ' ';
  }
  return out;
}

std::string title(const NetworkState& n) {
  std::string kinds;
  for (auto [on, name] : {std::pair{n.tcp, "tcp"}, {n.udp, "udp"}, {n.unix_sockets, "unix"},
                          {n.raw, "raw"}})
    if (on) kinds += (kinds.empty() ? "" : " ") + std::string(name);
  std::size_t shown = 0;
  for (const NetRow& r : n.rows) shown += r.socket >= 0;
  std::string states = n.states == StateFilter::listening ? "  [listening only]"
                       : n.states == StateFilter::all    ? "  [every state]"
                                                         : "";
  std::string filter = n.filter.empty() ? "" : "  filter: " + escape_bytes(n.filter);
  return fmt::format("Network of the pod: {} of {} sockets  [{}]{}{}", shown, n.sockets.size(),
                     kinds.empty() ? "no kind" : kinds, states, filter);
}

}  // namespace

void render_network(Canvas& c, const Model& m) {
  const NetworkState& n = m.net;
  c.line(0, title(n), {Color::title, 0, true});
  if (n.error) c.line(1, "cannot read the sockets: " + *n.error, {Color::error});
  else if (!n.note.empty()) c.line(1, "note: " + n.note, {Color::warn});
  auto w = widths(n, c.width());
  std::array<std::string, kCells> titles;
  for (int i = 0; i < kCells; ++i) titles[i] = kTitles[i];
  c.line(2, row_text({&titles[0], &titles[1], &titles[2], &titles[3], &titles[4], &titles[5],
                      &titles[6], &titles[7]}, w),
         {Color::header, 0, true});
  std::size_t h = static_cast<std::size_t>(std::max(0, c.height() - kNetFirstRow - 1));
  for (std::size_t i = 0; i < h; ++i) {
    std::size_t idx = n.list.top + i;
    if (idx >= n.rows.size()) break;
    const NetRow& r = n.rows[idx];
    int row = kNetFirstRow + static_cast<int>(i);
    int color = r.group < 0 ? 0 : r.group;
    if (r.socket < 0) {
      c.line(row, net_group_title(n, r.group), {Color::container0, color, true});
      continue;
    }
    const NetSocket& s = n.sockets[static_cast<std::size_t>(r.socket)];
    Style st = idx == n.list.cursor ? Style{Color::selected}
               : r.group == kNoProcess  ? Style{Color::dim}
                                        : Style{Color::container0, color};
    c.line(row, row_text(cells_of(s.cells), w), st);
  }
  if (n.rows.empty())
    c.line(kNetFirstRow, !n.read            ? "  reading the sockets..."
                         : n.filter.empty() ? "  no socket of these kinds"
                                            : "  no socket matches the filter");
  if (n.filter_prompt) {
    c.line(c.height() - 1, "filter: " + escape_bytes(n.filter) + "_   (Enter keeps, Esc clears)");
    return;
  }
  status_line(c, m, "Enter its process  / filter  l listening  a all states  t u x w kinds  q back");
}

}  // namespace nsdebug::tui
