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
 *   message stream: 16 messages going round the three at once, one driver thread per relay
 *                 passing each on (the relays then batch, as daemons do)
 * Packets are 96 bytes, about a REQ_MESSAGE with 64 bytes of payload. The driver's timed loops
 * match the benchmark's: 5 rounds of 3000 hops, 2000 migrations or 30000 stream hops after a
 * warm-up; it prints one line per measurement: NAME median_us=M p99_us=P ops_per_s=R (rate:
 * median over rounds; the stream has no per-hop latency and prints 0 for it).
 *   ring-floor          (tests/bench/run builds it and runs it for "three")
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
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
enum { Forward = 2, Stop = 3 };

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

/* Per descriptor: bytes read and not yet a whole packet, and bytes to write at the wakeup's end. */
enum { MaxFd = 64, Batch = 256 };
static unsigned char inbuf[MaxFd][Batch * PacketSize];
static size_t inhave[MaxFd];
static unsigned char outbuf[MaxFd][Batch * PacketSize * 2];
static size_t outhave[MaxFd];

/*
 * Relay `self`: pass every packet to the next relay on its route, or to the driver at the end.
 * Like a daemon it reads all a socket holds and writes what each peer is owed in one write at
 * the end of the wakeup.
 */
static void relay(int self, int driver, int out[Relays], int in[Relays])
{
	int ep = epoll_create1(0);
	for (int j = 0; j < Relays; j++)
		if ((j != self && (out[j] >= MaxFd || in[j] >= MaxFd)) || driver >= MaxFd || ep < 0)
			die("relay descriptors");
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
			int fd = events[i].data.fd;
			ssize_t got = read(fd, inbuf[fd] + inhave[fd], sizeof inbuf[fd] - inhave[fd]);
			if (got == 0)
				exit(0);
			if (got < 0) {
				if (errno == EINTR || errno == EAGAIN)
					continue;
				die("read");
			}
			inhave[fd] += (size_t)got;
			size_t used = 0;
			for (; inhave[fd] - used >= PacketSize; used += PacketSize) {
				struct packet p;
				memcpy(&p, inbuf[fd] + used, sizeof p);
				int next = p.route[0];
				memmove(p.route, p.route + 1, 3 * sizeof p.route[0]);
				p.route[3] = -1;
				int to = next < 0 ? driver : out[next];
				if (outhave[to] + PacketSize > sizeof outbuf[to]) {
					write_all(to, outbuf[to], outhave[to]);
					outhave[to] = 0;
				}
				memcpy(outbuf[to] + outhave[to], &p, sizeof p);
				outhave[to] += PacketSize;
			}
			memmove(inbuf[fd], inbuf[fd] + used, inhave[fd] - used);
			inhave[fd] -= used;
		}
		for (int fd = 0; fd < MaxFd; fd++) {
			if (outhave[fd] > 0) {
				write_all(fd, outbuf[fd], outhave[fd]);
				outhave[fd] = 0;
			}
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

/*
 * The ring with StreamInFlight messages going round at once, as the benchmark's message stream:
 * one driver thread per relay receives each message and passes it on through the same relay to
 * the next one, until StreamHops hops are done; the last message retired stops every thread.
 */
enum { StreamInFlight = 16, StreamHops = 30000 };

struct stream {
	int *drivers;
	int issued, retired;
};

struct stream_thread {
	struct stream *s;
	int self;
};

static void *stream_relay(void *arg)
{
	struct stream_thread *t = arg;
	struct stream *s = t->s;
	int fd = t->s->drivers[t->self], next = (t->self + 1) % Relays;
	for (;;) {
		struct packet p;
		read_all(fd, &p, sizeof p);
		if (p.kind == Stop)
			return NULL;
		if (__atomic_add_fetch(&s->issued, 1, __ATOMIC_SEQ_CST) <= StreamHops + StreamInFlight) {
			int32_t route[4] = { next, -1, -1, -1 };
			memcpy(p.route, route, sizeof route);
			write_all(fd, &p, sizeof p);
			continue;
		}
		if (__atomic_add_fetch(&s->retired, 1, __ATOMIC_SEQ_CST) == StreamInFlight) {
			for (int j = 0; j < Relays; j++) {
				struct packet stop = { .kind = Stop, .route = { j == t->self ? -1 : j, -1, -1, -1 } };
				write_all(fd, &stop, sizeof stop);
			}
		}
	}
}

static void measure_stream(int drivers[Relays])
{
	double rates[Rounds];
	for (int round = -1; round < Rounds; round++) {
		struct stream s = { .drivers = drivers };
		struct stream_thread args[Relays];
		pthread_t threads[Relays];
		for (int i = 0; i < Relays; i++) {
			args[i] = (struct stream_thread){ .s = &s, .self = i };
			if (pthread_create(&threads[i], NULL, stream_relay, &args[i]) != 0)
				die("pthread_create");
		}
		double start = now_us();
		for (int m = 0; m < StreamInFlight; m++) {
			struct packet p = { .kind = Forward, .route = { 1, -1, -1, -1 } };
			__atomic_add_fetch(&s.issued, 1, __ATOMIC_SEQ_CST);
			write_all(drivers[0], &p, sizeof p);
		}
		for (int i = 0; i < Relays; i++)
			pthread_join(threads[i], NULL);
		if (round >= 0)
			rates[round] = (s.issued - StreamInFlight) / ((now_us() - start) / 1e6);
	}
	qsort(rates, Rounds, sizeof *rates, by_value);
	printf("message-stream median_us=0 p99_us=0 ops_per_s=%.0f\n", rates[Rounds / 2]);
	fflush(stdout);
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
	measure_stream(drivers);
	for (int i = 0; i < Relays; i++) {
		close(drivers[i]);
		kill(pids[i], SIGTERM);
		waitpid(pids[i], NULL, 0);
	}
	return 0;
}
