#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include "tradewind_sys.h"

int tradewind_set_affinity(const int *cpus, size_t count) {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (size_t i = 0; i < count; i++) {
        if (cpus[i] < 0 || cpus[i] >= CPU_SETSIZE) { errno = EINVAL; return -1; }
        CPU_SET(cpus[i], &set);
    }
    return sched_setaffinity(0, sizeof(set), &set);
}

int tradewind_get_affinity(int *cpus, size_t capacity) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) != 0) return -1;
    size_t n = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE && n < capacity; cpu++) {
        if (CPU_ISSET(cpu, &set)) cpus[n++] = cpu;
    }
    return (int)n;
}
