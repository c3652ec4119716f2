#!/bin/bash
# The cross build compiles against aarch64's kernel headers, never the build machine's: what the
# cross compiler's <asm/unistd.h> gives is aarch64's syscall table (the generic one: openat is
# 56, there is no open), and pidfd_open and openat2 are there. A syscall table generated from
# the kernel's headers (issue 16) is then aarch64's in the aarch64 binary.
#   tests/arm64/test_headers.sh AARCH64_C_COMPILER
set -euo pipefail
cc=${1:?usage: test_headers.sh AARCH64_C_COMPILER}
out=$(printf '#include <asm/unistd.h>\nopenat=__NR_openat open=__NR_open pidfd_open=__NR_pidfd_open openat2=__NR_openat2\n' |
      "$cc" -E -P -x c - | tail -1)
header=$(printf '#include <asm/unistd.h>\n' | "$cc" -E -x c - | grep -m1 -o '"[^"]*asm/unistd[^"]*"')
echo "$cc: $header: $out"
if [[ $out == "openat=56 open=__NR_open pidfd_open=434 openat2=437" ]]; then
  echo "aarch64 kernel headers OK"
else
  echo "FAIL: $cc's <asm/unistd.h> is not aarch64's (want openat=56, no open, pidfd_open=434, openat2=437)"
  exit 1
fi
