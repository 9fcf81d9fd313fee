/*
 * For the intake benchmark only, never for a server: makes every fsync and
 * fdatasync of the process it is preloaded into take SLOW_FSYNC_US microseconds
 * longer (default 3500), after the real call has returned. It emulates a disk
 * whose flush sets the pace, like the one the intake goal was written for (about
 * 270 commits/s with one row each), on a machine whose disk flushes 10-15 times
 * faster. The raw ceiling and the intake in the same run both pay it.
 *
 *   gcc -O2 -shared -fPIC -o target/slow-fsync.so server/benches/slow-fsync.c -ldl
 *   cargo bench -p meldpunt-server --bench intake --no-run   # prints the binary
 *   LD_PRELOAD=$PWD/target/slow-fsync.so target/release/deps/intake-<hash> --bench
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>

static void slow_down(void) {
  const char *v = getenv("SLOW_FSYNC_US");
  long us = v ? atol(v) : 3500;
  struct timespec t = {us / 1000000, (us % 1000000) * 1000};
  nanosleep(&t, NULL);
}

int fsync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  int r = real(fd);
  slow_down();
  return r;
}

int fdatasync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
  int r = real(fd);
  slow_down();
  return r;
}
