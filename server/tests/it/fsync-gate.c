/*
 * For the durability test only: preloaded into the real server, it holds every
 * fsync and fdatasync of a "-wal" file made by a thread whose name starts with
 * $FSYNC_GATE_THREAD, for as long as the file $FSYNC_GATE_DIR/armed exists. Each
 * held call first appends the file's path to $FSYNC_GATE_DIR/held. The test
 * compiles it with
 *
 *   gcc -O2 -shared -fPIC -o fsync-gate.so fsync-gate.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static void hold_if_armed(int fd) {
  const char *dir = getenv("FSYNC_GATE_DIR");
  const char *thread = getenv("FSYNC_GATE_THREAD");
  if (!dir || !thread) return;
  char armed[4096];
  snprintf(armed, sizeof armed, "%s/armed", dir);
  if (access(armed, F_OK) != 0) return;

  char name[32] = {0};
  if (prctl(PR_GET_NAME, name, 0, 0, 0) != 0) return;
  if (strncmp(name, thread, strlen(thread)) != 0) return;

  char link[64], path[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n < 4) return;
  path[n] = 0;
  if (strcmp(path + n - 4, "-wal") != 0) return;

  char held[4096];
  snprintf(held, sizeof held, "%s/held", dir);
  int f = open(held, O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (f >= 0) {
    path[n] = '\n';
    ssize_t w = write(f, path, (size_t)n + 1);
    (void)w;
    close(f);
  }
  struct timespec t = {0, 1000000};
  while (access(armed, F_OK) == 0) nanosleep(&t, NULL);
}

int fsync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  hold_if_armed(fd);
  return real(fd);
}

int fdatasync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
  hold_if_armed(fd);
  return real(fd);
}
