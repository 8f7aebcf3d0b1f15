/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The floor under a daemon's control round trip, measured with the benchmark's own client: a
 * minimal CTDB control responder on a Unix stream socket. It answers every REQ_CONTROL at once
 * with a REPLY_CONTROL of status 1 (what PING answers for one connected client), no data and
 * no error, and does nothing else: no database, no bookkeeping, one epoll thread, one read and
 * one write per wakeup. Any other packet closes that connection. No daemon can answer a PING
 * from the same client faster than this on the same machine.
 *   control-responder SOCKET-PATH     (tests/bench/run builds it and starts it for "single")
 * Prints "ready" on stdout once the socket listens; runs until killed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

enum {
	HeaderSize = 32,
	ReplySize = 48, /* 44 bytes padded to a multiple of 8 */
	OpReqControl = 7,
	OpReplyControl = 8,
	BufferSize = 64 * 1024,
	MaxConnections = 1024,
};

struct connection {
	unsigned char in[BufferSize];
	size_t have;
};

static struct connection *connections[MaxConnections];

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void drop(int ep, int fd)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
	close(fd);
	free(connections[fd]);
	connections[fd] = NULL;
}

/* Reads what the socket holds, answers every complete request in one write. 0: keep it. */
static int serve(int fd)
{
	static unsigned char out[BufferSize / HeaderSize * ReplySize];
	struct connection *c = connections[fd];
	ssize_t n = recv(fd, c->in + c->have, sizeof c->in - c->have, MSG_DONTWAIT);
	if (n == 0)
		return -1;
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	c->have += (size_t)n;
	size_t used = 0, reply = 0;
	while (c->have - used >= HeaderSize) {
		const unsigned char *req = c->in + used;
		uint32_t length = get32(req);
		if (length < HeaderSize || length > sizeof c->in)
			return -1;
		if (c->have - used < length)
			break;
		if (get32(req + 16) != OpReqControl)
			return -1;
		unsigned char *r = out + reply;
		memset(r, 0, ReplySize);
		put32(r, ReplySize);
		memcpy(r + 4, req + 4, 12);	/* magic, version, generation */
		put32(r + 16, OpReplyControl);
		memcpy(r + 20, req + 24, 4);	/* to the sender */
		memcpy(r + 24, req + 20, 4);	/* from the node addressed */
		memcpy(r + 28, req + 28, 4);	/* reqid */
		put32(r + 32, 1);		/* status */
		reply += ReplySize;
		used += length;
	}
	memmove(c->in, c->in + used, c->have - used);
	c->have -= used;
	for (size_t sent = 0; sent < reply;) {
		ssize_t w = send(fd, out + sent, reply - sent, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		sent += (size_t)w;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: control-responder SOCKET-PATH\n");
		return 2;
	}
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(argv[1]) >= sizeof addr.sun_path) {
		fprintf(stderr, "control-responder: socket path too long\n");
		return 2;
	}
	strcpy(addr.sun_path, argv[1]);
	unlink(argv[1]);
	int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(listener, 64) != 0) {
		perror("control-responder: listen");
		return 1;
	}
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = listener };
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev) != 0) {
		perror("control-responder: epoll");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		struct epoll_event events[64];
		int n = epoll_wait(ep, events, 64, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("control-responder: epoll_wait");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			int fd = events[i].data.fd;
			if (fd == listener) {
				int c = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
				if (c < 0)
					continue;
				if (c >= MaxConnections || !(connections[c] = calloc(1, sizeof **connections))) {
					close(c);
					continue;
				}
				struct epoll_event cev = { .events = EPOLLIN, .data.fd = c };
				if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev) != 0)
					drop(ep, c);
			} else if (connections[fd] && serve(fd) != 0) {
				drop(ep, fd);
			}
		}
	}
}
