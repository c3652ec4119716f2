// The network screen's keys (n): filters like the process list's, and Enter to the process
// that holds the socket.
#include <fmt/format.h>

#include "tui/actions_detail.h"
#include "tui/text.h"

namespace nsdebug::tui {
namespace {

Effect none() { return {}; }

Effect say(Model& m, std::string text, bool error) {
  m.status = std::move(text);
  m.status_error = error;
  return none();
}

Effect filter_key(NetworkState& n, Key key) {
  if (key == kKeyEnter) {
    n.filter_prompt = false;
  } else if (key == kKeyEscape) {
    n.filter_prompt = false;
    n.filter.clear();
  } else if (key == kKeyBackspace) {
    if (!n.filter.empty()) n.filter.pop_back();
  } else if (key >= 0x20 && key < 0x7f) {
    n.filter += static_cast<char>(key);
  } else {
    return none();
  }
  rebuild_net_rows(n);
  return none();
}

// A kind shown or hidden: one shown now must be read (the last read had only the kinds shown).
Effect toggle_kind(NetworkState& n, bool& kind) {
  kind = !kind;
  rebuild_net_rows(n);
  return kind ? Effect{EffectKind::read_sockets} : none();
}

Effect toggle_states(NetworkState& n, StateFilter f) {
  n.states = n.states == f ? StateFilter::usual : f;
  rebuild_net_rows(n);
  return none();
}

// Enter: the process list, on the socket's first holder (still the process read with it).
Effect select_holder(Model& m) {
  const NetSocket* s = selected_socket(m.net);
  if (!s) return say(m, "no socket selected", true);
  if (!s->holder) return say(m, "no process we can see holds this socket", true);
  const Process* p = m.snapshot ? m.snapshot->find(*s->holder) : nullptr;
  if (!p || p->start_ticks != s->holder_start)
    return say(m, fmt::format("PID {} is no longer listed", *s->holder), true);
  m.screen = Screen::processes;
  m.back.clear();
  m.selected = key_of(*p);
  rebuild_rows(m);
  std::string note;
  if (selected_process(m) != p) {  // the process filter hides it
    m.filter.clear();
    m.selected = key_of(*p);
    rebuild_rows(m);
    note = " (the filter hid it: cleared)";
  }
  return say(m, fmt::format("PID {} {} holds {} {}{}", p->pid, escape_bytes(p->comm),
                            s->cells.netid, s->cells.local, note),
             false);
}

}  // namespace

Effect open_network(Model& m) {
  NetworkState& n = m.net;
  n.read = false;
  n.error.reset();
  n.sockets.clear();
  n.filter_prompt = false;
  n.selected.reset();
  clear(n.list);
  rebuild_net_rows(n);
  if (m.screen != Screen::network) m.back.push_back(m.screen);
  m.screen = Screen::network;
  return {EffectKind::read_sockets};
}

Effect network_key(Model& m, Key key) {
  NetworkState& n = m.net;
  if (n.filter_prompt) return filter_key(n, key);
  // Arrows only: l t u x w a are the screen's own.
  if (ListMove move = list_move_of(key, false); move != ListMove::none)
    return move_net_cursor(n, move), none();
  switch (key) {
    case '/': n.filter_prompt = true; return none();
    case 'l': return toggle_states(n, StateFilter::listening);
    case 'a': return toggle_states(n, StateFilter::all);
    case 't': return toggle_kind(n, n.tcp);
    case 'u': return toggle_kind(n, n.udp);
    case 'x': return toggle_kind(n, n.unix_sockets);
    case 'w': return toggle_kind(n, n.raw);
    case kKeyEnter: return select_holder(m);
    case '?':
    case 'h':
    case key_f(1): return open_help(m), none();
    case 'q':
    case kKeyEscape:
    case key_f(10): return go_back(m), none();
    default: return none();
  }
}

}  // namespace nsdebug::tui
