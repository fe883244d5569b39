/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_sockport.c - libFuzzer target: a hostile peer and hostile frames on the stream and dgram
 * back-ends (port/stream.c, port/dgram.c), over a socketpair()
 *
 * Input: a mode byte (bit 0: stream, else dgram), then operations until the
 * input ends: the peer writes bytes (any framing, any lengths), the port
 * reads a burst, the port sends a burst of frames with any virtio-net
 * metadata (GSO frames are segmented), or flushes. Checked: frames read
 * are 1 to 65,535 bytes (stream) and fit their buffers; what the peer
 * reads back is well framed with no frame over 65,535 bytes (stream);
 * once a call fails the port keeps failing the same way.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "port/port.h"
#include "fuzz_input.h"

#define FUZZ_BURST 8
#define FUZZ_META_LEN 9

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the peer's side of a stream: reassembly of what the port sent */
static uint8_t peer_buf[4 << 20];
static size_t peer_len;
static uint8_t rx_bufs[FUZZ_BURST][FRAME_BUF_SIZE];

static void fuzz_peer_drain(int fd, bool stream)
{
	for (;;) {
		ssize_t r = recv(fd, peer_buf + peer_len, sizeof(peer_buf) - peer_len,
				 MSG_DONTWAIT);
		size_t at = 0;

		if (r <= 0)
			return;
		if (!stream) {
			if ((size_t)r > FRAME_MAX_LEN)
				abort();
			continue;
		}
		peer_len += (size_t)r;
		while (peer_len - at >= 4) {
			uint32_t len = (uint32_t)peer_buf[at] << 24 |
				       (uint32_t)peer_buf[at + 1] << 16 |
				       (uint32_t)peer_buf[at + 2] << 8 | peer_buf[at + 3];

			if (!len || len > 65535)
				abort();
			if (peer_len - at - 4 < len)
				break;
			at += 4 + len;
		}
		memmove(peer_buf, peer_buf + at, peer_len - at);
		peer_len -= at;
	}
}

static void fuzz_rx(struct port *p, unsigned n, bool stream, int *err)
{
	struct frame fr[FUZZ_BURST], *frames[FUZZ_BURST];
	int r;

	for (unsigned i = 0; i < n; i++) {
		frame_init(&fr[i], rx_bufs[i], FRAME_BUF_SIZE);
		frames[i] = &fr[i];
	}
	r = p->ops->rx_burst(p, frames, n);
	if (*err && r != *err)
		abort();
	if (r < 0) {
		*err = stream ? r : 0; /* a dgram read error is not for good */
		return;
	}
	if ((unsigned)r > n)
		abort();
	for (int i = 0; i < r; i++) {
		if (!frames[i]->len || frames[i]->len > FRAME_BUF_SIZE - FRAME_HEADROOM ||
		    (stream && frames[i]->len > 65535))
			abort();
	}
}

static void fuzz_tx(struct port *p, struct fuzz_in *in, unsigned n, int *err)
{
	struct frame fr[FUZZ_BURST], *frames[FUZZ_BURST];
	uint8_t *bufs[FUZZ_BURST];
	int r;

	for (unsigned i = 0; i < n; i++) {
		uint8_t meta[FUZZ_META_LEN];
		uint32_t len, used;
		size_t avail;

		for (unsigned j = 0; j < FUZZ_META_LEN; j++)
			meta[j] = fuzz_u8(in);
		len = fuzz_u16(in);
		/* the next bytes of the input, repeated if it runs short */
		avail = in->left;
		bufs[i] = malloc(len ? len : 1);
		if (!bufs[i])
			abort();
		for (uint32_t b = 0; b < len; b++)
			bufs[i][b] = avail ? in->p[b % avail] : (uint8_t)b;
		used = len < avail ? len : (uint32_t)avail;
		in->p += used;
		in->left -= used;
		memset(&fr[i], 0, sizeof(fr[i]));
		fr[i].head = fr[i].data = bufs[i];
		fr[i].len = fr[i].size = len;
		fr[i].vnet.flags = meta[0];
		fr[i].vnet.gso_type = meta[1];
		fr[i].vnet.gso_size = (uint16_t)(meta[2] << 8 | meta[3]);
		fr[i].vnet.csum_start = (uint16_t)(meta[4] << 8 | meta[5]);
		fr[i].vnet.csum_offset = (uint16_t)(meta[6] << 8 | meta[7]);
		fr[i].vnet.hdr_len = meta[8];
		frames[i] = &fr[i];
	}
	r = p->ops->tx_burst(p, frames, n);
	if ((*err && r != *err) || r > (int)n)
		abort();
	if (r < 0)
		*err = r;
	for (unsigned i = 0; i < n; i++)
		free(bufs[i]);
}

static void fuzz_flush(struct port *p, int *err)
{
	int r = p->ops->tx_flush(p);

	if ((*err && r != *err) || r > 1)
		abort();
	if (r < 0)
		*err = r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	bool stream = fuzz_u8(&in) & 1;
	int sv[2], err = 0;
	char msg[256];
	struct port *p;

	if (socketpair(AF_UNIX, (stream ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0, sv))
		abort();
	if (stream ? stream_port_open(sv[0], "fuzz0", &p, msg, sizeof(msg))
		   : dgram_port_open(sv[0], "fuzz0", &p, msg, sizeof(msg)))
		abort();
	peer_len = 0;
	while (in.left) {
		uint8_t op = fuzz_u8(&in);
		unsigned n = 1 + (op >> 2) % FUZZ_BURST;

		switch (op & 3) {
		case 0: {
			uint16_t len = fuzz_u16(&in);

			if (len > in.left)
				len = (uint16_t)in.left;
			(void)!send(sv[1], in.p, len, MSG_DONTWAIT | MSG_NOSIGNAL);
			in.p += len;
			in.left -= len;
			break;
		}
		case 1:
			fuzz_rx(p, n, stream, &err);
			break;
		case 2:
			fuzz_tx(p, &in, n % 4 + 1, &err);
			fuzz_peer_drain(sv[1], stream);
			break;
		default:
			if (op & 0x80) /* the peer goes away */
				shutdown(sv[1], SHUT_RDWR);
			else if (p->ops->tx_flush)
				fuzz_flush(p, &err);
			fuzz_peer_drain(sv[1], stream);
			break;
		}
	}
	p->ops->destroy(p);
	close(sv[1]);
	return 0;
}
