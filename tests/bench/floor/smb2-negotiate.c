// SPDX-License-Identifier: GPL-3.0-or-later
// The floor of any SMB health check that runs as its own process: start, open one TCP connection
// to smbd, send an SMB2 NEGOTIATE, read the whole response, check it, exit. Nothing else: no
// configuration, no /proc, no logging.
//
//     smb2-negotiate ADDRESS PORT     exit 0 on a successful NEGOTIATE response, 1 otherwise
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void put16(uint8_t *p, uint16_t v) { p[0] = v & 0xff; p[1] = v >> 8; }

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: smb2-negotiate ADDRESS PORT\n");
        return 2;
    }
    // 4-byte direct TCP length, 64-byte SMB2 header, 36-byte NEGOTIATE body, 4 dialects.
    uint8_t req[4 + 64 + 36 + 8];
    memset(req, 0, sizeof req);
    uint32_t len = sizeof req - 4;
    req[1] = (len >> 16) & 0xff; req[2] = (len >> 8) & 0xff; req[3] = len & 0xff;
    uint8_t *h = req + 4;
    memcpy(h, "\xfeSMB", 4);
    put16(h + 4, 64);   // header structure size
    put16(h + 14, 1);   // credits requested
    uint8_t *b = h + 64;
    put16(b, 36);       // body structure size
    put16(b + 2, 4);    // dialect count
    put16(b + 4, 1);    // security mode: signing enabled
    memcpy(b + 12, "ctdbpcmk-floor-1", 16); // client GUID
    static const uint16_t dialects[] = { 0x0202, 0x0210, 0x0300, 0x0302 };
    for (int i = 0; i < 4; i++)
        put16(b + 36 + 2 * i, dialects[i]);

    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2])) };
    if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1)
        return 2;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
        return 1;
    if (write(fd, req, sizeof req) != (ssize_t)sizeof req)
        return 1;
    uint8_t buf[65536];
    size_t have = 0;
    while (have < 4 || have < 4 + ((size_t)buf[1] << 16 | (size_t)buf[2] << 8 | buf[3])) {
        ssize_t n = read(fd, buf + have, sizeof buf - have);
        if (n <= 0)
            return 1;
        have += (size_t)n;
    }
    close(fd);
    // A response to NEGOTIATE (command 0) with status 0.
    uint32_t status = buf[12] | buf[13] << 8 | buf[14] << 16 | (uint32_t)buf[15] << 24;
    int ok = have >= 4 + 64 && memcmp(buf + 4, "\xfeSMB", 4) == 0 && buf[16] == 0 && buf[17] == 0 && status == 0;
    return ok ? 0 : 1;
}
