# Sourced by the arm64 tests: what an ELF file is, from its own header (the build machine's
# file(1) and binutils need not know the architecture).
# elf_check FILE ARCH: FILE is a 64-bit little-endian static executable for ARCH (amd64, arm64):
# e_machine 62 or 183, e_type EXEC, no PT_INTERP. Prints why not and returns 1.
elf_check() {
  local f=$1 arch=$2 want magic class data etype machine phoff phentsize phnum i ptype
  case $arch in amd64) want=62 ;; arm64) want=183 ;; *) echo "elf_check: arch $arch?"; return 1 ;; esac
  magic=$(od -An -c -N4 "$f" | tr -d ' ')
  [[ $magic == '177ELF' ]] || { echo "$f: no ELF file ($magic)"; return 1; }
  read -r class data < <(od -An -tu1 -j4 -N2 "$f")
  read -r etype machine < <(od -An -tu2 -j16 -N4 "$f")
  [[ $class == 2 && $data == 1 && $etype == 2 && $machine == "$want" ]] || {
    echo "$f: class $class data $data type $etype machine $machine (want 2 1 2 $want: $arch)"; return 1; }
  # The program headers: PT_INTERP (3) would name a loader a FROM scratch image does not have.
  phoff=$(od -An -tu8 -j32 -N8 "$f" | tr -d ' ')
  read -r phentsize phnum < <(od -An -tu2 -j54 -N4 "$f")
  for ((i = 0; i < phnum; i++)); do
    ptype=$(od -An -tu4 -j$((phoff + i * phentsize)) -N4 "$f" | tr -d ' ')
    [[ $ptype == 3 ]] && { echo "$f: has a program interpreter (PT_INTERP): not static"; return 1; }
  done
  return 0
}
