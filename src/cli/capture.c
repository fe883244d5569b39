/* SPDX-License-Identifier: GPL-2.0-or-later */
/* capture.c - kvnet capture: a port's frames as pcap, read from kvnetd's capture socket
 *
 * capture.start answers with a SOCK_SEQPACKET socket (SCM_RIGHTS): one message per frame,
 * a struct ctl_capture_rec and the frame's bytes. This side writes them as a classic pcap
 * file (nanosecond timestamps, LINKTYPE_ETHERNET), the format tcpdump -r and Wireshark
 * read, to a file or to standard output for a pipe. It ends at end of file (kvnetd reached
 * the count, or the port went), after -c frames, on SIGINT or SIGTERM, or when the reader of
 * a pipe goes away; the capture's socket closes with it, and kvnetd ends its side.
 */

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/kvnet.h"
#include "cli/print.h"
#include "ctl/client.h"
#include "util/compiler.h"

/* pcap's magic number for nanosecond timestamps, and its link type for Ethernet */
#define PCAP_MAGIC_NS 0xa1b23c4du
#define PCAP_LINKTYPE_ETHERNET 1

struct pcap_file_hdr {
	uint32_t magic;
	uint16_t version_major;
	uint16_t version_minor;
	int32_t thiszone;
	uint32_t sigfigs;
	uint32_t snaplen;
	uint32_t linktype;
};

struct pcap_rec_hdr {
	uint32_t ts_sec;
	uint32_t ts_nsec;
	uint32_t incl_len;
	uint32_t orig_len;
};

static volatile sig_atomic_t capture_stop;

static void capture_on_signal(int sig)
{
	(void)sig;
	capture_stop = 1;
}

/**
 * struct capture_opts - the command line
 * @port:	the port
 * @file:	-w: a file name, "-" for standard output, NULL if not given
 * @count:	-c: frames to capture, 0 for no limit
 * @snaplen:	-s: bytes of each frame
 * @dir:	--direction: in, out or both
 */
struct capture_opts {
	const char *port;
	const char *file;
	unsigned long long count;
	unsigned long long snaplen;
	const char *dir;
};

static int capture_number(const char *opt, const char *s, unsigned long long min,
			  unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	if (!*s || *end || errno || *s == '-' || *out < min || *out > max) {
		kvnet_err("capture: %s '%s' is not a number in %llu..%llu", opt, s, min, max);
		return -EINVAL;
	}
	return 0;
}

static int capture_parse(int argc, char **argv, struct capture_opts *o)
{
	*o = (struct capture_opts){ .snaplen = CTL_CAPTURE_SNAPLEN_MAX };
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-w") || !strcmp(a, "-c") || !strcmp(a, "-s") ||
		    !strcmp(a, "--direction")) {
			if (i + 1 == argc) {
				kvnet_err("capture: %s needs a value", a);
				return -EINVAL;
			}
			const char *v = argv[++i];

			if (!strcmp(a, "-w"))
				o->file = v;
			else if (!strcmp(a, "-c")) {
				if (capture_number("-c", v, 1, CTL_CAPTURE_COUNT_MAX, &o->count))
					return -EINVAL;
			} else if (!strcmp(a, "-s")) {
				if (capture_number("-s", v, CTL_CAPTURE_SNAPLEN_MIN,
						   CTL_CAPTURE_SNAPLEN_MAX, &o->snaplen))
					return -EINVAL;
			} else if (ctl_vocab_value(&ctl_capture_dirs, v) < 0) {
				kvnet_err("capture: direction '%s' is not known "
					  "(expected " CTL_WORDS_OR(CTL_CAPTURE_DIR_LIST) ")",
					  v);
				return -EINVAL;
			} else {
				o->dir = v;
			}
		} else if (a[0] == '-' && a[1]) {
			kvnet_err("capture: unknown option '%s' (expected -w FILE, -c N, -s "
				  "SNAPLEN or --direction in|out|both)",
				  a);
			return -EINVAL;
		} else if (o->port) {
			kvnet_err("capture: one port only ('%s' and '%s')", o->port, a);
			return -EINVAL;
		} else if (!ctl_name_valid(a)) {
			kvnet_err("capture: '%s' is not a port name", a);
			return -EINVAL;
		} else {
			o->port = a;
		}
	}
	if (!o->port) {
		kvnet_err("capture: which port? (kvnet capture PORT [-w FILE|-] [-c N] ...)");
		return -EINVAL;
	}
	if (!o->file && isatty(STDOUT_FILENO)) {
		kvnet_err("capture: writes pcap, not text: give -w FILE, or -w - into a pipe "
			  "(kvnet capture %s -w - | tcpdump -r -)",
			  o->port);
		return -EINVAL;
	}
	return 0;
}

/* Return: 0, or -1 after saying why (a closed pipe is not worth a word) */
static int capture_write(FILE *f, const char *name, const void *p, size_t n)
{
	if (fwrite(p, 1, n, f) == n)
		return 0;
	if (errno != EPIPE)
		kvnet_err("capture: cannot write %s: %s", name, strerror(errno));
	return -1;
}

/* read records from @fd into @f until one of the ends. Return: an exit status */
static int capture_loop(int fd, FILE *f, const char *name, const struct capture_opts *o, bool flush)
{
	size_t size = sizeof(struct ctl_capture_rec) + CTL_CAPTURE_SNAPLEN_MAX;
	struct pcap_file_hdr fh = { .magic = PCAP_MAGIC_NS,
				    .version_major = 2,
				    .version_minor = 4,
				    .snaplen = (uint32_t)o->snaplen,
				    .linktype = PCAP_LINKTYPE_ETHERNET };
	unsigned long long got = 0, dropped = 0;
	uint8_t *buf = malloc(size);
	int ret = KVNET_EXIT_OK;

	if (!buf) {
		kvnet_err("capture: out of memory");
		return KVNET_EXIT_ERROR;
	}
	if (capture_write(f, name, &fh, sizeof(fh)) || fflush(f))
		goto out;
	while (!capture_stop && (!o->count || got < o->count)) {
		struct ctl_capture_rec rec;
		struct pcap_rec_hdr rh;
		ssize_t n = recv(fd, buf, size, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			kvnet_err("capture: cannot read from kvnetd: %s", strerror(errno));
			ret = KVNET_EXIT_ERROR;
			break;
		}
		if (n == 0)
			break;
		if ((size_t)n < sizeof(rec)) {
			kvnet_err("capture: a record of %zd bytes from kvnetd, shorter than its "
				  "header",
				  n);
			ret = KVNET_EXIT_ERROR;
			break;
		}
		memcpy(&rec, buf, sizeof(rec));
		rh = (struct pcap_rec_hdr){ .ts_sec = (uint32_t)(rec.ts_ns / 1000000000u),
					    .ts_nsec = (uint32_t)(rec.ts_ns % 1000000000u),
					    .incl_len = (uint32_t)((size_t)n - sizeof(rec)),
					    .orig_len = rec.orig_len };
		dropped = rec.dropped;
		if (capture_write(f, name, &rh, sizeof(rh)) ||
		    capture_write(f, name, buf + sizeof(rec), rh.incl_len) || (flush && fflush(f)))
			break;
		got++;
	}
out:
	if (fflush(f) && errno != EPIPE && ret == KVNET_EXIT_OK) {
		kvnet_err("capture: cannot write %s: %s", name, strerror(errno));
		ret = KVNET_EXIT_ERROR;
	}
	fprintf(stderr, "%llu frames captured, %llu dropped by kvnetd (the reader was slow)\n", got,
		dropped);
	free(buf);
	return ret;
}

static int capture_run(struct kvnet *k, int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = capture_on_signal };
	struct capture_opts o;
	json_t *params, *result;
	bool to_stdout;
	FILE *f;
	int fd, ret;

	if (capture_parse(argc, argv, &o))
		return KVNET_EXIT_USAGE;
	to_stdout = !o.file || !strcmp(o.file, "-");
	params = json_pack("{s:s,s:I,s:I}", "port", o.port, "count", (json_int_t)o.count, "snaplen",
			   (json_int_t)o.snaplen);
	if (o.dir)
		json_object_set_new(params, "direction", json_string(o.dir));
	ret = kvnet_call(k, "capture.start", params, &result);
	if (ret)
		return ret;
	fd = ctl_client_take_fd(k->client);
	if (fd < 0) {
		kvnet_err("capture: kvnetd answered capture.start without its socket");
		json_decref(result);
		return KVNET_EXIT_ERROR;
	}
	/* opened once the capture runs: a refused one leaves no empty file behind */
	f = to_stdout ? stdout : fopen(o.file, "we");
	if (!f) {
		kvnet_err("capture: cannot open %s: %s", o.file, strerror(errno));
		json_decref(result);
		close(fd);
		return KVNET_EXIT_ERROR;
	}
	fprintf(stderr, "capturing on port %s (bridge %s), direction %s\n", o.port,
		json_string_value(json_object_get(result, "bridge")),
		json_string_value(json_object_get(result, "direction")));
	json_decref(result);
	/* the control connection is done with; the capture lives on its own socket */
	ctl_client_close(k->client);
	k->client = NULL;
	/* no SA_RESTART: a signal ends the wait in recv() */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ret = capture_loop(fd, f, to_stdout ? "standard output" : o.file, &o, to_stdout);
	close(fd);
	if (!to_stdout && fclose(f) && ret == KVNET_EXIT_OK) {
		kvnet_err("capture: cannot write %s: %s", o.file, strerror(errno));
		ret = KVNET_EXIT_ERROR;
	}
	return ret;
}

static void capture_print_list(const json_t *list)
{
	const json_t *c;
	size_t i;

	printf("%-4s %-15s %-9s %10s %10s %10s\n", "ID", "PORT", "DIRECTION", "COUNT", "CAPTURED",
	       "DROPPED");
	json_array_foreach(list, i, c)
	{
		printf("%-4" JSON_INTEGER_FORMAT " %-15s %-9s %10" JSON_INTEGER_FORMAT
		       " %10" JSON_INTEGER_FORMAT " %10" JSON_INTEGER_FORMAT "\n",
		       json_integer_value(json_object_get(c, "id")),
		       json_string_value(json_object_get(c, "port")),
		       json_string_value(json_object_get(c, "direction")),
		       json_integer_value(json_object_get(c, "count")),
		       json_integer_value(json_object_get(c, "captured")),
		       json_integer_value(json_object_get(c, "dropped")));
	}
}

static int capture_list_run(struct kvnet *k, int argc, char **argv)
{
	json_t *result, *list;
	int ret;

	(void)argv;
	if (argc) {
		kvnet_err("capture-list: takes no arguments");
		return KVNET_EXIT_USAGE;
	}
	ret = kvnet_call(k, "capture.list", NULL, &result);
	if (ret)
		return ret;
	list = json_object_get(result, "captures");
	if (!json_is_array(list)) {
		kvnet_err("bad answer from kvnetd: no \"captures\" list");
		json_decref(result);
		return KVNET_EXIT_ERROR;
	}
	if (k->json)
		print_json(result);
	else
		capture_print_list(list);
	json_decref(result);
	return KVNET_EXIT_OK;
}

const struct kvnet_cmd capture_cmds[] = {
	{
		.name = "capture",
		.args = "PORT [-w FILE|-] [-c N] [-s SNAPLEN] [--direction in|out|both]",
		.help = "Capture the frames of a port of any kind (tap, dev, stream, dgram,\n"
			"vxlan, patch) as kvnetd's switch sees them, VLAN tags as on that port's\n"
			"wire, and write them as a pcap file that tcpdump -r and Wireshark read:\n"
			"to FILE, or with -w - (the default when standard output is not a\n"
			"terminal) to standard output, one frame at a time for a pipe:\n"
			"  kvnet capture vm1 -w - | tcpdump -r - -e -nn\n"
			"  -c N         stop after N frames\n"
			"  -s SNAPLEN   copy at most SNAPLEN bytes of each frame (default all)\n"
			"  --direction  in: what the port receives; out: what the switch sends "
			"out\n"
			"               of it; both (the default)\n"
			"It runs until -c N frames, Ctrl-C, the port's removal, or the end of the\n"
			"pipe it writes to, then prints on stderr how many frames it captured and\n"
			"how many kvnetd dropped because they were not read fast enough (the "
			"switch\n"
			"never waits for a capture). At most " STRINGIFY(
				CTL_CAPTURE_PER_PORT) " captures per port, " STRINGIFY(CTL_CAPTURE_MAX) " in kvnetd.\n",
		.run = capture_run,
	},
	{ 0 },
};

const struct kvnet_cmd capture_list_cmds[] = {
	{
		.name = "capture-list",
		.args = "",
		.help = "List the captures running in kvnetd: their port, direction, count,\n"
			"frames captured and frames dropped because the reader was slow.\n",
		.run = capture_list_run,
	},
	{ 0 },
};
