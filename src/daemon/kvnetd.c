/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kvnetd.c - the daemon: options, run dir and lock, signals, start-up and shutdown */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl/protocol.h"
#include "daemon/rpc/ctl_server.h"
#include "daemon/switch/datapath.h"
#include "daemon/network/net_services.h"
#include "daemon/network/net_store.h"
#include "daemon/network/network.h"
#include "daemon/host/privilege.h"
#include "daemon/host/svc_notify.h"
#include "daemon/metrics/metrics.h"
#include "daemon/switch/switch.h"
#include "daemon/vmport/vm_port_record.h"
#include "services/libvirt.h"
#include "services/libvirt_leases.h"
#include "util/log.h"

#define STATE_DIR_DEFAULT "/var/lib/kvnet"

struct kvnetd_opts {
	const char *run_dir;
	const char *state_dir;
	const char *group;
	const char *libvirt;	    /* a URI, "off", or NULL for the default */
	const char *libvirt_leases; /* a dir, "off", or NULL for the default */
	const char *metrics;	    /* --metrics ADDR, or NULL */
	bool no_default;
};

static void kvnetd_usage(FILE *f)
{
	fprintf(f,
		"usage: kvnetd [--run-dir DIR] [--state-dir DIR] [--group NAME|GID]\n"
		"              [--log-level error|warn|info|debug] [--no-default-network]\n"
		"              [--libvirt URI|off] [--libvirt-leases DIR|off]\n"
		"              [--metrics unix:PATH|127.0.0.1:PORT|[::1]:PORT]\n"
		"              [--busy-poll USEC] [--threads N]\n"
		"\n"
		"The kvnet daemon. It runs in the foreground and logs to stderr.\n"
		"  --run-dir DIR     control socket, pid/lock file (default %s; without\n"
		"                    CAP_NET_ADMIN $XDG_RUNTIME_DIR/kvnet)\n"
		"  --state-dir DIR   network definitions: DIR/networks/NAME.xml (default %s;\n"
		"                    without CAP_NET_ADMIN $XDG_DATA_HOME/kvnet, else\n"
		"                    $HOME/.local/share/kvnet)\n"
		"  --group NAME|GID  members of this group may use the control socket and the\n"
		"                    port sockets too\n"
		"  --log-level L     default info\n"
		"  --no-default-network\n"
		"                    on a first start (no DIR/networks yet), do not define\n"
		"                    libvirt's default network (NAT, DHCP, DNS; autostarted)\n"
		"  --libvirt URI|off mirror kvnet's networks into the libvirtd at URI, so that\n"
		"                    libvirt's domains can use them (default %s;\n"
		"                    without CAP_NET_ADMIN off); libvirt is loaded at run time\n"
		"                    and may be missing, stopped or restarted\n"
		"  --libvirt-leases DIR|off\n"
		"                    keep the DHCP leases of each network mirrored into\n"
		"                    libvirt in DIR/BRIDGE.status, which libvirtd reads for\n"
		"                    virsh net-dhcp-leases and domifaddr; DIR is libvirtd's,\n"
		"                    never created (default %s when\n"
		"                    --libvirt is network:///system or qemu:///system, else off)\n"
		"  --metrics ADDR    serve GET /metrics in Prometheus' text format (the\n"
		"                    counters of kvnet stats show, STP port states, networks,\n"
		"                    dnsmasq, DHCP leases) on unix:PATH, 127.0.0.1:PORT or\n"
		"                    [::1]:PORT only (default off)\n"
		"  --busy-poll USEC  after forwarding, look for more frames without sleeping\n"
		"                    for USEC microseconds (0 to %u, default 50; 0: off):\n"
		"                    lower latency for some CPU while traffic flows\n"
		"  --threads N       forward with N threads (1 to %u, default 1): ports are\n"
		"                    spread over them, and a tap kvnetd makes or an\n"
		"                    interface it attaches has a queue for each, over\n"
		"                    which the kernel spreads its flows\n"
		"\n"
		"Under systemd (Type=notify) kvnetd says READY=1 once its socket listens and\n"
		"the autostarted networks run, and logs with the journal's priorities.\n"
		"\n"
		"Without CAP_NET_ADMIN kvnetd runs networks of stream and dgram ports and\n"
		"refuses tap and AF_PACKET ports, host ports, firewall rules and uplinks.\n",
		CTL_RUN_DIR_DEFAULT, STATE_DIR_DEFAULT, LIBVIRT_URI_DEFAULT,
		LIBVIRT_LEASES_DIR_DEFAULT, DATAPATH_BUSY_POLL_MAX_US, DATAPATH_THREADS_MAX);
}

/* mkdir -p for one or two levels, as the run and state dirs need */
static int kvnetd_mkdir(const char *path, mode_t mode)
{
	char buf[4096];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *s = buf + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(buf, mode) && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (mkdir(buf, mode) && errno != EEXIST)
		return -errno;
	return 0;
}

/* Return: the lock file's fd, held for the daemon's life, or -1 after saying why */
static int kvnetd_lock(const char *path, const char *run_dir)
{
	char pid[32];
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		fprintf(stderr, "kvnetd: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		ssize_t n = read(fd, pid, sizeof(pid) - 1);

		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		fprintf(stderr,
			"kvnetd: another kvnetd (pid %s) is running with run dir %s; "
			"stop it first or use --run-dir\n",
			pid[0] ? pid : "unknown", run_dir);
		close(fd);
		return -1;
	}
	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) || write(fd, pid, strlen(pid)) < 0) {
		fprintf(stderr, "kvnetd: cannot write %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* @s is a decimal number, all of it, with no sign: into @n */
static bool kvnetd_number(const char *s, unsigned long *n)
{
	char *end;

	errno = 0;
	*n = strtoul(s, &end, 10);
	return *s && !*end && !errno && s[0] != '-';
}

static int kvnetd_parse(int argc, char **argv, struct kvnetd_opts *o)
{
	static const struct option longopts[] = {
		{ "run-dir", required_argument, NULL, 'r' },
		{ "state-dir", required_argument, NULL, 's' },
		{ "group", required_argument, NULL, 'g' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "no-default-network", no_argument, NULL, 'n' },
		{ "libvirt", required_argument, NULL, 'v' },
		{ "libvirt-leases", required_argument, NULL, 'L' },
		{ "metrics", required_argument, NULL, 'm' },
		{ "busy-poll", required_argument, NULL, 'b' },
		{ "threads", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum log_level level;
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->run_dir = optarg;
			break;
		case 's':
			o->state_dir = optarg;
			break;
		case 'g':
			o->group = optarg;
			break;
		case 'n':
			o->no_default = true;
			break;
		case 'v':
			if (!*optarg) {
				fprintf(stderr, "kvnetd: --libvirt needs a libvirt URI, or off\n");
				return -1;
			}
			o->libvirt = optarg;
			break;
		case 'L':
			if (!*optarg) {
				fprintf(stderr,
					"kvnetd: --libvirt-leases needs a directory, or off\n");
				return -1;
			}
			o->libvirt_leases = optarg;
			break;
		case 'm': {
			char path[108], ip[16], err[512];
			unsigned port;

			/* the address now, before anything is made */
			if (metrics_addr_parse(optarg, path, ip, &port, err, sizeof(err))) {
				fprintf(stderr, "kvnetd: %s\n", err);
				return -1;
			}
			o->metrics = optarg;
			break;
		}
		case 'b': {
			unsigned long usec;

			if (!kvnetd_number(optarg, &usec) || datapath_set_busy_poll(usec)) {
				fprintf(stderr,
					"kvnetd: --busy-poll '%s' is not a number of microseconds "
					"from 0 to %u\n",
					optarg, DATAPATH_BUSY_POLL_MAX_US);
				return -1;
			}
			break;
		}
		case 't': {
			unsigned long n;

			if (!kvnetd_number(optarg, &n) || datapath_set_threads(n)) {
				fprintf(stderr,
					"kvnetd: --threads '%s' is not a number of threads "
					"from 1 to %u\n",
					optarg, DATAPATH_THREADS_MAX);
				return -1;
			}
			break;
		}
		case 'l':
			if (log_level_parse(optarg, &level)) {
				fprintf(stderr,
					"kvnetd: log level '%s' is not known (expected error, "
					"warn, "
					"info or debug)\n",
					optarg);
				return -1;
			}
			log_set_level(level);
			break;
		case 'h':
			kvnetd_usage(stdout);
			exit(0);
		default:
			kvnetd_usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "kvnetd: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

/*
 * The run and state dirs not given as options: the system's for a kvnetd with CAP_NET_ADMIN,
 * else the user's (XDG base directories), so a user's kvnetd never meets root's in /run/kvnet.
 * @run, @state:	buffers of @len for the user's paths
 * Return: 0, or -1 after saying why
 */
static int kvnetd_dirs(struct kvnetd_opts *o, char *run, char *state, size_t len)
{
	char err[256];

	if (kv_privileged()) {
		o->run_dir = o->run_dir ? o->run_dir : CTL_RUN_DIR_DEFAULT;
		o->state_dir = o->state_dir ? o->state_dir : STATE_DIR_DEFAULT;
		return 0;
	}
	if (!o->run_dir) {
		if (kv_user_dir("XDG_RUNTIME_DIR", NULL, run, len, err, sizeof(err))) {
			fprintf(stderr,
				"kvnetd: no run dir: %s; kvnetd runs without CAP_NET_ADMIN, so "
				"it does not use %s: give --run-dir DIR\n",
				err, CTL_RUN_DIR_DEFAULT);
			return -1;
		}
		o->run_dir = run;
	}
	if (!o->state_dir) {
		if (kv_user_dir("XDG_DATA_HOME", ".local/share", state, len, err, sizeof(err))) {
			fprintf(stderr,
				"kvnetd: no state dir: %s; kvnetd runs without CAP_NET_ADMIN, "
				"so it does not use %s: give --state-dir DIR\n",
				err, STATE_DIR_DEFAULT);
			return -1;
		}
		o->state_dir = state;
	}
	return 0;
}

/* is the calling process in group @gid (its own, or a supplementary one) */
static bool kvnetd_in_group(gid_t gid)
{
	int n = getgroups(0, NULL);
	gid_t *list;
	bool in = gid == getegid();

	if (in || n <= 0)
		return in;
	list = calloc((size_t)n, sizeof(*list));
	if (!list)
		return false;
	n = getgroups(n, list);
	for (int i = 0; i < n && !in; i++)
		in = list[i] == gid;
	free(list);
	return in;
}

/*
 * --group, by name or GID, into @gid ((gid_t)-1 without it). Only root may give a socket to
 * a group its user is not in: say so at start, not as a failed chown() later.
 * Return: 0, or -1 after saying why
 */
static int kvnetd_group(const char *name, gid_t *gid)
{
	char err[256];

	*gid = (gid_t)-1;
	if (!name)
		return 0;
	if (kv_group_parse(name, gid, err, sizeof(err))) {
		fprintf(stderr, "kvnetd: %s\n", err);
		return -1;
	}
	if (geteuid() && !kvnetd_in_group(*gid)) {
		fprintf(stderr,
			"kvnetd: cannot give the sockets to group %s (GID %u): kvnetd's user "
			"(UID %u) is not a member of it\n",
			name, (unsigned)*gid, (unsigned)geteuid());
		return -1;
	}
	return 0;
}

/* once a second on the control thread: supervise what networks run (dnsmasq), and keep
 * libvirt in step (reconnect, retry); libvirtd is slow to answer, so without the lock */
static void kvnetd_tick(void)
{
	datapath_lock();
	net_services_tick(datapath_now());
	datapath_reattach();
	datapath_unlock();
	libvirt_tick(datapath_now());
}

/* --metrics: start its server, or say why not. Return: 0 or -1 */
static int kvnetd_metrics(const struct kvnetd_opts *o, const char *sock_path, gid_t group,
			  struct metrics_server **out)
{
	char err[512];

	if (metrics_start(o->metrics, sock_path, group, out, err, sizeof(err))) {
		fprintf(stderr, "kvnetd: %s\n", err);
		return -1;
	}
	log_info("metrics on %s", o->metrics);
	return 0;
}

/* tell systemd (if it is there) a state change; it cannot be told, so it can only be logged */
static void kvnetd_notify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void kvnetd_notify(const char *fmt, ...)
{
	char msg[4096 + 64];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ret = svc_notify(msg);
	if (ret)
		log_warn("cannot notify the service manager: %s", strerror(-ret));
}

int main(int argc, char **argv)
{
	struct kvnetd_opts o = { NULL, NULL, NULL, NULL, NULL, NULL, false };
	struct metrics_server *metrics = NULL;
	const char *uri, *leases_dir;
	char sock_path[4096], lock_path[4096], err[512], run_dir[2048], state_dir[2048];
	int lock_fd, sig_fd, listen_fd, signo, err_no, ret = 1;
	gid_t group = (gid_t)-1;
	sigset_t sigs;

	kv_privilege_init();
	log_journal_detect();
	if (svc_notify_init(err, sizeof(err))) {
		fprintf(stderr, "kvnetd: %s\n", err);
		return 2;
	}
	if (kvnetd_parse(argc, argv, &o) || kvnetd_group(o.group, &group) ||
	    kvnetd_dirs(&o, run_dir, state_dir, sizeof(run_dir)))
		return 2;
	kv_socket_group_set(group);
	err_no = kvnetd_mkdir(o.run_dir, 0755);
	if (err_no) {
		fprintf(stderr, "kvnetd: cannot create %s: %s\n", o.run_dir, strerror(-err_no));
		return 1;
	}
	/* a user's network definitions are the user's alone */
	err_no = kvnetd_mkdir(o.state_dir, kv_privileged() ? 0755 : 0700);
	if (err_no) {
		fprintf(stderr, "kvnetd: cannot create %s: %s\n", o.state_dir, strerror(-err_no));
		return 1;
	}
	if (group != (gid_t)-1 && !kv_dir_reachable(o.run_dir, group))
		log_warn("members of group %s cannot reach %s: a directory on the way is not "
			 "searchable by them (as $XDG_RUNTIME_DIR is not); give --run-dir a "
			 "directory they can reach",
			 o.group, o.run_dir);
	snprintf(sock_path, sizeof(sock_path), "%s/%s", o.run_dir, CTL_SOCKET_NAME);
	snprintf(lock_path, sizeof(lock_path), "%s/kvnetd.pid", o.run_dir);
	lock_fd = kvnetd_lock(lock_path, o.run_dir);
	if (lock_fd < 0)
		return 1;

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	/* blocked before the datapath thread starts, so it inherits the mask */
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	sig_fd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sig_fd < 0) {
		fprintf(stderr, "kvnetd: signalfd: %s\n", strerror(errno));
		goto out_unlock;
	}
	err_no = datapath_start();
	if (err_no) {
		fprintf(stderr, "kvnetd: cannot start the datapath: %s\n", strerror(-err_no));
		goto out_sig;
	}
	err_no = net_store_open(o.state_dir, err, sizeof(err));
	if (!err_no)
		err_no = net_services_init(o.run_dir, err, sizeof(err));
	if (!err_no)
		err_no = vm_port_record_init(o.run_dir, err, sizeof(err));
	if (!err_no)
		err_no = ctl_store_open(o.state_dir, err, sizeof(err));
	if (err_no) {
		fprintf(stderr, "kvnetd: %s\n", err);
		goto out_datapath;
	}
	/* a kvnetd that may not make host netdevs has no bridge libvirt could plug into */
	uri = o.libvirt ? o.libvirt : kv_privileged() ? LIBVIRT_URI_DEFAULT : "off";
	/* a remote libvirtd, or a test's, reads its own /var: only this host's system one's */
	leases_dir = o.libvirt_leases		     ? o.libvirt_leases
		     : libvirt_leases_local_uri(uri) ? LIBVIRT_LEASES_DIR_DEFAULT
						     : "off";
	if (net_services_libvirt_leases(strcmp(leases_dir, "off") ? leases_dir : NULL)) {
		fprintf(stderr, "kvnetd: --libvirt-leases: path '%s' is too long\n", leases_dir);
		goto out_datapath;
	}
	if (libvirt_init(uri, o.libvirt != NULL, o.state_dir)) {
		fprintf(stderr, "kvnetd: out of memory\n");
		goto out_datapath;
	}
	listen_fd = ctl_server_open(sock_path, group, err, sizeof(err));
	if (listen_fd < 0) {
		fprintf(stderr, "kvnetd: %s\n", err);
		goto out_datapath;
	}
	if (o.metrics && kvnetd_metrics(&o, sock_path, group, &metrics)) {
		close(listen_fd);
		unlink(sock_path);
		goto out_datapath;
	}
	/* defined networks, and the autostarted ones running, before the first request */
	ctl_server_init();
	svc_notify_status("starting the autostarted networks");
	datapath_lock();
	/* the user's bridges first: a bridge-mode network may run on one */
	ctl_store_restore();
	network_load_all();
	if (net_store_fresh() && !o.no_default)
		network_define_default();
	datapath_unlock();
	libvirt_connect();
	log_info("listening on %s (pid %d)", sock_path, (int)getpid());
	if (!kv_privileged())
		log_info("running without CAP_NET_ADMIN: tap and AF_PACKET ports, host ports, "
			 "firewall rules and uplinks are refused; stream and dgram ports work");

	/* the socket listens and the networks run: a client now gets answers */
	kvnetd_notify("READY=1\nSTATUS=running, listening on %s", sock_path);
	signo = ctl_server_run(listen_fd, sig_fd, kvnetd_tick);
	log_info("%s: shutting down", strsignal(signo));
	kvnetd_notify("STOPPING=1\nSTATUS=shutting down (%s)", strsignal(signo));
	ret = 0;

	close(listen_fd);
	unlink(sock_path);
	/* after the control socket: a scrape waiting for an answer now ends */
	metrics_stop(metrics);
out_datapath:
	datapath_stop();
	/* the thread is gone, but the lock is still what network code lets go around slow work */
	/* first: libvirt keeps kvnet's networks as they are while kvnetd is away */
	libvirt_fini();
	datapath_lock();
	network_shutdown();
	switch_del_all();
	datapath_unlock();
	net_services_fini();
	net_store_close();
	ctl_store_close();
out_sig:
	close(sig_fd);
out_unlock:
	unlink(lock_path);
	close(lock_fd);
	return ret;
}
