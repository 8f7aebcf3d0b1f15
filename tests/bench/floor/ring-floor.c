/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The floor under the three-node message and migration rings: the same hops between the same
 * kinds of sockets, with nothing done at each hop but passing the bytes on. Three relay
 * processes stand for the daemons (one epoll thread each, linked by TCP over loopback, one
 * connection per direction per pair, TCP_NODELAY), and one driver process stands for the
 * benchmark's single client thread, holding a Unix stream connection to every relay:
 *   message hop:  driver -> relay A (Unix) -> relay B (TCP) -> driver (Unix)
 *   migration, lmaster one of the two nodes (REQ_CALL to the dmaster, REPLY_DMASTER back):
 *                 driver -> relay A (Unix) -> relay B (TCP) -> relay A (TCP) -> driver (Unix)
 *   migration, lmaster the third node (REQ_CALL, REQ_DMASTER to the lmaster, REPLY_DMASTER):
 *                 driver -> relay A (Unix) -> relay B (TCP) -> relay C (TCP) -> relay A (TCP)
 *                 -> driver (Unix)
 * Packets are 96 bytes, about a REQ_MESSAGE with 64 bytes of payload. The driver's timed loop
 * matches the benchmark's: 5 rounds of 3000 hops or 2000 migrations after a warm-up; it prints
 * one line per measurement: NAME median_us=M p99_us=P ops_per_s=R (median over rounds).
 *   ring-floor          (tests/bench/run builds it and runs it for "three")
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { Relays = 3, PacketSize = 96, Rounds = 5 };
enum { ToDriver = 1, Forward = 2 };

/* A packet: kind, then up to 4 further relays to visit (-1 ends the route), then padding. */
struct packet {
	int32_t kind;
	int32_t route[4];
	unsigned char pad[PacketSize - 5 * sizeof(int32_t)];
};

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("write");
		p += n;
		len -= (size_t)n;
	}
}

static void read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len > 0) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			exit(0);
		if (n < 0)
			die("read");
		p += n;
		len -= (size_t)n;
	}
}

/* Relay `self`: pass every packet to the next relay on its route, or to the driver at the end. */
static void relay(int self, int driver, int out[Relays], int in[Relays])
{
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = driver };
	epoll_ctl(ep, EPOLL_CTL_ADD, driver, &ev);
	for (int j = 0; j < Relays; j++) {
		if (j == self)
			continue;
		ev.data.fd = in[j];
		epoll_ctl(ep, EPOLL_CTL_ADD, in[j], &ev);
	}
	for (;;) {
		struct epoll_event events[8];
		int n = epoll_wait(ep, events, 8, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("epoll_wait");
		for (int i = 0; i < n; i++) {
			struct packet p;
			read_all(events[i].data.fd, &p, sizeof p);
			int next = p.route[0];
			memmove(p.route, p.route + 1, 3 * sizeof p.route[0]);
			p.route[3] = -1;
			write_all(next < 0 ? driver : out[next], &p, sizeof p);
		}
	}
}

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* One operation: enter at relay `first`, visit `route`, come back to the driver from the last. */
static void operation(int drivers[Relays], int first, const int32_t route[4], int last)
{
	struct packet p = { .kind = Forward };
	memcpy(p.route, route, sizeof p.route);
	write_all(drivers[first], &p, sizeof p);
	read_all(drivers[last], &p, sizeof p);
}

/* Times `count` operations per round; op(i) runs operation i. */
static void measure(const char *name, int drivers[Relays], int count, int kind)
{
	double *lat = malloc(sizeof(double) * count * Rounds), rates[Rounds];
	for (int round = -1; round < Rounds; round++) {
		double start = now_us();
		for (int i = 0; i < count; i++) {
			int a = i % 2, b = 1 - a, c = 2;
			int32_t route[4] = { -1, -1, -1, -1 };
			int first, last;
			if (kind == 0) { /* message hop round 0 -> 1 -> 2 -> 0 */
				first = i % Relays;
				last = (first + 1) % Relays;
				route[0] = last;
			} else if (kind == 1) { /* migration, lmaster one of the two */
				first = last = a;
				route[0] = b;
				route[1] = a;
			} else { /* migration through the lmaster on the third node */
				first = last = a;
				route[0] = b;
				route[1] = c;
				route[2] = a;
			}
			double t0 = now_us();
			operation(drivers, first, route, last);
			if (round >= 0)
				lat[round * count + i] = now_us() - t0;
		}
		if (round >= 0)
			rates[round] = count / ((now_us() - start) / 1e6);
	}
	int total = count * Rounds;
	qsort(lat, total, sizeof *lat, by_value);
	qsort(rates, Rounds, sizeof *rates, by_value);
	printf("%s median_us=%.1f p99_us=%.1f ops_per_s=%.0f\n", name, lat[total / 2], lat[(int)(total * 0.99)], rates[Rounds / 2]);
	fflush(stdout);
	free(lat);
}

int main(void)
{
	int listeners[Relays], ports[Relays];
	for (int i = 0; i < Relays; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		socklen_t len = sizeof a;
		listeners[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (listeners[i] < 0 || bind(listeners[i], (struct sockaddr *)&a, sizeof a) != 0 || listen(listeners[i], 8) != 0
		    || getsockname(listeners[i], (struct sockaddr *)&a, &len) != 0)
			die("listen");
		ports[i] = ntohs(a.sin_port);
	}
	int drivers[Relays];
	pid_t pids[Relays];
	for (int i = 0; i < Relays; i++) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
			die("socketpair");
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (pids[i] == 0) {
			close(sv[0]);
			int out[Relays], in[Relays], one = 1;
			for (int j = 0; j < Relays; j++) {
				if (j == i)
					continue;
				struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(ports[j]),
							 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
				out[j] = socket(AF_INET, SOCK_STREAM, 0);
				if (out[j] < 0 || connect(out[j], (struct sockaddr *)&a, sizeof a) != 0)
					die("connect");
				setsockopt(out[j], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
				int32_t id = i;
				write_all(out[j], &id, sizeof id);
			}
			for (int k = 0; k < Relays - 1; k++) {
				int s = accept(listeners[i], NULL, NULL);
				int32_t from;
				if (s < 0)
					die("accept");
				read_all(s, &from, sizeof from);
				setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
				in[from] = s;
			}
			relay(i, sv[1], out, in);
			return 0;
		}
		close(sv[1]);
		drivers[i] = sv[0];
	}
	measure("message-ring", drivers, 3000, 0);
	measure("migration-2", drivers, 2000, 1);
	measure("migration-2-via-3rd", drivers, 2000, 2);
	for (int i = 0; i < Relays; i++) {
		close(drivers[i]);
		kill(pids[i], SIGTERM);
		waitpid(pids[i], NULL, 0);
	}
	return 0;
}
