/* Builds that link libproc2.a. Its numa.o, pulled in by pids.o, dlopen()s libnuma.so the first
 * time a pids handle is made, for the PIDS_PROCESSOR_NODE item, which nsdebug never asks for.
 * In a static nsdebug that one dlopen maps libnuma, libc.so and ld.so beside the static libc
 * and reads /sys/devices/system/node: a tenth of a 25-process `nsdebug ps`. Defined here, these
 * keep the linker from opening numa.o; they are what numa.o itself falls back to when libnuma
 * is missing ("no NUMA": node -1). */
static int no_max_node(void) { return -1; }
static int no_node_of_cpu(int cpu) { (void)cpu; return -1; }

int (*numa_max_node)(void) = no_max_node;
int (*numa_node_of_cpu)(int) = no_node_of_cpu;
void numa_init(void) {}
void numa_uninit(void) {}
