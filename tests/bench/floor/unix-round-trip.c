/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The least time one request/reply over a Unix stream socket between two processes takes on
 * this machine: the floor under any daemon's 1-client control round trip (ctdb PING is a 40-byte
 * request and a 40-byte reply). Run by hand:
 *   gcc -O2 -o /tmp/unix-round-trip tests/bench/floor/unix-round-trip.c && /tmp/unix-round-trip
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { Warmup = 2000, Timed = 20000, Size = 48 };

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    int sv[2];
    char buf[Size] = {0};
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
        perror("socketpair");
        return 1;
    }
    pid_t echo = fork();
    if (echo == 0) {
        close(sv[0]);
        while (read(sv[1], buf, Size) == Size && write(sv[1], buf, Size) == Size) {
        }
        _exit(0);
    }
    close(sv[1]);
    double *us = malloc(Timed * sizeof *us);
    for (int i = 0; i < Warmup + Timed; i++) {
        struct timespec s, e;
        clock_gettime(CLOCK_MONOTONIC, &s);
        if (write(sv[0], buf, Size) != Size || read(sv[0], buf, Size) != Size) {
            perror("round trip");
            return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &e);
        if (i >= Warmup) {
            us[i - Warmup] = (e.tv_sec - s.tv_sec) * 1e6 + (e.tv_nsec - s.tv_nsec) / 1e3;
        }
    }
    close(sv[0]);
    qsort(us, Timed, sizeof *us, by_value);
    printf("Unix stream round trip, %d bytes each way, 2 processes: median %.1f us, p10 %.1f us, min %.1f us\n",
           Size, us[Timed / 2], us[Timed / 10], us[0]);
    free(us);
    return 0;
}
