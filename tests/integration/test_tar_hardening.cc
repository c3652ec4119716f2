// nsdebug tar on what a tar cannot hold (issue 10, defect 6), each stream checked by extracting
// it with GNU tar and compared with what GNU tar itself makes of the same tree.
#include <catch2/catch.hpp>

#include <string>

#include "chroot_target.h"

using nsdebug::testing::Ran;
using nsdebug::testing::with_chroot_target;

namespace {

// $r/data in the target: a (before the socket in sorted order), sock (a unix socket), zz (after
// it), f with a hard link hl. $out: an empty directory of ours.
Ran with_files(const std::string& populate_more, const std::string& body) {
  return with_chroot_target(R"sh(out=$dir/out; mkdir -p $r/data $out
echo a > $r/data/a; echo zz > $r/data/zz; echo linked > $r/data/f; ln $r/data/f $r/data/hl
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' $r/data/sock
)sh" + populate_more,
                            body);
}

}  // namespace

// GNU tar says "socket ignored" and goes on (exiting 0 for it); nsdebug goes on too, but exits
// 1: a copy with something left out is not what the user asked for, and a script must see it.
// The old nsdebug stopped at the socket and closed the stream as if complete.
TEST_CASE("tar leaves a socket out with a warning, stores the rest and exits 1") {
  auto r = with_files("", R"sh($nsdebug tar $pid:/data > $dir/t.tar; echo "rc=$?"
tar tf $dir/t.tar | sort; echo "list=$?"
tar cf $dir/gnu.tar -C $r data 2>$dir/gnu.err; echo "gnu=$?"; cat $dir/gnu.err >&2
[ "$(tar tf $dir/t.tar | sort)" = "$(tar tf $dir/gnu.tar | sort)" ] && echo same-members)sh");
  INFO(r.out << r.err);
  CHECK(r.out == "rc=1\ndata/\ndata/a\ndata/f\ndata/hl\ndata/zz\nlist=0\ngnu=0\nsame-members\n");
  CHECK(r.err.find("/data/sock: a socket: tar cannot hold it, left out\n") != std::string::npos);
  CHECK(r.err.find("tar: data/sock: socket ignored") != std::string::npos);  // GNU tar, exit 0
}

// As GNU tar: the second name of a file is a hard link member ("hl link to data/f" in tar tv),
// and extracting gives one inode with two names.
TEST_CASE("tar stores hard links as links, as GNU tar does") {
  auto r = with_files("rm $r/data/sock", R"sh($nsdebug tar $pid:/data > $dir/t.tar; echo "rc=$?"
tar tvf $dir/t.tar | grep -c ' link to data/f$'
tar xf $dir/t.tar -C $out && stat -c '%h %i' $out/data/f $out/data/hl | sort -u | wc -l
diff -r $r/data $out/data && echo same
tar cf $dir/gnu.tar -C $r data; tar tvf $dir/gnu.tar | grep -c ' link to data/')sh");
  INFO(r.out << r.err);
  CHECK(r.out == "rc=0\n1\n1\nsame\n1\n");
}

// A tree deeper than PATH_MAX: what lies beyond is left out with a warning, the rest (zz, after
// it) is stored, the stream ends properly and extracts. GNU tar 1.34 does store such members
// (with GNU long names) but then cannot extract them either ("File name too long"); nsdebug
// resolves every path from the target's root, where the kernel stops at PATH_MAX.
TEST_CASE("tar leaves out what lies beyond PATH_MAX, says so and stores the rest") {
  auto r = with_files(R"sh(rm $r/data/sock
n=$(printf 'd%.0s' $(seq 200)); (cd $r/data; for i in $(seq 25); do mkdir $n; cd $n; done; echo leaf > leaf))sh",
                      R"sh($nsdebug tar $pid:/data > $dir/t.tar; echo "rc=$?"
tar tf $dir/t.tar > $dir/list; echo "list=$?"; grep -c '^data/zz$' $dir/list
tar xf $dir/t.tar -C $out; echo "x=$?"; cat $out/data/zz)sh");
  INFO(r.out << r.err.substr(0, 2000));
  CHECK(r.out == "rc=1\nlist=0\n1\nx=0\nzz\n");
  CHECK(r.err.find("path longer than PATH_MAX (4096): skipped with all below it") !=
        std::string::npos);
}

// A stream that cannot be written is an error, and it does not end as if complete.
TEST_CASE("tar to /dev/full fails with a message and exit 1") {
  auto r = with_files("rm $r/data/sock", "$nsdebug tar $pid:/data > /dev/full; echo \"rc=$?\"");
  INFO(r.err);
  CHECK(r.out == "rc=1\n");
  CHECK(r.err.find("write stdout") != std::string::npos);
}
