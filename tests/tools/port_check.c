/* SPDX-License-Identifier: GPL-2.0-or-later */
/* port_check.c - drives the tap and AF_PACKET back-ends and the rtnetlink helpers for
 * tests/integration/10_port_backends.sh
 *
 * Each subcommand does one check against the real kernel and prints one
 * "ok:" or "FAIL:" line per condition; the exit status is 0 when all held,
 * 1 otherwise, 2 on bad usage. The peer side (scapy-made frames, a packet
 * socket or the kernel's own stack in another namespace) is run by the
 * script; a subcommand creates the file READY once its port is set up.
 *
 * A frame file is a 10-byte virtio-net header (legacy layout, little
 * endian: what the frame was sent with, or is expected to arrive with)
 * followed by the Ethernet frame.
 */

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/eth.h"
#include "port/port.h"
#include "services/netlink.h"

#define CHECK_TIMEOUT_MS 10000
#define CHECK_TX_EVERY_MS 200
#define CHECK_BURST 16
#define CHECK_MAX_FRAMES 16
#define CHECK_VNET_LEN 10
#define CHECK_MTU 9000

static int check_failures;

static void check_report(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void check_report(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		check_failures++;
}

static uint64_t check_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/**
 * struct check_frame - a frame from a file, sent or expected
 * @name:	file name, for messages
 * @buf:	its buffer, FRAME_BUF_SIZE
 * @f:		the frame in @buf
 * @seen:	received (expected frames) or read back (sent frames) this many times
 */
struct check_frame {
	const char *name;
	uint8_t *buf;
	struct frame f;
	unsigned seen;
};

struct check_frames {
	struct check_frame fr[CHECK_MAX_FRAMES];
	unsigned n;
};

static uint16_t check_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static int check_load(struct check_frames *set, const char *path)
{
	struct check_frame *c;
	uint8_t hdr[CHECK_VNET_LEN];
	size_t len;
	FILE *fp;

	if (set->n == CHECK_MAX_FRAMES) {
		fprintf(stderr, "port_check: too many frames\n");
		return -1;
	}
	fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "port_check: %s: %s\n", path, strerror(errno));
		return -1;
	}
	c = &set->fr[set->n];
	c->name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	c->buf = malloc(FRAME_BUF_SIZE);
	if (!c->buf || fread(hdr, 1, sizeof(hdr), fp) != sizeof(hdr)) {
		fprintf(stderr, "port_check: %s: cannot read\n", path);
		free(c->buf);
		fclose(fp);
		return -1;
	}
	frame_init(&c->f, c->buf, FRAME_BUF_SIZE);
	len = fread(c->f.data, 1, FRAME_MAX_LEN, fp);
	fclose(fp);
	c->f.len = (uint32_t)len;
	c->f.vnet.flags = hdr[0];
	c->f.vnet.gso_type = hdr[1];
	c->f.vnet.hdr_len = check_le16(hdr + 2);
	c->f.vnet.gso_size = check_le16(hdr + 4);
	c->f.vnet.csum_start = check_le16(hdr + 6);
	c->f.vnet.csum_offset = check_le16(hdr + 8);
	c->seen = 0;
	set->n++;
	return 0;
}

static void check_frames_free(struct check_frames *set)
{
	for (unsigned i = 0; i < set->n; i++)
		free(set->fr[i].buf);
	set->n = 0;
}

static bool check_same_bytes(const struct frame *a, const struct frame *b)
{
	return a->len == b->len && !memcmp(a->data, b->data, a->len);
}

/*
 * The metadata that must survive: GSO type and size, and with NEEDS_CSUM where
 * the checksum goes. hdr_len is a hint the kernel recomputes; DATA_VALID may be
 * added on the way.
 */
static bool check_same_meta(const struct vnet_meta *got, const struct vnet_meta *want)
{
	if ((got->flags & VNET_F_NEEDS_CSUM) != (want->flags & VNET_F_NEEDS_CSUM))
		return false;
	if (got->gso_type != want->gso_type || got->gso_size != want->gso_size)
		return false;
	if ((want->flags & VNET_F_NEEDS_CSUM) &&
	    (got->csum_start != want->csum_start || got->csum_offset != want->csum_offset))
		return false;
	return true;
}

static void check_print_meta(const char *what, const struct vnet_meta *m)
{
	printf("  %s: flags %#x gso_type %u gso_size %u csum_start %u csum_offset %u hdr_len %u\n",
	       what, m->flags, m->gso_type, m->gso_size, m->csum_start, m->csum_offset, m->hdr_len);
}

static void check_print_head(const struct frame *f)
{
	printf("  unexpected frame, %u bytes:", f->len);
	for (uint32_t i = 0; i < f->len && i < 24; i++)
		printf(" %02x", f->data[i]);
	printf("\n");
}

/* receive buffers for the checks */
struct check_rx {
	uint8_t *buf[CHECK_BURST];
	struct frame f[CHECK_BURST];
	struct frame *fp[CHECK_BURST];
};

static int check_rx_init(struct check_rx *rx)
{
	memset(rx, 0, sizeof(*rx));
	for (unsigned i = 0; i < CHECK_BURST; i++) {
		rx->buf[i] = malloc(FRAME_BUF_SIZE);
		if (!rx->buf[i])
			return -1;
	}
	return 0;
}

static void check_rx_free(struct check_rx *rx)
{
	for (unsigned i = 0; i < CHECK_BURST; i++)
		free(rx->buf[i]);
}

/* rx_burst into fresh buffers; Return: as rx_burst */
static int check_rx_burst(struct port *p, struct check_rx *rx)
{
	for (unsigned i = 0; i < CHECK_BURST; i++) {
		frame_init(&rx->f[i], rx->buf[i], FRAME_BUF_SIZE);
		rx->fp[i] = &rx->f[i];
	}
	return p->ops->rx_burst(p, rx->fp, CHECK_BURST);
}

static void check_touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		fprintf(stderr, "port_check: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	close(fd);
}

/*
 * Send every frame of @tx every CHECK_TX_EVERY_MS (the peer may not listen
 * yet) until every frame of @rx came in, byte for byte and with its offload
 * metadata, or the time is up. None of @tx may be read back.
 */
static void check_exchange(struct port *p, struct check_frames *tx, struct check_frames *rx)
{
	struct frame *txf[CHECK_MAX_FRAMES];
	uint64_t deadline = check_now_ms() + CHECK_TIMEOUT_MS, next_tx = 0;
	unsigned missing = rx->n, unexpected = 0, rounds = 0;
	bool tx_short = false;
	struct check_rx bufs;

	if (check_rx_init(&bufs)) {
		check_report(false, "%s: out of memory", p->ifname);
		goto out_free;
	}
	for (unsigned i = 0; i < tx->n; i++)
		txf[i] = &tx->fr[i].f;

	while (missing && check_now_ms() < deadline) {
		struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
		int r;

		if (tx->n && check_now_ms() >= next_tx) {
			r = p->ops->tx_burst(p, txf, tx->n);
			if (r != (int)tx->n && !tx_short) {
				check_report(false, "%s: tx_burst of %u frames returned %d",
					     p->ifname, tx->n, r);
				tx_short = true;
			}
			next_tx = check_now_ms() + CHECK_TX_EVERY_MS;
			rounds++;
		}
		poll(&pfd, 1, 20);
		r = check_rx_burst(p, &bufs);
		if (r < 0) {
			check_report(false, "%s: rx_burst: %s", p->ifname, strerror(-r));
			goto out_free;
		}
		for (int i = 0; i < r; i++) {
			const struct frame *got = bufs.fp[i];
			bool known = false;

			for (unsigned j = 0; j < rx->n; j++) {
				struct check_frame *want = &rx->fr[j];

				if (!check_same_bytes(got, &want->f))
					continue;
				known = true;
				if (!check_same_meta(&got->vnet, &want->f.vnet)) {
					check_report(false,
						     "%s: %s arrived with other offload metadata",
						     p->ifname, want->name);
					check_print_meta("got", &got->vnet);
					check_print_meta("want", &want->f.vnet);
					continue;
				}
				if (!want->seen++)
					missing--;
			}
			for (unsigned j = 0; j < tx->n; j++) {
				if (check_same_bytes(got, &tx->fr[j].f)) {
					tx->fr[j].seen++;
					known = true;
				}
			}
			if (!known && unexpected++ < 4)
				check_print_head(got);
		}
	}

	for (unsigned j = 0; j < rx->n; j++)
		check_report(rx->fr[j].seen > 0, "%s: rx_burst delivered %s (%u bytes) exactly",
			     p->ifname, rx->fr[j].name, rx->fr[j].f.len);
	for (unsigned j = 0; j < tx->n; j++)
		check_report(tx->fr[j].seen == 0, "%s: own transmission %s not read back",
			     p->ifname, tx->fr[j].name);
	if (tx->n)
		check_report(!tx_short && p->tx_errors == 0,
			     "%s: tx_burst wrote %u frames x %u rounds, tx_errors %llu", p->ifname,
			     tx->n, rounds, (unsigned long long)p->tx_errors);
	check_report(p->rx_errors == 0, "%s: rx_errors %llu", p->ifname,
		     (unsigned long long)p->rx_errors);
	if (unexpected)
		printf("  (%u other frames ignored)\n", unexpected);
out_free:
	check_rx_free(&bufs);
}

/* Parse "--tx F... --rx F..." from @argv. Return: 0 or -1 */
static int check_parse_frames(int argc, char **argv, struct check_frames *tx,
			      struct check_frames *rx)
{
	struct check_frames *cur = NULL;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--tx")) {
			cur = tx;
		} else if (!strcmp(argv[i], "--rx")) {
			cur = rx;
		} else if (!cur || check_load(cur, argv[i])) {
			return -1;
		}
	}
	return 0;
}

static bool check_nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl >= 0 && (fl & O_NONBLOCK);
}

/* tap_create() @ifname, check it, move it into @netns, set the MTU and up. */
static struct port *check_tap_setup(const char *ifname, const char *netns, int *nsfd)
{
	char err[256];
	struct port *p;
	int ret;

	ret = tap_create(ifname, &p, err, sizeof(err));
	check_report(!ret, "tap_create(%s)%s%s", ifname, ret ? ": " : "", ret ? err : "");
	if (ret)
		return NULL;
	check_report(!strcmp(p->ops->kind, "tap") && !strcmp(p->ifname, ifname) && p->ifindex > 0 &&
			     p->ifindex == (int)if_nametoindex(ifname) && p->fd >= 0 &&
			     check_nonblocking(p->fd),
		     "tap '%s': kind %s, ifindex %d, non-blocking fd", p->ifname, p->ops->kind,
		     p->ifindex);
	check_report(p->offloads == (PORT_OFFLOAD_CSUM | PORT_OFFLOAD_TSO4 | PORT_OFFLOAD_TSO6),
		     "tap '%s': offloads %#x", ifname, p->offloads);

	*nsfd = netlink_netns_open(netns, err, sizeof(err));
	check_report(*nsfd >= 0, "netlink_netns_open(%s)%s%s", netns, *nsfd >= 0 ? "" : ": ",
		     *nsfd >= 0 ? "" : err);
	if (*nsfd < 0)
		goto err_destroy;
	ret = netlink_link_set_netns(p->ifindex, *nsfd, err, sizeof(err));
	check_report(!ret, "netlink_link_set_netns(%s, %s)%s%s", ifname, netns, ret ? ": " : "",
		     ret ? err : "");
	if (ret)
		goto err_close;
	check_report(if_nametoindex(ifname) == 0, "tap '%s' left this namespace", ifname);
	ret = netlink_link_set_mtu(ifname, *nsfd, CHECK_MTU, err, sizeof(err));
	check_report(!ret, "netlink_link_set_mtu(%s, %s, %d)%s%s", ifname, netns, CHECK_MTU,
		     ret ? ": " : "", ret ? err : "");
	ret = netlink_link_set_up(ifname, *nsfd, true, err, sizeof(err));
	check_report(!ret, "netlink_link_set_up(%s, %s)%s%s", ifname, netns, ret ? ": " : "",
		     ret ? err : "");
	if (ret)
		goto err_close;
	return p;

err_close:
	close(*nsfd);
	*nsfd = -1;
err_destroy:
	p->ops->destroy(p);
	return NULL;
}

/* port_check tap IFNAME NETNS READY --tx F... --rx F... */
static void check_cmd_tap(int argc, char **argv)
{
	struct check_frames tx = { .n = 0 }, rx = { .n = 0 };
	const char *ifname = argv[0], *netns = argv[1];
	char err[256];
	struct port *p;
	int nsfd, ret;

	if (check_parse_frames(argc - 3, argv + 3, &tx, &rx))
		goto out_free;
	p = check_tap_setup(ifname, netns, &nsfd);
	if (!p)
		goto out_free;
	check_touch(argv[2]);
	check_exchange(p, &tx, &rx);
	p->ops->destroy(p);

	/* not persistent: gone with its file descriptor */
	for (int i = 0; i < 50; i++) {
		ret = netlink_link_set_up(ifname, nsfd, true, err, sizeof(err));
		if (ret == -ENODEV)
			break;
		usleep(20000);
	}
	check_report(ret == -ENODEV, "tap '%s' removed by destroy: %s", ifname,
		     ret ? err : "still there");
	close(nsfd);
out_free:
	check_frames_free(&tx);
	check_frames_free(&rx);
}

static uint16_t check_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t check_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	return sum;
}

static uint32_t check_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Answer the kernel's SYN @syn (IPv4, no IP options) with a SYN-ACK offering MSS 1460. */
static void check_synack(struct port *p, const struct frame *syn)
{
	const uint8_t *ip = syn->data + ETH_HLEN, *tcp = ip + 20;
	uint8_t buf[FRAME_HEADROOM + 64];
	uint8_t *e, *rip, *rtcp, pseudo[12];
	struct frame f, *fp = &f;
	uint32_t seq, sum;

	frame_init(&f, buf, sizeof(buf));
	e = f.data;
	memset(e, 0, 58);
	memcpy(e, syn->data + ETH_ALEN, ETH_ALEN);
	memcpy(e + ETH_ALEN, syn->data, ETH_ALEN);
	eth_put_be16(e + 12, 0x0800);
	rip = e + ETH_HLEN;
	rip[0] = 0x45;
	eth_put_be16(rip + 2, 44);
	eth_put_be16(rip + 6, 0x4000);
	rip[8] = 64;
	rip[9] = 6;
	memcpy(rip + 12, ip + 16, 4);
	memcpy(rip + 16, ip + 12, 4);
	eth_put_be16(rip + 10, check_csum_fold(check_csum_add(0, rip, 20)));
	rtcp = rip + 20;
	memcpy(rtcp, tcp + 2, 2);
	memcpy(rtcp + 2, tcp, 2);
	eth_put_be16(rtcp + 4, 0x1000);
	seq = check_be32(tcp + 4) + 1;
	for (int i = 0; i < 4; i++)
		rtcp[8 + i] = (uint8_t)(seq >> (24 - 8 * i));
	rtcp[12] = 6 << 4;
	rtcp[13] = 0x12; /* SYN ACK */
	eth_put_be16(rtcp + 14, 65535);
	rtcp[20] = 2; /* MSS */
	rtcp[21] = 4;
	eth_put_be16(rtcp + 22, 1460);
	memcpy(pseudo, rip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = 6;
	eth_put_be16(pseudo + 10, 24);
	sum = check_csum_add(check_csum_add(0, pseudo, sizeof(pseudo)), rtcp, 24);
	eth_put_be16(rtcp + 16, check_csum_fold(sum));
	f.len = ETH_HLEN + 44;
	check_report(p->ops->tx_burst(p, &fp, 1) == 1, "%s: SYN-ACK written", p->ifname);
}

static bool check_csum_meta(const struct frame *f, uint16_t start, uint16_t off)
{
	return (f->vnet.flags & VNET_F_NEEDS_CSUM) && f->vnet.csum_start == start &&
	       f->vnet.csum_offset == off;
}

/*
 * port_check tap-tcp IFNAME NETNS READY: the kernel in NETNS sends through the
 * tap a UDP datagram and a TCP connection to port 9999 (the script does); we
 * answer the SYN. Its frames must come with NEEDS_CSUM, and its data as TSO
 * frames larger than the MTU with a gso_size.
 */
static void check_cmd_tap_tcp(int argc, char **argv)
{
	uint64_t deadline = check_now_ms() + CHECK_TIMEOUT_MS;
	bool udp = false, syn = false, tso = false;
	const char *ifname = argv[0];
	uint32_t biggest = 0;
	struct check_rx bufs;
	struct port *p;
	char err[256];
	int nsfd, ret;

	(void)argc;
	if (check_rx_init(&bufs))
		goto out_free;
	p = check_tap_setup(ifname, argv[1], &nsfd);
	if (!p)
		goto out_free;
	/* the kernel would segment TSO frames larger than the tap's MTU allows: back to 1500 */
	ret = netlink_link_set_mtu(ifname, nsfd, 1500, err, sizeof(err));
	check_report(!ret, "netlink_link_set_mtu(%s, 1500)%s%s", ifname, ret ? ": " : "",
		     ret ? err : "");
	check_touch(argv[2]);

	while (!(udp && syn && tso) && check_now_ms() < deadline) {
		struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
		int r;

		poll(&pfd, 1, 50);
		r = check_rx_burst(p, &bufs);
		if (r < 0) {
			check_report(false, "%s: rx_burst: %s", ifname, strerror(-r));
			break;
		}
		for (int i = 0; i < r; i++) {
			const struct frame *f = bufs.fp[i];
			const uint8_t *ip = f->data + ETH_HLEN, *l4 = ip + 20;

			if (f->len < ETH_HLEN + 40 || eth_outer_type(f) != 0x0800 ||
			    ip[0] != 0x45 || eth_get_be16(l4 + 2) != 9999)
				continue;
			if (ip[9] == 17 && !udp) {
				udp = true;
				check_report(check_csum_meta(f, 34, 6) && f->vnet.gso_type == 0,
					     "%s: UDP from the kernel has NEEDS_CSUM 34/6", ifname);
				check_print_meta("udp", &f->vnet);
			} else if (ip[9] == 6 && (l4[13] & 0x12) == 0x02 && !syn) {
				syn = true;
				check_report(check_csum_meta(f, 34, 16),
					     "%s: TCP SYN from the kernel has NEEDS_CSUM 34/16",
					     ifname);
				check_print_meta("syn", &f->vnet);
				check_synack(p, f);
			} else if (ip[9] == 6 && f->len > biggest) {
				biggest = f->len;
				if (f->len > 1514 && !tso) {
					tso = true;
					check_report((f->vnet.gso_type & ~VNET_GSO_ECN) ==
								     VNET_GSO_TCPV4 &&
							     f->vnet.gso_size == 1460 &&
							     check_csum_meta(f, 34, 16),
						     "%s: TSO frame of %u bytes from the kernel, "
						     "gso TCPV4/1460, NEEDS_CSUM 34/16",
						     ifname, f->len);
					check_print_meta("tso", &f->vnet);
				}
			}
		}
	}
	check_report(udp, "%s: the kernel's UDP datagram arrived", ifname);
	check_report(syn, "%s: the kernel's TCP SYN arrived", ifname);
	check_report(tso, "%s: a TSO frame arrived (biggest TCP frame %u bytes)", ifname, biggest);
	check_report(p->rx_errors == 0, "%s: rx_errors %llu", ifname,
		     (unsigned long long)p->rx_errors);
	p->ops->destroy(p);
	close(nsfd);
out_free:
	check_rx_free(&bufs);
}

static bool check_promisc(const char *ifname)
{
	char path[64], line[32];
	unsigned long flags = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "/sys/class/net/%s/flags", ifname);
	fp = fopen(path, "r");
	if (!fp)
		return false;
	if (fgets(line, sizeof(line), fp))
		flags = strtoul(line, NULL, 0);
	fclose(fp);
	return flags & IFF_PROMISC;
}

/* af_packet_open() @ifname. Return: the port, or NULL (reported) */
static struct port *check_dev_open(const char *ifname)
{
	char err[256];
	struct port *p;
	int ret;

	ret = af_packet_open(ifname, &p, err, sizeof(err));
	check_report(!ret, "af_packet_open(%s)%s%s", ifname, ret ? ": " : "", ret ? err : "");
	return ret ? NULL : p;
}

/* port_check dev IFNAME READY --tx F... --rx F... */
static void check_cmd_dev(int argc, char **argv)
{
	struct check_frames tx = { .n = 0 }, rx = { .n = 0 };
	const char *ifname = argv[0];
	struct port *p;

	if (check_parse_frames(argc - 2, argv + 2, &tx, &rx))
		goto out_free;
	p = check_dev_open(ifname);
	if (!p)
		goto out_free;
	check_report(!strcmp(p->ops->kind, "dev") && !strcmp(p->ifname, ifname) &&
			     p->ifindex == (int)if_nametoindex(ifname) && check_nonblocking(p->fd),
		     "dev '%s': kind %s, ifindex %d, non-blocking fd", ifname, p->ops->kind,
		     p->ifindex);
	check_report(p->offloads == (PORT_OFFLOAD_CSUM | PORT_OFFLOAD_TSO4 | PORT_OFFLOAD_TSO6),
		     "dev '%s': offloads %#x", ifname, p->offloads);
	check_report(check_promisc(ifname), "dev '%s': promiscuous while attached", ifname);
	check_touch(argv[1]);
	check_exchange(p, &tx, &rx);
	p->ops->destroy(p);
	check_report(!check_promisc(ifname), "dev '%s': not promiscuous after destroy", ifname);
out_free:
	check_frames_free(&tx);
	check_frames_free(&rx);
}

/*
 * Wait until @p's fd polls with an error, draining what is queued before it.
 * Return: poll revents (0 on time-out); *@rx_ret the first rx_burst error met
 * while draining, or 0
 */
static short check_wait_err(struct port *p, int *rx_ret)
{
	uint64_t deadline = check_now_ms() + CHECK_TIMEOUT_MS;
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };

	*rx_ret = 0;
	while (check_now_ms() < deadline) {
		uint8_t buf[FRAME_HEADROOM + 2048];
		struct frame f, *fp = &f;

		pfd.revents = 0;
		if (poll(&pfd, 1, 100) > 0 && (pfd.revents & (POLLERR | POLLHUP)))
			return pfd.revents;
		if (!(pfd.revents & POLLIN))
			continue;
		frame_init(&f, buf, sizeof(buf));
		*rx_ret = p->ops->rx_burst(p, &fp, 1);
		if (*rx_ret < 0)
			return pfd.revents;
		*rx_ret = 0;
	}
	return 0;
}

/*
 * port_check gone tap|dev IFNAME NETNS|- READY: the script deletes the
 * interface once READY exists; the fd must poll with an error and the
 * bursts fail with -ENXIO (tap) or -ENETDOWN (dev).
 */
static void check_cmd_gone(int argc, char **argv)
{
	bool tap = !strcmp(argv[0], "tap");
	const char *ifname = argv[1];
	int want = tap ? -ENXIO : -ENETDOWN;
	uint8_t buf[FRAME_HEADROOM + 64];
	struct frame f, *fp = &f;
	int nsfd = -1, r;
	struct port *p;
	short ev;

	(void)argc;
	if (tap) {
		p = check_tap_setup(ifname, argv[2], &nsfd);
	} else {
		p = check_dev_open(ifname);
	}
	if (!p)
		return;
	check_touch(argv[3]);
	ev = check_wait_err(p, &r);
	check_report(ev & (POLLERR | POLLHUP), "%s '%s' deleted: fd polls %s%s", argv[0], ifname,
		     ev & POLLERR ? "POLLERR" : "", ev & POLLHUP ? " POLLHUP" : "");
	if (!r) {
		frame_init(&f, buf, sizeof(buf));
		r = p->ops->rx_burst(p, &fp, 1);
	}
	check_report(r == want, "%s '%s' deleted: rx_burst returns %d (%s)", argv[0], ifname, r,
		     r < 0 ? strerror(-r) : "frames");
	frame_init(&f, buf, sizeof(buf));
	memset(f.data, 0x02, 60);
	f.len = 60;
	r = p->ops->tx_burst(p, &fp, 1);
	check_report(r == want && p->tx_errors == 1,
		     "%s '%s' deleted: tx_burst returns %d (%s), tx_errors %llu", argv[0], ifname,
		     r, r < 0 ? strerror(-r) : "frames", (unsigned long long)p->tx_errors);
	p->ops->destroy(p);
	if (nsfd >= 0)
		close(nsfd);
}

/*
 * port_check down IFNAME READY DOWN_SEEN --rx F: the script sets the link
 * down once READY exists: rx_burst returns -ENETDOWN once. Then, when
 * DOWN_SEEN exists, it sets it up again and the peer sends F, which must
 * arrive on the same port.
 */
static void check_cmd_down(int argc, char **argv)
{
	struct check_frames tx = { .n = 0 }, rx = { .n = 0 };
	const char *ifname = argv[0];
	uint8_t buf[FRAME_HEADROOM + 64];
	struct frame f, *fp = &f;
	struct port *p;
	short ev;
	int r;

	if (check_parse_frames(argc - 3, argv + 3, &tx, &rx))
		goto out_free;
	p = check_dev_open(ifname);
	if (!p)
		goto out_free;
	check_touch(argv[1]);
	ev = check_wait_err(p, &r);
	check_report(ev & POLLERR, "dev '%s' down: fd polls POLLERR", ifname);
	if (!r) {
		frame_init(&f, buf, sizeof(buf));
		r = p->ops->rx_burst(p, &fp, 1);
	}
	check_report(r == -ENETDOWN, "dev '%s' down: rx_burst returns %d (%s)", ifname, r,
		     r < 0 ? strerror(-r) : "frames");
	frame_init(&f, buf, sizeof(buf));
	memset(f.data, 0x02, 60);
	f.len = 60;
	r = p->ops->tx_burst(p, &fp, 1);
	check_report(r == -ENETDOWN, "dev '%s' down: tx_burst returns %d", ifname, r);
	p->tx_errors = 0;
	check_touch(argv[2]);
	check_exchange(p, &tx, &rx);
	p->ops->destroy(p);
out_free:
	check_frames_free(&tx);
	check_frames_free(&rx);
}

/* A tap that is down is not gone: a write is dropped and counted, a read finds nothing. */
static void check_tap_down(struct port *p)
{
	uint8_t buf[FRAME_HEADROOM + 64];
	struct frame f, *fp = &f;
	int r;

	frame_init(&f, buf, sizeof(buf));
	memset(f.data, 0x02, 60);
	f.len = 60;
	r = p->ops->tx_burst(p, &fp, 1);
	check_report(r == 0 && p->tx_errors == 1,
		     "tx_burst on tap '%s' while down: returns %d, tx_errors %llu", p->ifname, r,
		     (unsigned long long)p->tx_errors);
	frame_init(&f, buf, sizeof(buf));
	r = p->ops->rx_burst(p, &fp, 1);
	check_report(r == 0, "rx_burst on tap '%s' while down: returns %d", p->ifname, r);
}

static void check_err(const char *call, int ret, int want, const char *err, const char *needle)
{
	check_report(ret == want && strstr(err, needle), "%s: %d (%s): \"%s\"", call, ret,
		     strerror(-ret), err);
}

/* port_check errors NETNS: failures name the object and the operation */
static void check_cmd_errors(int argc, char **argv)
{
	const char *netns = argv[0];
	char err[256] = "";
	struct port *p, *q;
	int nsfd, ret;

	(void)argc;
	ret = tap_create("kvnet-name-too-long", &p, err, sizeof(err));
	check_err("tap_create(too long)", ret, -EINVAL, err, "kvnet-name-too-long");
	if (!ret)
		p->ops->destroy(p);
	ret = tap_create("kvpt%d", &p, err, sizeof(err));
	check_err("tap_create(template)", ret, -EINVAL, err, "invalid");
	if (!ret)
		p->ops->destroy(p);

	ret = tap_create("kvdup0", &p, err, sizeof(err));
	check_report(!ret, "tap_create(kvdup0)");
	if (!ret) {
		ret = tap_create("kvdup0", &q, err, sizeof(err));
		check_err("tap_create(kvdup0) again", ret, -EEXIST, err,
			  "cannot create tap 'kvdup0'");
		if (!ret)
			q->ops->destroy(q);
		ret = netlink_link_set_mtu("kvdup0", -1, 70000, err, sizeof(err));
		check_err("netlink_link_set_mtu(kvdup0, 70000)", ret, -EINVAL, err,
			  "cannot set MTU 70000 on link 'kvdup0'");
		check_tap_down(p);
		ret = netlink_link_set_up("kvdup0", -1, true, err, sizeof(err));
		check_report(ret == 0, "netlink_link_set_up(kvdup0) in our own namespace");
	}

	ret = af_packet_open("kvnone0", &q, err, sizeof(err));
	check_err("af_packet_open(kvnone0)", ret, -ENODEV, err,
		  "interface 'kvnone0' does not exist");
	if (!ret)
		q->ops->destroy(q);
	ret = af_packet_open("lo", &q, err, sizeof(err));
	check_err("af_packet_open(lo)", ret, -EINVAL, err,
		  "cannot attach interface 'lo': not an Ethernet interface");
	if (!ret)
		q->ops->destroy(q);

	ret = netlink_netns_open("kvnone-ns", err, sizeof(err));
	check_err("netlink_netns_open(kvnone-ns)", ret, -ENOENT, err,
		  "network namespace 'kvnone-ns' does not exist");
	if (ret >= 0)
		close(ret);
	ret = netlink_link_set_up("kvnone0", -1, true, err, sizeof(err));
	check_err("netlink_link_set_up(kvnone0)", ret, -ENODEV, err,
		  "interface 'kvnone0' does not exist");

	nsfd = netlink_netns_open(netns, err, sizeof(err));
	check_report(nsfd >= 0, "netlink_netns_open(%s)", netns);
	if (nsfd < 0)
		goto out_destroy;
	ret = netlink_link_set_up("kvnone0", nsfd, true, err, sizeof(err));
	{
		char want[128];

		snprintf(want, sizeof(want),
			 "interface 'kvnone0' does not exist in network namespace '%s'", netns);
		check_err("netlink_link_set_up(kvnone0, netns)", ret, -ENODEV, err, want);
	}
	ret = netlink_link_set_netns(999999, nsfd, err, sizeof(err));
	check_err("netlink_link_set_netns(999999)", ret, -ENODEV, err, "index 999999");
	if (p) {
		int notns = open("/dev/null", O_RDONLY | O_CLOEXEC);

		ret = netlink_link_set_netns(p->ifindex, notns, err, sizeof(err));
		check_err("netlink_link_set_netns(kvdup0, /dev/null)", ret, -EINVAL, err,
			  "cannot move link 'kvdup0' into network namespace");
		close(notns);
	}
	close(nsfd);
out_destroy:
	if (p)
		p->ops->destroy(p);
}

static const struct check_cmd {
	const char *name;
	int args; /* at least */
	void (*run)(int argc, char **argv);
	const char *usage;
} check_cmds[] = {
	{ "tap", 3, check_cmd_tap, "IFNAME NETNS READY --tx F... --rx F..." },
	{ "tap-tcp", 3, check_cmd_tap_tcp, "IFNAME NETNS READY" },
	{ "dev", 2, check_cmd_dev, "IFNAME READY --tx F... --rx F..." },
	{ "down", 3, check_cmd_down, "IFNAME READY DOWN_SEEN --rx F..." },
	{ "gone", 4, check_cmd_gone, "tap|dev IFNAME NETNS|- READY" },
	{ "errors", 1, check_cmd_errors, "NETNS" },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; argc >= 2 && i < sizeof(check_cmds) / sizeof(check_cmds[0]); i++) {
		const struct check_cmd *c = &check_cmds[i];

		if (strcmp(argv[1], c->name))
			continue;
		if (argc - 2 < c->args)
			break;
		c->run(argc - 2, argv + 2);
		return check_failures ? 1 : 0;
	}
	fprintf(stderr, "usage:\n");
	for (size_t i = 0; i < sizeof(check_cmds) / sizeof(check_cmds[0]); i++)
		fprintf(stderr, "  port_check %s %s\n", check_cmds[i].name, check_cmds[i].usage);
	return 2;
}
