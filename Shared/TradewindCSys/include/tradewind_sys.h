// Linux calls that Glibc's Swift module leaves out (they need _GNU_SOURCE).
#ifndef TRADEWIND_SYS_H
#define TRADEWIND_SYS_H
#include <stddef.h>

// Pins the calling process to the CPUs in `cpus` (count entries); 0 or -1 with errno set.
int tradewind_set_affinity(const int *cpus, size_t count);
// Writes up to `capacity` CPUs the process may run on into `cpus`; returns how many, or -1.
int tradewind_get_affinity(int *cpus, size_t capacity);

#endif
