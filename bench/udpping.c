/* SPDX-License-Identifier: GPL-2.0-or-later */
/* udpping.c - UDP ping-pong between two programs: round-trip times in microseconds
 *
 * usage: udpping server PORT
 *        udpping client ADDR PORT COUNT INTERVAL_US
 *
 * The server sends each datagram back to where it came from, until killed.
 * The client sends COUNT 32-byte datagrams, one every INTERVAL_US, each
 * after the answer to the one before (or a 1 s timeout), and prints
 * "rtt_us median=M p99=P answered=N" from the answered ones; exit 0 if at
 * least one was answered. Unlike ping, whose echo the receiving kernel
 * answers inside the sender's write, the answer here comes from a program
 * that had to be woken: the round trip a request-response protocol sees.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "bench_util.h"

#define UDPPING_LEN 32
#define UDPPING_MAX 1000000

static int udpping_port(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s && !*end && v > 0 && v < 65536 ? (int)v : -1;
}

static int udpping_server(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	char buf[2048];
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		fprintf(stderr, "udpping: port %d: %s\n", port, strerror(errno));
		return 1;
	}
	for (;;) {
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);

		if (n >= 0)
			sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, flen);
	}
}

static int udpping_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int udpping_client(const char *addr, int port, long count, long interval_us)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct timeval tv = { .tv_sec = 1 };
	char buf[UDPPING_LEN], in[2048];
	double *rtt = calloc((size_t)count, sizeof(*rtt));
	long n = 0;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (!rtt || fd < 0 || inet_pton(AF_INET, addr, &a.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		fprintf(stderr, "udpping: %s:%d: %s\n", addr, port, strerror(errno));
		return 1;
	}
	for (long i = 0; i < count; i++) {
		double t0;

		memset(buf, 0, sizeof(buf));
		memcpy(buf, &i, sizeof(i));
		t0 = bench_now();
		if (send(fd, buf, sizeof(buf), 0) < 0)
			continue;
		/* an answer to an earlier, timed-out request is not this one's */
		for (;;) {
			ssize_t r = recv(fd, in, sizeof(in), 0);
			long seq;

			if (r < (ssize_t)sizeof(seq))
				break;
			memcpy(&seq, in, sizeof(seq));
			if (seq == i) {
				rtt[n++] = (bench_now() - t0) * 1e6;
				break;
			}
		}
		if (interval_us)
			usleep((useconds_t)interval_us);
	}
	if (!n) {
		fprintf(stderr, "udpping: no answer from %s:%d\n", addr, port);
		return 1;
	}
	qsort(rtt, (size_t)n, sizeof(*rtt), udpping_cmp);
	printf("rtt_us median=%.0f p99=%.0f answered=%ld\n", rtt[n / 2], rtt[n * 99 / 100], n);
	free(rtt);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "server") && udpping_port(argv[2]) > 0)
		return udpping_server(udpping_port(argv[2]));
	if (argc == 6 && !strcmp(argv[1], "client") && udpping_port(argv[3]) > 0) {
		long count = atol(argv[4]), interval = atol(argv[5]);

		if (count > 0 && count <= UDPPING_MAX && interval >= 0)
			return udpping_client(argv[2], udpping_port(argv[3]), count, interval);
	}
	fprintf(stderr, "usage: udpping server PORT\n"
			"       udpping client ADDR PORT COUNT INTERVAL_US\n");
	return 2;
}
