# Cross build for aarch64 (arm64 nodes) on Debian amd64: Debian's cross compiler and the arm64
# builds of the libraries installed beside the amd64 ones through multiarch
# (scripts/deps-arm64.sh). The same sources and flags as the amd64 build:
#
#   scripts/build.sh build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake \
#     -DNSDEBUG_STATIC=ON --target nsdebug unit_tests
#
# Headers: the compiler's own search list reads aarch64's first (/usr/aarch64-linux-gnu/include,
# then /usr/include/aarch64-linux-gnu): <asm/unistd.h> and the kernel's other headers are
# aarch64's, never the build machine's.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(NSDEBUG_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${NSDEBUG_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${NSDEBUG_TRIPLE}-g++)
# find_library and find_package look in /usr/lib/aarch64-linux-gnu, never x86_64-linux-gnu.
set(CMAKE_LIBRARY_ARCHITECTURE ${NSDEBUG_TRIPLE})
# pkg-config reads aarch64's .pc files only (an amd64 one would name amd64 libraries).
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${NSDEBUG_TRIPLE}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
# ctest runs the aarch64 test executables through qemu-user (qemu-user-static); the dynamic
# ones find aarch64's loader and libraries where multiarch put them (/lib/ld-linux-aarch64.so.1).
find_program(NSDEBUG_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
if(NSDEBUG_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${NSDEBUG_QEMU_AARCH64})
endif()
