// /proc/PID/mountinfo and the kubelet's termination-log mount that names a container.
#include <string>

#include <fmt/format.h>

#include "core/proc/proc_parse.h"
#include "tests/fuzz/fuzz.h"

namespace {
// The kernel's mangling of paths (mangle() in fs/proc_namespace.c): ' ', '\t', '\n', '\\'.
std::string mangle(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\\')
      out += fmt::format("\\{:03o}", static_cast<unsigned char>(c));
    else
      out += c;
  }
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz_text(data, size);
  auto mounts = nsdebug::parse_mountinfo(text);
  std::string rendered;
  for (const auto& m : mounts) {
    for (const auto* raw : {&m.options, &m.fstype, &m.super_options})
      FUZZ_CHECK(raw->find_first_of(" \n") == std::string::npos);
    rendered += fmt::format("{} {} 0:0 {} {} {} - {} {} {}\n", m.id, m.parent, mangle(m.root),
                            mangle(m.mount_point), m.options, m.fstype, mangle(m.source),
                            m.super_options);
  }
  // Written back the kernel's way, the mounts parse to the same mounts.
  auto again = nsdebug::parse_mountinfo(rendered);
  FUZZ_CHECK(again.size() == mounts.size());
  for (std::size_t i = 0; i < mounts.size(); ++i) {
    const auto &a = mounts[i], &b = again[i];
    FUZZ_CHECK(a.id == b.id && a.parent == b.parent && a.root == b.root &&
               a.mount_point == b.mount_point && a.options == b.options && a.fstype == b.fstype &&
               a.source == b.source && a.super_options == b.super_options);
  }
  if (auto k = nsdebug::kubelet_container(mounts)) {
    FUZZ_CHECK(!k->name.empty() && !k->pod_uid.empty());
    FUZZ_CHECK(k->name.find('/') == std::string::npos && k->pod_uid.find('/') == std::string::npos);
  }
  return 0;
}
