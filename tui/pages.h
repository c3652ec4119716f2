#pragma once
// Text pages from what core read (the inspect page is core's: core/diagnosis/inspect_page.h):
// the environment, doctor's findings, and a
// directory listing's rows. Pure: everything untrusted comes out escaped.
#include <functional>
#include <string>
#include <vector>

#include "core/diagnosis/doctor.h"
#include "core/diagnosis/inspect.h"
#include "core/files/rooted_fs.h"
#include "tui/model.h"
#include "tui/outcomes.h"

namespace nsdebug::tui {

std::vector<std::string> env_lines(const Result<EnvironBlock>& env, bool revealed);
std::vector<std::string> doctor_lines(const std::vector<Finding>& findings);

// doctor's findings in the header: where we run, and the first thing that limits us ("").
std::string where_line(const DoctorFacts& facts, const std::vector<Finding>& findings);
std::string verdict_line(const std::vector<Finding>& findings);
std::string caps_line(std::uint64_t cap_eff);

// A listing of `path` for the files view: ".." first, then by name; `user`/`group` name ids as
// the process's container does.
DirListed list_rows(std::string path, std::vector<DirEntry> entries,
                    const std::function<std::string(uid_t)>& user,
                    const std::function<std::string(gid_t)>& group);

// File text split into escaped lines; `partial` is set when the last line has no newline yet.
void append_text(PagerState& p, std::string_view bytes);

}  // namespace nsdebug::tui
