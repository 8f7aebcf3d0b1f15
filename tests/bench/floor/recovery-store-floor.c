// SPDX-License-Identifier: GPL-3.0-or-later
//
// The floor under a recovery's push on this machine: what libtdb alone needs for every surviving
// node to take a database's merged records in a recovery transaction. NODES processes (one per
// surviving node, all at once, as the nodes do it) each hold a volatile-style TDB (100001 chains,
// no sync, the incompatible hash) with its own share of the records, then, timed from a common
// start: a read-only traverse of its own records (the pull), transaction start, wipe, store every merged record (an ltdb header of 24 bytes and a
// value of 100 bytes, keys as the scale benchmark's), commit, without chain locks (a frozen database
// needs none). No daemon, no network, no merge:
// no recovery that stores the records with libtdb can finish sooner.
//
//   recovery-store-floor DIR NODES SHARE MERGED    prints "store_floor_ms=M"
//
// Build: gcc -O2 -Wall -Werror -o recovery-store-floor recovery-store-floor.c -ltdb
#include <sys/types.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <tdb.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int store(struct tdb_context *tdb, long i, unsigned char *record, size_t size)
{
    char key[32];
    int len = snprintf(key, sizeof key, "scale-%ld", i);
    TDB_DATA k = { (unsigned char *)key, (size_t)len };
    TDB_DATA v = { record, size };
    return tdb_store(tdb, k, v, TDB_REPLACE);
}

static int count_record(struct tdb_context *tdb, TDB_DATA key, TDB_DATA data, void *state)
{
    (void)tdb;
    (void)key;
    *(size_t *)state += data.dsize;
    return 0;
}

static int node(const char *dir, int index, long share, long merged, int ready, int go)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/floor.%d.tdb", dir, index);
    unlink(path);
    struct tdb_context *tdb = tdb_open(path, 100001, TDB_NOSYNC | TDB_NOLOCK | TDB_INCOMPATIBLE_HASH | TDB_DISALLOW_NESTING,
                                       O_RDWR | O_CREAT, 0600);
    if (tdb == NULL) {
        perror("tdb_open");
        return 1;
    }
    unsigned char record[24 + 100];
    memset(record, 0, 24);
    memset(record + 24, 's', 100);
    for (long i = 0; i < share; i++) {
        if (store(tdb, i * 3 + index, record, sizeof record) != 0) {
            fprintf(stderr, "fill: %s\n", tdb_errorstr(tdb));
            return 1;
        }
    }
    char c = 'r';
    if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 1) {
        return 1;
    }
    size_t bytes = 0;
    if (tdb_traverse_read(tdb, count_record, &bytes) != share) {
        fprintf(stderr, "traverse: %s\n", tdb_errorstr(tdb));
        return 1;
    }
    if (tdb_transaction_start(tdb) != 0 || tdb_wipe_all(tdb) != 0) {
        fprintf(stderr, "transaction: %s\n", tdb_errorstr(tdb));
        return 1;
    }
    for (long i = 0; i < merged; i++) {
        if (store(tdb, i, record, sizeof record) != 0) {
            fprintf(stderr, "store: %s\n", tdb_errorstr(tdb));
            return 1;
        }
    }
    if (tdb_transaction_commit(tdb) != 0) {
        fprintf(stderr, "commit: %s\n", tdb_errorstr(tdb));
        return 1;
    }
    tdb_close(tdb);
    unlink(path);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s DIR NODES SHARE MERGED\n", argv[0]);
        return 2;
    }
    int nodes = atoi(argv[2]);
    long share = atol(argv[3]), merged = atol(argv[4]);
    int go[2], ready[2];
    if (nodes < 1 || pipe(go) != 0 || pipe(ready) != 0) {
        return 2;
    }
    pid_t *pids = calloc((size_t)nodes, sizeof *pids);
    for (int i = 0; i < nodes; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            close(go[1]);
            close(ready[0]);
            _exit(node(argv[1], i, share, merged, ready[1], go[0]));
        }
    }
    close(go[0]);
    close(ready[1]);
    // Every node fills its share first (not timed), then all start together.
    for (int got = 0; got < nodes;) {
        char c;
        if (read(ready[0], &c, 1) != 1) {
            fprintf(stderr, "a node failed before the start\n");
            return 1;
        }
        got++;
    }
    double start = now_ms();
    char bytes[4096];
    memset(bytes, 'g', sizeof bytes);
    for (int left = nodes; left > 0;) {
        int n = left < (int)sizeof bytes ? left : (int)sizeof bytes;
        if (write(go[1], bytes, (size_t)n) != n) {
            return 1;
        }
        left -= n;
    }
    bool ok = true;
    for (int i = 0; i < nodes; i++) {
        int status;
        waitpid(pids[i], &status, 0);
        ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    double ms = now_ms() - start;
    if (!ok) {
        fprintf(stderr, "a node failed\n");
        return 1;
    }
    printf("store_floor_ms=%.1f\n", ms);
    return 0;
}
