/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_vxlan.c - libFuzzer target: hostile datagrams into a VXLAN port (port/vxlan.c)
 *
 * A VXLAN port listens on 127.0.0.1 with remotes 127.0.0.2 and 127.0.0.3,
 * VNI 0x00abcd, and VLAN 10 as VNI 0x00abce. Input: records until it ends, each a sender byte (which of
 * 127.0.0.2, .3 and .9, a stranger, sends), a 16-bit length and that many
 * bytes, sent as one datagram; after each, the port reads a burst and sends
 * what it read back out (so the peers' sockets see its encapsulation).
 * Checked: every datagram is either a frame or one counted drop
 * (rx_errors); frames read are whole Ethernet frames in their buffers;
 * only a remote's datagram is ever read; a unicast source learned is
 * behind one of the remotes; every datagram the port sends has the I flag,
 * reserved bits zero, the port's VNI and a frame of at least 14 bytes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz_input.h"
#include "port/vxlan.h"

#define FUZZ_VNI 0xabcd
#define FUZZ_VNI10 0xabce
#define FUZZ_BURST 4
#define FUZZ_RECORDS 32
#define FUZZ_DGRAM_MAX 9000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct port *vx;
static int peers[3] = { -1, -1, -1 }; /* 127.0.0.2, .3, .9 */
static const uint8_t peer_ip[3] = { 2, 3, 9 };
static uint16_t vx_port;
static uint8_t rx_bufs[FUZZ_BURST][FRAME_BUF_SIZE];
static uint8_t dgram[FUZZ_DGRAM_MAX];

static struct sockaddr_in fuzz_addr(uint8_t last, uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(0x7f000000u | last);
	return a;
}

/* the port and its peers, bound to one UDP port (so the peers get what it sends) */
static int fuzz_open(void)
{
	for (int tries = 0; tries < 100; tries++) {
		struct vxlan_config cfg = { .vni = FUZZ_VNI, .ttl = 64, .n_remotes = 2, .n_map = 1 };
		char err[256];
		int i;

		cfg.map[0] = (struct vxlan_map){ 10, FUZZ_VNI10 };
		vx_port = (uint16_t)(30000 + (getpid() * 13 + tries * 257) % 30000);
		*(struct sockaddr_in *)&cfg.local = fuzz_addr(1, vx_port);
		*(struct sockaddr_in *)&cfg.remotes[0] = fuzz_addr(2, 0);
		*(struct sockaddr_in *)&cfg.remotes[1] = fuzz_addr(3, 0);
		if (vxlan_port_open("fuzzvx", &cfg, &vx, err, sizeof(err)))
			continue;
		for (i = 0; i < 3; i++) {
			struct sockaddr_in a = fuzz_addr(peer_ip[i], vx_port);

			peers[i] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
			if (peers[i] < 0 || bind(peers[i], (struct sockaddr *)&a, sizeof(a)))
				break;
		}
		if (i == 3)
			return 0;
		for (i = 0; i < 3; i++) {
			if (peers[i] >= 0)
				close(peers[i]);
			peers[i] = -1;
		}
		vx->ops->destroy(vx);
		vx = NULL;
	}
	return -1;
}

/* what the port sent to the peers: each a well-formed VXLAN datagram */
static void fuzz_drain_peers(void)
{
	for (int i = 0; i < 3; i++) {
		ssize_t r;

		while ((r = recv(peers[i], dgram, sizeof(dgram), MSG_DONTWAIT)) >= 0) {
			uint32_t vni;

			if (i == 2 || r < VXLAN_HDR_LEN + 14 || dgram[0] != VXLAN_FLAG_I ||
			    dgram[1] | dgram[2] | dgram[3] | dgram[7] ||
			    vxlan_hdr_parse(dgram, (size_t)r, &vni) ||
			    (vni != FUZZ_VNI && vni != FUZZ_VNI10))
				abort();
		}
	}
}

/* read what the port has; check it and send it back out */
static void fuzz_read(bool from_remote, size_t sent_len)
{
	struct frame fr[FUZZ_BURST], *fp[FUZZ_BURST];
	uint64_t errors = vx->rx_errors;
	int n;

	for (int i = 0; i < FUZZ_BURST; i++) {
		frame_init(&fr[i], rx_bufs[i], FRAME_BUF_SIZE);
		fp[i] = &fr[i];
	}
	n = vx->ops->rx_burst(vx, fp, FUZZ_BURST);
	/* loopback delivers at once: one datagram, one frame or one drop */
	if (n < 0 || n + (vx->rx_errors - errors) != 1 || (n && !from_remote))
		abort();
	for (int i = 0; i < n; i++) {
		const struct frame *f = fp[i];
		struct sockaddr_storage ss;
		/* VNI 0xabce comes in tagged: 4 bytes more, pushed into the headroom */
		bool tagged = f->data == f->head + FRAME_HEADROOM - 4;

		if (f->len < 14 || f->len != sent_len - VXLAN_HDR_LEN + (tagged ? 4 : 0) ||
		    (!tagged && f->data != f->head + FRAME_HEADROOM) ||
		    (tagged &&
		     (f->data[12] != 0x81 || f->data[13] || f->data[14] || f->data[15] != 10)) ||
		    f->len > f->size - FRAME_HEADROOM)
			abort();
		if (!(f->data[6] & 1) &&
		    !vxlan_port_remote_of(vx, f->data + 6, tagged ? 10 : 1, &ss))
			abort();
	}
	if (n > 0 && vx->ops->tx_burst(vx, fp, (unsigned)n) < 0)
		abort();
	fuzz_drain_peers();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	if (!vx && fuzz_open())
		abort();
	for (int rec = 0; rec < FUZZ_RECORDS && in.left; rec++) {
		unsigned who = fuzz_u8(&in) % 3;
		size_t len = fuzz_u16(&in) % FUZZ_DGRAM_MAX;
		struct sockaddr_in to = fuzz_addr(1, vx_port);

		if (len > in.left)
			len = in.left;
		memcpy(dgram, in.p, len);
		in.p += len;
		in.left -= len;
		if (sendto(peers[who], dgram, len, 0, (struct sockaddr *)&to, sizeof(to)) !=
		    (ssize_t)len)
			abort();
		fuzz_read(who < 2, len);
	}
	return 0;
}
