/* SPDX-License-Identifier: GPL-2.0-or-later */
/* udpgen.c - offer 64-byte UDP frames on an interface as fast as one core can, for a while
 *
 * usage: udpgen IFNAME DST_MAC SRC_IP DST_IP SECONDS
 *
 * The benchmarks count what arrives at the far interface; this only sends.
 * Frames are 60 bytes (64 on the wire with the FCS): Ethernet, IPv4, UDP to
 * port 9 (discard), 18 bytes of payload, sent through an AF_PACKET socket
 * with sendmmsg() bursts and the qdisc bypassed, so the sender costs as
 * little as it can and the switch under test is what limits the rate.
 * It prints "sent N" and exits 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench_util.h"

#define UDPGEN_LEN 60
#define UDPGEN_BURST 64

static int udpgen_frame(uint8_t *f, const uint8_t *src_mac, const char *dst_mac, const char *src_ip,
			const char *dst_ip)
{
	unsigned m[6];
	uint16_t csum;
	uint8_t *ip = f + 14, *udp = ip + 20;

	memset(f, 0, UDPGEN_LEN);
	if (sscanf(dst_mac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		f[i] = (uint8_t)m[i];
	memcpy(f + 6, src_mac, 6);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[3] = UDPGEN_LEN - 14;
	ip[8] = 64;
	ip[9] = 17;
	if (inet_pton(AF_INET, src_ip, ip + 12) != 1 || inet_pton(AF_INET, dst_ip, ip + 16) != 1)
		return -1;
	csum = bench_csum(ip, 20);
	ip[10] = (uint8_t)(csum >> 8);
	ip[11] = (uint8_t)csum;
	udp[0] = 0x30;
	udp[1] = 0x39;
	udp[3] = 9;
	udp[5] = UDPGEN_LEN - 14 - 20;
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_halen = 6 };
	struct mmsghdr msgs[UDPGEN_BURST];
	struct iovec iov;
	struct ifreq ifr = { 0 };
	uint8_t frame[UDPGEN_LEN];
	unsigned long long sent = 0;
	double end;
	int fd, one = 1;

	if (argc != 6) {
		fprintf(stderr, "usage: udpgen IFNAME DST_MAC SRC_IP DST_IP SECONDS\n");
		return 2;
	}
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
	if (fd < 0 || ioctl(fd, SIOCGIFHWADDR, &ifr) ||
	    !(sll.sll_ifindex = (int)if_nametoindex(argv[1]))) {
		fprintf(stderr, "udpgen: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	if (udpgen_frame(frame, (uint8_t *)ifr.ifr_hwaddr.sa_data, argv[2], argv[3], argv[4])) {
		fprintf(stderr, "udpgen: bad MAC or IPv4 address\n");
		return 2;
	}
	memcpy(sll.sll_addr, frame, 6);
	iov = (struct iovec){ frame, sizeof(frame) };
	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < UDPGEN_BURST; i++) {
		msgs[i].msg_hdr.msg_name = &sll;
		msgs[i].msg_hdr.msg_namelen = sizeof(sll);
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	end = bench_now() + atof(argv[5]);
	while (bench_now() < end) {
		int n = sendmmsg(fd, msgs, UDPGEN_BURST, 0);

		if (n > 0)
			sent += (unsigned long long)n;
		else if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
			break;
	}
	printf("sent %llu\n", sent);
	close(fd);
	return 0;
}
