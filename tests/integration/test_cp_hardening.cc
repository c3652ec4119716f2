// nsdebug cp against hostile and unusual destinations and sources (issue 10, defects 2 and 7),
// each compared with what coreutils cp does on the same input.
#include <catch2/catch.hpp>

#include <string>

#include "chroot_target.h"

using nsdebug::testing::Ran;
using nsdebug::testing::with_chroot_target;

namespace {

// $r/data in the target: conf, f with two more hard links (hl, sub/hl2), sparse (1 GiB, three
// bytes of data at 500 MB and at the end). $out: an empty directory of ours.
Ran with_files(const std::string& body) {
  return with_chroot_target(R"sh(out=$dir/out
mkdir -p $r/data/sub $out
printf 'a = 1\n' > $r/data/conf
echo linked > $r/data/f; ln $r/data/f $r/data/hl; ln $r/data/f $r/data/sub/hl2
truncate -s 1G $r/data/sparse
printf mid | dd of=$r/data/sparse bs=1 seek=500000000 conv=notrunc status=none
printf end | dd of=$r/data/sparse bs=1 seek=$(( (1 << 30) - 3 )) conv=notrunc status=none
# What a node looks like: type, device numbers, inode, size, mtime; a symlink's own target.
node() { stat -c '%F %t:%T %i %s %Y' "$1"; readlink "$1" || true; })sh",
                            body);
}

}  // namespace

// coreutils `cp --force conf DEST` opens DEST and writes into it: into the device (/dev/full:
// ENOSPC), into the FIFO (blocks until a reader comes), through the symlink (the file it names is
// overwritten). nsdebug refuses all three: the bytes come from an untrusted container, and DEST
// must become a copy, not feed a device, a pipe or another file. The old nsdebug unlinked DEST
// and put a regular file there. The device is a mknod'ed twin of /dev/full (1,7), so that a
// failing run replaces ours, not the host's.
TEST_CASE("cp --force refuses a device, FIFO or symlink DEST and leaves it unchanged") {
  auto r = with_files(R"sh(mknod $out/full c 1 7; mkfifo $out/fifo
echo mine > $dir/mine; ln -s $dir/mine $out/link
before=$(for n in $out/full $out/fifo $out/link; do node $n; done; cat $dir/mine)
for d in $out/full $out/fifo $out/link; do
  timeout 10 $nsdebug cp --force $pid:/data/conf $d; echo "rc=$?"
done
after=$(for n in $out/full $out/fifo $out/link; do node $n; done; cat $dir/mine)
[ "$before" = "$after" ] && echo unchanged)sh");
  INFO(r.out << r.err);
  CHECK(r.out == "rc=1\nrc=1\nrc=1\nunchanged\n");
  CHECK(r.err.find("/out/full: exists as a character device: not replaced\n") !=
        std::string::npos);
  CHECK(r.err.find("/out/fifo: exists as a FIFO: not replaced\n") != std::string::npos);
  CHECK(r.err.find("/out/link: exists as a symbolic link: not replaced\n") != std::string::npos);
  CHECK(r.err.find("hint: --force only overwrites regular files") != std::string::npos);
}

// A merge into an earlier copy: the FIFO and the symlink someone left inside it stay, the rest
// is refreshed; coreutils cp -r --force would write into the FIFO and through the symlink.
TEST_CASE("cp --force into a tree leaves non-regular entries there and copies the rest") {
  auto r = with_files(R"sh(rm $r/data/sparse
$nsdebug cp $pid:/data $out/copy || echo first-failed
rm $out/copy/conf; mkfifo $out/copy/conf; ln -sf $dir/mine $out/copy/f; echo mine > $dir/mine
echo changed > $r/data/sub/hl2
timeout 10 $nsdebug cp --force $pid:/data $out/copy; echo "rc=$?"
stat -c %F $out/copy/conf; readlink $out/copy/f; cat $dir/mine $out/copy/sub/hl2)sh");
  INFO(r.out << r.err);
  CHECK(r.out.find("rc=1\nfifo\n") == 0);
  CHECK(r.out.find("/mine\nmine\nchanged\n") != std::string::npos);
  CHECK(r.err.find("copy/conf: exists as a FIFO: not replaced") != std::string::npos);
  CHECK(r.err.find("copy/f: exists as a symbolic link: not replaced") != std::string::npos);
}

// coreutils cp (--sparse=auto, its default) keeps the holes too; both copies must be a few
// blocks, not the 2097152 blocks of a 1 GiB file written out. The content is the same.
TEST_CASE("cp keeps a 1 GiB sparse file sparse, as coreutils cp does") {
  auto r = with_files(R"sh($nsdebug cp $pid:/data/sparse $out/s; echo "rc=$?"
cp $r/data/sparse $out/gnu
cmp $r/data/sparse $out/s && echo same
echo "size=$(stat -c %s $out/s)"
ours=$(stat -c %b $out/s); gnu=$(stat -c %b $out/gnu)
echo "ours=$ours gnu=$gnu" >&2
[ $ours -le $(( gnu + 64 )) ] && [ $ours -lt 4096 ] && echo small)sh");
  INFO(r.out << r.err);
  CHECK(r.out == "rc=0\nsame\nsize=1073741824\nsmall\n");
}

// As coreutils cp -a (and GNU tar): links among the copied files stay links; a file whose other
// link lies outside the tree is copied whole. Plain coreutils cp -r splits them.
TEST_CASE("cp keeps hard links within the copied tree as links") {
  auto r = with_files(R"sh(rm $r/data/sparse; echo outside > $r/o; ln $r/o $r/data/sub/o
$nsdebug cp -v $pid:/data $out/copy; echo "rc=$?"
stat -c '%h %i' $out/copy/f $out/copy/hl $out/copy/sub/hl2 | sort -u | wc -l
stat -c %h $out/copy/f $out/copy/sub/o
cp -a $r/data $out/gnu; stat -c %h $out/gnu/f $out/gnu/sub/o)sh");
  INFO(r.out << r.err);
  CHECK(r.out == "rc=0\n1\n3\n1\n3\n1\n");
  CHECK(r.err.find("2 hard links") != std::string::npos);
}
