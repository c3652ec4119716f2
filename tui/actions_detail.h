#pragma once
// Inside actions: each screen's key handler (actions.cc dispatches).
#include "tui/actions.h"

namespace nsdebug::tui {

void go_back(Model& m);
void open_help(Model& m);
// Empty, keeping the height its list was fitted to.
void clear_page(TextPage& page);
Effect signal_key(Model& m, Key key);
Effect confirm_key(Model& m, Key key);
Effect files_key(Model& m, Key key);
Effect pager_key(Model& m, Key key);
Effect page_key(Model& m, Key key);
Effect network_key(Model& m, Key key);
// n: the network screen, its sockets read at once.
Effect open_network(Model& m);

}  // namespace nsdebug::tui
