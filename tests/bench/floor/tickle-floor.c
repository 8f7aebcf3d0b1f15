// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The floor under one tickle round: N tickle ACKs (IPv4, from SERVER:SPORT to CLIENT:first..)
 * built and sent one sendto() each through a raw socket, nothing else. Prints the time the
 * sends took in milliseconds (CLOCK_MONOTONIC, process start not counted).
 *
 *   tickle-floor SERVER SPORT CLIENT FIRST-PORT COUNT
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t add(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	return sum;
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: %s SERVER SPORT CLIENT FIRST-PORT COUNT\n", argv[0]);
		return 2;
	}
	struct in_addr server, client;
	if (inet_pton(AF_INET, argv[1], &server) != 1 || inet_pton(AF_INET, argv[3], &client) != 1) {
		fprintf(stderr, "bad address\n");
		return 2;
	}
	int sport = atoi(argv[2]), first = atoi(argv[4]), count = atoi(argv[5]);
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int failed = 0;
	for (int i = 0; i < count; i++) {
		uint8_t packet[40];
		memset(packet, 0, sizeof packet);
		struct iphdr *ip = (struct iphdr *)packet;
		struct tcphdr *tcp = (struct tcphdr *)(packet + 20);
		ip->version = 4;
		ip->ihl = 5;
		ip->tot_len = htons(40);
		ip->id = htons((uint16_t)(0x8000 | (i & 0x7fff)));
		ip->ttl = 64;
		ip->protocol = IPPROTO_TCP;
		ip->saddr = server.s_addr;
		ip->daddr = client.s_addr;
		ip->check = htons(fold(add(packet, 20, 0)));
		tcp->source = htons((uint16_t)sport);
		tcp->dest = htons((uint16_t)(first + i));
		tcp->doff = 5;
		tcp->ack = 1;
		tcp->window = htons(1234);
		uint8_t pseudo[12];
		memcpy(pseudo, &ip->saddr, 4);
		memcpy(pseudo + 4, &ip->daddr, 4);
		pseudo[8] = 0;
		pseudo[9] = IPPROTO_TCP;
		pseudo[10] = 0;
		pseudo[11] = 20;
		tcp->check = htons(fold(add(tcp, 20, add(pseudo, 12, 0))));
		struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = client };
		if (sendto(fd, packet, sizeof packet, 0, (struct sockaddr *)&to, sizeof to) != (ssize_t)sizeof packet)
			failed++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	printf("%.3f %d\n", ms, failed);
	close(fd);
	return failed ? 1 : 0;
}
