// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Real TCP churn without a managed runtime in the way, for the conntrack benchmark:
 *   churn server ADDR PORT                   listen, accept and close each connection, until killed
 *                                            (prints "ready" once listening)
 *   churn client ADDR PORT SECONDS THREADS   each thread: connect(), close with a RST (SO_LINGER 0,
 *                                            so no TIME_WAIT holds the port), again, for SECONDS;
 *                                            prints "MADE FAILED ELAPSED-MS"
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in target;
static double seconds;
static long made_total, failed_total;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *client(void *arg)
{
	double end = *(double *)arg;
	long made = 0, failed = 0;
	struct linger rst = { .l_onoff = 1, .l_linger = 0 };
	while (now() < end) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0) {
			failed++;
			continue;
		}
		if (connect(fd, (struct sockaddr *)&target, sizeof target) == 0) {
			made++;
			setsockopt(fd, SOL_SOCKET, SO_LINGER, &rst, sizeof rst);
		} else {
			failed++;
		}
		close(fd);
	}
	pthread_mutex_lock(&lock);
	made_total += made;
	failed_total += failed;
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s server ADDR PORT | client ADDR PORT SECONDS THREADS\n", argv[0]);
		return 2;
	}
	memset(&target, 0, sizeof target);
	target.sin_family = AF_INET;
	target.sin_port = htons((unsigned short)atoi(argv[3]));
	if (inet_pton(AF_INET, argv[2], &target.sin_addr) != 1) {
		fprintf(stderr, "bad address %s\n", argv[2]);
		return 2;
	}
	if (strcmp(argv[1], "server") == 0) {
		int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (fd < 0 || bind(fd, (struct sockaddr *)&target, sizeof target) != 0 || listen(fd, 65535) != 0) {
			perror("listen");
			return 1;
		}
		printf("ready\n");
		fflush(stdout);
		for (;;) {
			int c = accept(fd, NULL, NULL);
			if (c >= 0)
				close(c);
		}
	}
	if (strcmp(argv[1], "client") != 0 || argc != 6) {
		fprintf(stderr, "usage: %s client ADDR PORT SECONDS THREADS\n", argv[0]);
		return 2;
	}
	seconds = atof(argv[4]);
	int threads = atoi(argv[5]);
	if (threads < 1 || threads > 64) {
		fprintf(stderr, "threads: 1 to 64\n");
		return 2;
	}
	pthread_t t[64];
	double start = now(), end = start + seconds;
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, client, &end);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	printf("%ld %ld %.1f\n", made_total, failed_total, (now() - start) * 1e3);
	return 0;
}
