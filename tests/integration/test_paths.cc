// The bad-input matrix's Paths row (issue 10): every file command against hostile paths in a
// "container" made here. Each case checks the message, the exit code, and that nothing in the
// target changed (a listing of every node, with mode, size, times and content, before and after).
#include <catch2/catch.hpp>

#include <string>

#include "chroot_target.h"

using nsdebug::testing::Ran;
using nsdebug::testing::with_chroot_target;

namespace {

// $r/m in the target: toroot -> /, above -> /../../.., loop1 <-> loop2, fifo, sock, null (1,3),
// names that are not UTF-8, hold a newline, hold an escape sequence; /etc/marker says "target".
// `snap` prints every node of the target (but /usr, ours) with its content's checksum; `same`
// says "unchanged" when it matches the one taken before the body ran.
Ran with_paths(const std::string& body) {
  return with_chroot_target(R"sh(out=$dir/out; mkdir -p $r/m $out
echo target > $r/etc/marker
ln -s / $r/m/toroot; ln -s /../../.. $r/m/above; ln -s loop2 $r/m/loop1; ln -s loop1 $r/m/loop2
mkfifo $r/m/fifo; mknod $r/m/null c 1 3
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' $r/m/sock
echo bad > $r/m/$'bad\xff\xfe'; echo nl > $r/m/$'new\nline'; echo esc > $r/m/$'esc\e]0;PWNED\a'
# SKIP: a directory the test itself changes, left out of the comparison.
snap() {
  (cd $r && find . \( -path ./usr -o -path "./${SKIP:-.none}" \) -prune -o \
     -printf '%p %y %m %s %T@ %C@ %l\n' | sort
   find . \( -path ./usr -o -path "./${SKIP:-.none}" \) -prune -o -type f -print0 | sort -z |
     xargs -0r md5sum)
}
snap > $dir/before
same() { snap > $dir/after; cmp -s $dir/before $dir/after && echo unchanged || echo CHANGED; })sh",
                            body + "\nsame");
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("paths: an empty path is a usage error (exit 2) for every file command") {
  auto r = with_paths(R"sh(for c in cat ls stat tail tar; do $nsdebug $c "$pid:" >/dev/null; echo "$c=$?"; done
$nsdebug cp "$pid:" $out/x; echo "cp=$?")sh");
  INFO(r.out << r.err);
  CHECK(r.out == "cat=2\nls=2\nstat=2\ntail=2\ntar=2\ncp=2\nunchanged\n");
  CHECK(has(r.err, ":': empty path\n"));
}

// Relative paths start at the target's root (there is no other cwd to start from); ".." at the
// root stays there, as in the kernel's own lookup, so no chain reaches our files.
TEST_CASE("paths: relative paths and .. chains resolve inside the target's root") {
  auto r = with_paths(R"sh($nsdebug cat $pid:etc/marker $pid:../../../../etc/marker \
  $pid:/m/../../../etc/marker; echo "rc=$?"
$nsdebug cat $pid:/../../etc/hostname; echo "host=$?")sh");
  INFO(r.out << r.err);
  CHECK(r.out == "target\ntarget\ntarget\nrc=0\nhost=1\nunchanged\n");
  CHECK(has(r.err, "/../../etc/hostname: No such file or directory"));
}

// coreutils (from our root) would follow toroot to our / and list our files; nsdebug resolves
// absolute symlinks and their .. in the target's root.
TEST_CASE("paths: absolute symlinks to / and above it stay in the target's root") {
  auto r = with_paths(R"sh($nsdebug ls $pid:/m/toroot/ | tr '\n' ' '; echo "ls=$?"
$nsdebug cat $pid:/m/above/etc/marker; echo "cat=$?"
$nsdebug stat $pid:/m/above | grep Resolved
$nsdebug cp $pid:/m/toroot/etc/marker $out/c; cat $out/c; readlink $r/m/above)sh");
  INFO(r.out << r.err);
  CHECK(has(r.out, "bin etc lib lib64 m tmp usr ls=0\n"));  // the target's root; ours has no m
  CHECK(has(r.out, "target\ncat=0\n  Resolved: /\ntarget\n/../../..\nunchanged\n"));
}

TEST_CASE("paths: a symlink loop is an error (ELOOP) for commands that follow it") {
  auto r = with_paths(R"sh(for c in cat tail; do $nsdebug $c $pid:/m/loop1; echo "$c=$?"; done
$nsdebug cp $pid:/m/loop1 $out/l; echo "cp=$?"
$nsdebug stat $pid:/m/loop1 > $dir/s; echo "stat=$?"; grep Resolved $dir/s
$nsdebug ls -l $pid:/m/loop1 | grep -c 'loop1 -> loop2')sh");
  INFO(r.out << r.err);
  // stat and ls describe the symlink itself (lstat), as coreutils stat and ls do.
  CHECK(r.out == "cat=1\ntail=1\ncp=1\nstat=0\n"
                 "  Resolved: (does not resolve: Too many levels of symbolic links)\n1\nunchanged\n");
  CHECK(has(r.err, "/m/loop1: Too many levels of symbolic links\n"));
}

// PATH_MAX counts the final NUL: 4096 bytes of path are one too many for every syscall, as
// for coreutils stat ("File name too long").
TEST_CASE("paths: a 4096-byte path is refused with ENAMETOOLONG") {
  auto r = with_paths(R"sh(p=/$(printf 'a%.0s' $(seq 4095))
for c in cat ls stat tail; do $nsdebug $c $pid:$p >/dev/null; echo "$c=$?"; done
$nsdebug tar $pid:$p >/dev/null; echo "tar=$?"; $nsdebug cp $pid:$p $out/x; echo "cp=$?"
stat $r$p 2>&1 >/dev/null | grep -c 'File name too long')sh");
  INFO(r.out << r.err.substr(0, 1000));
  CHECK(r.out == "cat=1\nls=1\nstat=1\ntail=1\ntar=1\ncp=1\n1\nunchanged\n");
  CHECK(has(r.err, "File name too long"));
}

// Hostile names pass through byte for byte: cp gives the same names, tar members extract to the
// same names with GNU tar, ls lists each (how a terminal sees them is the output layer's job).
TEST_CASE("paths: non-UTF-8 names, newlines and escape sequences are copied and archived exactly") {
  auto r = with_paths(R"sh(rm $r/m/sock; snap > $dir/before
$nsdebug cp $pid:/m $out/copy 2>/dev/null; echo "cp=$?"
(cd $r/m && find . -type f | sort) > $dir/src; (cd $out/copy && find . -type f | sort) > $dir/dst
cmp $dir/src $dir/dst && echo same-names
$nsdebug tar $pid:/m 2>/dev/null > $dir/t.tar; echo "tar=$?"; mkdir $out/x; tar xf $dir/t.tar -C $out/x
(cd $out/x/m && find . -type f | sort) | cmp - $dir/src && echo same-members
cat $out/copy/$'bad\xff\xfe' $out/x/m/$'new\nline' $out/copy/$'esc\e]0;PWNED\a'
$nsdebug ls $pid:/m > /dev/null; echo "ls=$?")sh");
  INFO(r.out << r.err);
  // cp leaves out the FIFO and the device (exit 1); tar stores them as headers, as GNU tar.
  CHECK(r.out == "cp=1\nsame-names\ntar=0\nsame-members\nbad\nnl\nesc\nls=0\nunchanged\n");
}

// Opening a FIFO for reading blocks until a writer comes (coreutils cat waits forever); nsdebug
// cat, tail and cp refuse it at once without opening it; stat and ls describe it.
TEST_CASE("paths: FIFOs, sockets and devices are refused by cat and tail, never opened") {
  auto r = with_paths(R"sh(for f in fifo sock null; do
  for c in cat tail; do timeout 10 $nsdebug $c $pid:/m/$f; echo "$c-$f=$?"; done
  timeout 10 $nsdebug cp $pid:/m/$f $out/$f; echo "cp-$f=$?"
done
timeout 10 $nsdebug stat $pid:/m/fifo | grep Type; timeout 10 $nsdebug stat $pid:/m/sock | grep Type
timeout 10 $nsdebug ls -l $pid:/m | grep -E '^[ps]' | cut -c1 | tr -d '\n'; echo
ls $out | wc -l)sh");
  INFO(r.out << r.err);
  for (std::string f : {"fifo", "sock", "null"})
    for (std::string c : {"cat", "tail", "cp"}) CHECK(has(r.out, c + "-" + f + "=1\n"));
  CHECK(has(r.out, "  Type: FIFO\n  Type: socket\nps\n0\nunchanged\n"));
  CHECK(has(r.err, "/m/fifo: a FIFO, not a regular file\n"));
  CHECK(has(r.err, "/m/null: a character device, not a regular file\n"));
}

// Growing under tar: the member holds the size its header gave, and tar says the file changed,
// as GNU tar does ("file changed as we read it", exit 1). Shrinking: padded to that size, said
// too. The pipe is held unread while the file changes, so tar is mid-file when it does.
TEST_CASE("paths: a file that grows or shrinks while tar reads it is stored whole and reported") {
  auto r = with_paths(R"sh(mkdir $r/g; head -c 8000000 /dev/zero > $r/g/grow; head -c 8000000 /dev/zero > $r/g/shrink
SKIP=g; snap > $dir/before
($nsdebug tar $pid:/g/grow; echo "grow=$?" >&2) | (sleep 1; cat > $dir/g.tar) & w=$!
sleep 0.5; head -c 1000000 /dev/zero >> $r/g/grow; wait $w
($nsdebug tar $pid:/g/shrink; echo "shrink=$?" >&2) | (sleep 1; cat > $dir/s.tar) & w=$!
sleep 0.5; truncate -s 100000 $r/g/shrink; wait $w
tar tvf $dir/g.tar | awk '{print $3}'; tar tvf $dir/s.tar | awk '{print $3}')sh");
  INFO(r.out << r.err);
  CHECK(r.out == "8000000\n8000000\nunchanged\n");
  CHECK(has(r.err, "/g/grow: file changed as we read it: stored its first 8000000 bytes\n"));
  CHECK(has(r.err, "grow=1\n"));
  CHECK(has(r.err, "shrank while being read: padded with zeros in the tar\n"));
  CHECK(has(r.err, "shrink=1\n"));
}

// A FIFO moved over the log while tail -f runs is not opened (it would take a reader's data);
// tail keeps the file it has, and takes the next regular file put there.
TEST_CASE("paths: tail -f survives its file being replaced by a FIFO, then by a new file") {
  auto r = with_paths(R"sh(mkdir $r/log; echo one > $r/log/app; SKIP=log; snap > $dir/before
$nsdebug tail -f $pid:/log/app > $out/t 2>$dir/err & t=$!
seen() { for i in $(seq 100); do grep -qx "$1" $out/t && return 0; sleep 0.05; done; return 1; }
seen one || echo no-one
mkfifo $r/log/f; mv $r/log/f $r/log/app; sleep 0.6
echo two > $r/log/new; mv $r/log/new $r/log/app; seen two || echo no-two
kill -INT $t; wait $t; echo "rc=$?"; cat $dir/err >&2)sh");
  INFO(r.out << r.err);
  CHECK(r.out == "rc=0\nunchanged\n");
}

// coreutils ls lists 100,000 entries in well under a second; nsdebug lstats each (for -l and
// -R) through one open directory, so it must stay in that league, not minutes.
TEST_CASE("paths: ls of a directory of 100,000 entries finishes quickly") {
  auto r = with_paths(R"sh(mkdir $r/big; (cd $r/big && seq -f 'f%06.0f' 100000 | xargs touch)
snap > $dir/before
s=$(date +%s%N); $nsdebug ls $pid:/big | wc -l; echo "rc=${PIPESTATUS[0]}"
$nsdebug ls -l $pid:/big | tail -1 | awk '{print $NF}'; e=$(date +%s%N)
echo "ms=$(( (e - s) / 1000000 ))" >&2; [ $(( (e - s) / 1000000 )) -lt 20000 ] && echo fast)sh");
  INFO(r.out << r.err);
  CHECK(r.out == "100000\nrc=0\nf100000\nfast\nunchanged\n");
}
