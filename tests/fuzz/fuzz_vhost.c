/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_vhost.c - hostile vhost-user messages and descriptor chains against the pure device
 *
 * The guest's memory is a static arena the device "maps" (no file descriptor is real). The
 * first input byte chooses whether the device is first set up properly (both rings of 8
 * entries running in the arena), so that most inputs reach the rings; then the input is a
 * list of operations: a message of any request, flags, size and descriptor count; bytes
 * written anywhere in the arena (descriptor tables, rings, indices, buffers); a receive
 * burst from the guest's transmit ring; a frame, with any offload metadata, sent to the
 * guest's receive ring; a frame the guest sends (operation bytes 0xf0 and up, so older
 * inputs keep their meaning): a descriptor made available in its transmit ring, pointing
 * at a virtio-net header of any gso_type, sizes and checksum offsets. Bits 2 and 3 of the
 * first byte negotiate the host's and the guest's offloads in the set-up. ASan and UBSan
 * see any access outside the arena or the frames.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/frame.h"
#include "fuzz_input.h"
#include "port/vhost_user_dev.h"

#define ARENA_SIZE 65536
#define ARENA_UVA 0x100000ull
#define RING 8
#define FRAMES 4

static uint8_t arena[ARENA_SIZE] __attribute__((aligned(4096)));
static uint8_t bufs[FRAMES][FRAME_BUF_SIZE];
static uint8_t scratch[FRAME_BUF_SIZE];

static void *fuzz_map(void *ctx, int fd, uint64_t *len)
{
	(void)ctx;
	(void)fd;
	return *len <= ARENA_SIZE ? arena : NULL;
}

static void fuzz_unmap(void *ctx, void *addr, uint64_t len)
{
	(void)ctx;
	(void)addr;
	(void)len;
}

static void fuzz_close(void *ctx, int fd)
{
	(void)ctx;
	(void)fd;
}

static const struct vhost_user_env fuzz_env = {
	.map = fuzz_map,
	.unmap = fuzz_unmap,
	.close_fd = fuzz_close,
};

static void fuzz_msg(struct vhost_user_dev *d, uint32_t req, uint32_t flags, const void *payload,
		     uint32_t size, unsigned int nfds)
{
	static const int fds[VHOST_USER_FDS_MAX + 1] = {
		100, 101, 102, 103, 104, 105, 106, 107, 108
	};
	struct vhost_user_msg m = { .hdr = { req, flags, size } }, reply;

	if (payload)
		memcpy(m.u.raw, payload,
		       size > VHOST_USER_PAYLOAD_MAX ? VHOST_USER_PAYLOAD_MAX : size);
	if (vhost_user_handle(d, &m, fds, nfds, &reply))
		vhost_user_dev_reset(d);
}

/* a front-end's good set-up: memory, features, both rings of RING entries running */
static void fuzz_setup(struct vhost_user_dev *d, uint8_t mode)
{
	bool mrg = mode & 2;
	struct vhost_user_mem mem = { .nregions = 1,
				      .r = { { .gpa = 0, .size = ARENA_SIZE, .uva = ARENA_UVA } } };
	uint64_t features = 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_RING_F_EVENT_IDX |
			    1ull << VIRTIO_RING_F_INDIRECT_DESC |
			    (mrg ? 1ull << VIRTIO_NET_F_MRG_RXBUF : 0);

	if (mode & 4)
		features |= 1ull << VIRTIO_NET_F_CSUM | 1ull << VIRTIO_NET_F_HOST_TSO4 |
			    1ull << VIRTIO_NET_F_HOST_TSO6 | 1ull << VIRTIO_NET_F_HOST_ECN;
	if (mode & 8)
		features |= 1ull << VIRTIO_NET_F_GUEST_CSUM | 1ull << VIRTIO_NET_F_GUEST_TSO4 |
			    1ull << VIRTIO_NET_F_GUEST_TSO6 | 1ull << VIRTIO_NET_F_GUEST_ECN;

	fuzz_msg(d, VHOST_USER_SET_OWNER, 1, NULL, 0, 0);
	fuzz_msg(d, VHOST_USER_SET_FEATURES, 1, &features, 8, 0);
	fuzz_msg(d, VHOST_USER_SET_MEM_TABLE, 1, &mem, 8 + sizeof(mem.r[0]), 1);
	for (uint32_t i = 0; i < VHOST_USER_RINGS; i++) {
		struct vhost_user_state num = { i, RING };
		uint64_t base = i * 0x800;
		struct vhost_user_addr addr = { .index = i,
						.desc = ARENA_UVA + base,
						.avail = ARENA_UVA + base + 0x200,
						.used = ARENA_UVA + base + 0x400 };
		uint64_t kick = i;

		fuzz_msg(d, VHOST_USER_SET_VRING_NUM, 1, &num, sizeof(num), 0);
		fuzz_msg(d, VHOST_USER_SET_VRING_ADDR, 1, &addr, sizeof(addr), 0);
		fuzz_msg(d, VHOST_USER_SET_VRING_KICK, 1, &kick, 8, 1);
		fuzz_msg(d, VHOST_USER_SET_VRING_CALL, 1, &kick, 8, 1);
	}
}

static void fuzz_rx(struct vhost_user_dev *d, bool poll)
{
	struct frame f[FRAMES], *fp[FRAMES];
	uint64_t drops = 0;
	bool notify, more;

	for (int i = 0; i < FRAMES; i++) {
		frame_init(&f[i], bufs[i], FRAME_BUF_SIZE);
		fp[i] = &f[i];
	}
	if (vhost_user_net_rx(d, fp, FRAMES, poll, &drops, &notify, &more) < 0)
		vhost_user_dev_reset(d);
}

static void fuzz_tx(struct vhost_user_dev *d, struct fuzz_in *in)
{
	struct frame f, *fp = &f;
	uint64_t drops = 0;
	uint16_t l = fuzz_u16(in);
	/* mostly up to a jumbo frame; with the top bit, up to a whole GSO frame */
	uint32_t len = (l & 0x8000 ? l : l % 9000) % (FRAME_MAX_LEN - 13) + 14;
	uint8_t type;
	bool notify;

	frame_init(&f, bufs[0], FRAME_BUF_SIZE);
	for (uint32_t i = 0; i < len; i++)
		f.data[i] = in->left ? fuzz_u8(in) : (uint8_t)i;
	f.len = len;
	f.vnet.flags = fuzz_u8(in) & (VNET_F_NEEDS_CSUM | VNET_F_DATA_VALID);
	type = fuzz_u8(in);
	f.vnet.gso_type = (uint8_t)(type % 6 | (type & VNET_GSO_ECN));
	f.vnet.hdr_len = fuzz_u16(in);
	f.vnet.gso_size = fuzz_u16(in);
	f.vnet.csum_start = fuzz_u16(in);
	f.vnet.csum_offset = fuzz_u8(in);
	if (vhost_user_net_tx(d, &fp, 1, &drops, &notify) < 0)
		vhost_user_dev_reset(d);
}

/* the guest sends a frame: a header of any fields at @off, in one descriptor made available */
static void fuzz_guest_frame(struct fuzz_in *in)
{
	struct virtq_avail *a = (struct virtq_avail *)(arena + 0x800 + 0x200);
	uint8_t i = fuzz_u8(in) % RING;
	uint32_t off = fuzz_u16(in) % (ARENA_SIZE - 12);
	uint16_t len = fuzz_u16(in);
	uint8_t *h = arena + off;
	struct virtq_desc desc = { .addr = off, .len = len };

	h[0] = fuzz_u8(in);	     /* flags */
	h[1] = fuzz_u8(in);	     /* gso_type */
	for (int k = 2; k < 10; k++) /* hdr_len, gso_size, csum_start, csum_offset */
		h[k] = fuzz_u8(in);
	memcpy(arena + 0x800 + i * sizeof(desc), &desc, sizeof(desc));
	a->ring[a->idx % RING] = i;
	a->idx++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vhost_user_dev d;
	struct fuzz_in in = { data, size };
	uint8_t mode = fuzz_u8(&in);

	memset(arena, 0, sizeof(arena));
	d.scratch = scratch;
	vhost_user_dev_init(&d, &fuzz_env);
	if (mode & 1)
		fuzz_setup(&d, mode);
	for (int ops = 0; in.left && ops < 256; ops++) {
		uint8_t op = fuzz_u8(&in);

		if (op >= 0xf0) {
			fuzz_guest_frame(&in);
			continue;
		}
		switch (op % 5) {
		case 0: {
			uint8_t payload[VHOST_USER_PAYLOAD_MAX];
			uint32_t req = fuzz_u8(&in) % 24, flags = fuzz_u8(&in);
			uint32_t sz = fuzz_u16(&in) % (VHOST_USER_PAYLOAD_MAX + 8);
			unsigned int nfds = fuzz_u8(&in) % (VHOST_USER_FDS_MAX + 2);

			for (uint32_t i = 0; i < sz && i < sizeof(payload); i++)
				payload[i] = fuzz_u8(&in);
			fuzz_msg(&d, req, flags, payload, sz, nfds);
			break;
		}
		case 1: {
			uint16_t off = fuzz_u16(&in) % 0x1000;
			uint8_t n = fuzz_u8(&in);

			/* the rings and tables live in the first 4 KiB: aim there */
			for (unsigned int i = 0; i < n; i++)
				arena[(off + i) % ARENA_SIZE] = fuzz_u8(&in);
			break;
		}
		case 2:
			fuzz_rx(&d, op & 0x80); /* polling or waiting for kicks */
			break;
		case 3:
			fuzz_tx(&d, &in);
			break;
		default: {
			/* a descriptor: index, address, length, flags, next, in ring 0 or 1 */
			uint8_t ring = fuzz_u8(&in) & 1, i = fuzz_u8(&in) % RING;
			struct virtq_desc desc;

			desc.addr = (uint64_t)fuzz_u16(&in) << (fuzz_u8(&in) & 1 ? 8 : 0);
			desc.len = fuzz_u16(&in);
			desc.flags = fuzz_u8(&in) & 7;
			desc.next = fuzz_u8(&in) % (RING + 2);
			memcpy(arena + ring * 0x800 + i * sizeof(desc), &desc, sizeof(desc));
			break;
		}
		}
	}
	vhost_user_dev_reset(&d);
	return 0;
}
