// nsdebug cp and tar against a "container" made here (own mount namespace, chrooted): modes,
// times and symlinks kept, nothing followed out of the root, problems named per file.
#include <catch2/catch.hpp>

#include <string>

#include "chroot_target.h"

using nsdebug::testing::Ran;
using nsdebug::testing::with_chroot_target;

namespace {

// $pid: the target; $r: its root as seen from here; $out: an empty directory of ours. The tree
// /data: conf (0640, mtime 2001-02-03), run.sh (0755), sub/ (0750) with deep.txt, abs ->
// /etc/secret (resolves in the target's root only), up -> ../../../../etc/secret.
Ran with_tree(const std::string& body) {
  return with_chroot_target(R"sh(out=$dir/out
mkdir -p $r/data/sub $out
echo target-secret > $r/etc/secret
printf 'a = 1\n' > $r/data/conf; chmod 0640 $r/data/conf; touch -d 2001-02-03T04:05:06 $r/data/conf
printf '#!/bin/sh\n' > $r/data/run.sh; chmod 0755 $r/data/run.sh
head -c 300000 /dev/urandom > $r/data/sub/deep.txt; chmod 0750 $r/data/sub
ln -s /etc/secret $r/data/abs; ln -s ../../../../etc/secret $r/data/up)sh",
                            body);
}

}  // namespace

TEST_CASE("cp copies a tree with modes, times and symlinks as symlinks") {
  auto r = with_tree(R"sh($nsdebug cp $pid:/data $out/copy; echo "rc=$?"
diff -r --no-dereference $r/data $out/copy && echo same
stat -c '%n %a' $out/copy/conf $out/copy/run.sh $out/copy/sub
[ "$(stat -c %Y $out/copy/conf)" = "$(date -d 2001-02-03T04:05:06 +%s)" ] && echo mtime-kept
readlink $out/copy/abs $out/copy/up)sh");
  INFO(r.err << r.out);
  CHECK(r.out.find("rc=0") != std::string::npos);
  CHECK(r.out.find("same\n") != std::string::npos);
  CHECK(r.out.find("/copy/conf 640\n") != std::string::npos);
  CHECK(r.out.find("/copy/run.sh 755\n") != std::string::npos);
  CHECK(r.out.find("/copy/sub 750\n") != std::string::npos);
  CHECK(r.out.find("/etc/secret\n../../../../etc/secret\n") != std::string::npos);
  CHECK(r.out.find("mtime-kept\n") != std::string::npos);
}

TEST_CASE("cp of a symlink path copies what it names inside the target root") {
  auto r = with_tree("$nsdebug cp $pid:/data/abs $out/s; echo \"rc=$?\"; cat $out/s");
  INFO(r.err);
  CHECK(r.out == "rc=0\ntarget-secret\n");
}

TEST_CASE("cp refuses an existing DEST without --force, and replaces it with --force") {
  auto r = with_tree(R"sh(echo mine > $out/conf
$nsdebug cp $pid:/data/conf $out/conf; echo "plain=$?"; cat $out/conf
$nsdebug cp --force $pid:/data/conf $out/conf; echo "force=$?"; cat $out/conf)sh");
  INFO(r.err);
  CHECK(r.out == "plain=1\nmine\nforce=0\na = 1\n");
  CHECK(r.err.find("--force") != std::string::npos);
}

TEST_CASE("cp names what it could not copy, copies the rest and exits 1") {
  auto r = with_tree(R"sh(mkfifo $r/data/fifo
timeout 10 $nsdebug cp $pid:/data $out/copy; echo "rc=$?"
test -f $out/copy/sub/deep.txt && echo deep-copied)sh");
  INFO(r.err);
  CHECK(r.out.find("rc=1") != std::string::npos);
  CHECK(r.out.find("deep-copied") != std::string::npos);
  CHECK(r.err.find("/data/fifo") != std::string::npos);
}

TEST_CASE("tar writes a stream GNU tar lists and extracts to the same tree") {
  auto r = with_tree(R"sh($nsdebug tar $pid:/data > $dir/t.tar; echo "rc=$?"
tar tf $dir/t.tar | sort
tar xf $dir/t.tar -C $out && diff -r --no-dereference $r/data $out/data && echo same
stat -c '%n %a' $out/data/conf $out/data/sub; readlink $out/data/abs)sh");
  INFO(r.err << r.out);
  CHECK(r.out.find("rc=0") != std::string::npos);
  CHECK(r.out.find("data/\ndata/abs\ndata/conf\ndata/run.sh\ndata/sub/\ndata/sub/deep.txt\n"
                   "data/up\n") != std::string::npos);
  CHECK(r.out.find("same\n") != std::string::npos);
  CHECK(r.out.find("/data/conf 640\n") != std::string::npos);
  CHECK(r.out.find("/data/sub 750\n") != std::string::npos);
  CHECK(r.out.find("\n/etc/secret\n") != std::string::npos);
}

TEST_CASE("tar -f refuses an existing file without --force; a terminal is refused") {
  auto r = with_tree(R"sh(touch $dir/t.tar; $nsdebug tar $pid:/data -f $dir/t.tar; echo "plain=$?"
$nsdebug tar --force -f $dir/t.tar $pid:/data; echo "force=$?"; tar tf $dir/t.tar | wc -l)sh");
  INFO(r.err);
  CHECK(r.out == "plain=1\nforce=0\n7\n");
}
