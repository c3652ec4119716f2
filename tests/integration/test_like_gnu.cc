// Listings and copies that must read as the standard tools' do (issue 13, item 14): ls -l's ACL
// '+' (coreutils ls), cp of pseudo files (coreutils cp), tar's sub-second times and names (GNU
// tar --format=pax). Each compared with the standard tool on the same files.
#include <catch2/catch.hpp>

#include <string>

#include "chroot_target.h"

using nsdebug::testing::with_chroot_target;

// coreutils marks a file with an access ACL, and a directory with a default ACL, by a '+' after
// the mode; the rest of its row is unchanged. The old nsdebug printed no mark.
TEST_CASE("ls -l marks entries with an ACL by '+', as coreutils ls -l does") {
  auto r = with_chroot_target(R"sh(mkdir -p $r/data/acl-dir $r/data/plain-dir
echo x > $r/data/acl-file; echo y > $r/data/plain-file; mkfifo $r/data/fifo
setfacl -m u:12345:r $r/data/acl-file; setfacl -d -m u:12345:r $r/data/acl-dir
ln -s acl-file $r/data/link)sh",
                              R"sh($nsdebug ls -l $pid:/data > $dir/ls; echo "rc=$?"; awk '{print $1, $NF}' $dir/ls
ls -l $r/data | awk 'NF > 2 {print $1, $NF}'
$nsdebug ls -l $pid:/data/acl-file | awk '{print $1}')sh");
  INFO(r.out << r.err);
  std::string expected =
      "drwxr-xr-x+ acl-dir\n-rw-r--r--+ acl-file\nprw-r--r-- fifo\nlrwxrwxrwx acl-file\n"
      "drwxr-xr-x plain-dir\n-rw-r--r-- plain-file\n";
  CHECK(r.out == "rc=0\n" + expected + expected + "-rw-r--r--+\n");
}

// A cgroup file says size 0 and makes its content on read. coreutils cp copies the content; the
// old nsdebug wrote an empty DEST and exited 0 (SEEK_DATA found no data in a file of size 0).
TEST_CASE("cp copies a pseudo file's content, as coreutils cp does") {
  auto r = with_chroot_target("mkdir -p $r/cg $dir/out", R"sh(
nsenter -t $pid -m mount -t cgroup2 none $r/cg || echo "no cgroup2"
nsenter -t $pid -m cat $r/cg/cgroup.max.depth > $dir/want
$nsdebug cp $pid:/cg/cgroup.max.depth $dir/out/ours; echo "rc=$?"
nsenter -t $pid -m cp $r/cg/cgroup.max.depth $dir/out/gnu; echo "gnu=$?"
[ -s $dir/want ] && echo nonempty
cmp $dir/want $dir/out/ours && echo same
cmp $dir/want $dir/out/gnu && echo gnu-same)sh");
  INFO(r.out << r.err);
  CHECK(r.out == "rc=0\ngnu=0\nnonempty\nsame\ngnu-same\n");
}

// A file of size 0 whose read fails (here /proc/PID/mem: EIO at offset 0) is not copied, and
// no empty DEST is left to pass for a copy. The old nsdebug failed with "Invalid argument" and
// left an empty DEST; coreutils cp leaves one too.
TEST_CASE("cp of a pseudo file whose read fails leaves no DEST and exits 1") {
  auto r = with_chroot_target("mkdir -p $r/proc $dir/out", R"sh(
nsenter -t $pid -m mount -t proc proc $r/proc || echo "no proc"
$nsdebug cp $pid:/proc/$pid/mem $dir/out/mem; echo "rc=$?"
[ -e $dir/out/mem ] && echo "left DEST" || echo "no DEST"
nsenter -t $pid -m cp $r/proc/$pid/mem $dir/out/gnu; echo "gnu=$?"
[ -e $dir/out/gnu ] && echo "gnu left DEST" >&2)sh");
  INFO(r.out << r.err);
  CHECK(r.out == "rc=1\nno DEST\ngnu=1\n");
}

// A copy that fails part-way (here: no space left) removes the file it created, so that no
// partial DEST passes for a copy. coreutils cp leaves the partial file (64 KiB of 300 KB here).
TEST_CASE("cp that fails part-way removes the DEST it created") {
  auto r = with_chroot_target(
      "mkdir -p $r/data $dir/small; head -c 300000 /dev/urandom > $r/data/big",
      R"sh(mount -t tmpfs -o size=64k tmpfs $dir/small || echo "no tmpfs"
$nsdebug cp $pid:/data/big $dir/small/ours; echo "rc=$?"
[ -e $dir/small/ours ] && echo "left DEST" || echo "no DEST"
rm -f $dir/small/ours; cp $r/data/big $dir/small/gnu; echo "gnu=$?"
echo "gnu left $(stat -c %s $dir/small/gnu)" >&2
umount $dir/small)sh");
  INFO(r.out << r.err);
  CHECK(r.out == "rc=1\nno DEST\ngnu=1\n");
  CHECK(r.err.find("No space left on device") != std::string::npos);
}

// GNU tar --format=pax keeps each member's mtime to the nanosecond; the old nsdebug (libarchive's
// restricted pax) kept seconds only. Names that are UTF-8 are stored as they are, with no
// "hdrcharset" record, which GNU tar does not know and warns about.
TEST_CASE("tar keeps nanosecond mtimes and UTF-8 names as GNU tar --format=pax does") {
  auto r = with_chroot_target(R"sh(mkdir -p $r/data/sub
echo a > $r/data/a; echo b > $r/data/été; ln -s été $r/data/lien-vers-été
printf 'e\xcc\x81' > "$r/data/$(printf 'nfd-e\xcc\x81')"
touch -h -d '2024-01-02 03:04:05.123456789' $r/data/a $r/data/été $r/data/lien-vers-été
touch -d '2023-05-06 07:08:09.987654321' $r/data/sub $r/data/nfd-*
touch -d '2022-01-01 00:00:00.000000001' $r/data)sh",
                              R"sh(
list() { tar --full-time -tvf "$1" 2>>$dir/warn | awk '{print $4, $5, $6, $7, $8}' | sort; }
$nsdebug tar $pid:/data > $dir/ours.tar; echo "rc=$?"
tar --format=pax -cf $dir/gnu.tar -C $r data
list $dir/ours.tar > $dir/ours; list $dir/gnu.tar > $dir/gnu
cat $dir/ours >&2
grep -c '\.123456789 ' $dir/ours
diff $dir/gnu $dir/ours >&2 && echo same
cat $dir/warn >&2; [ -s $dir/warn ] || echo no-warnings
grep -ac hdrcharset $dir/ours.tar)sh");
  INFO(r.out << r.err);
  CHECK(r.out == "rc=0\n3\nsame\nno-warnings\n0\n");
}
