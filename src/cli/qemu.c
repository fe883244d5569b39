/* SPDX-License-Identifier: GPL-2.0-or-later */
/* qemu.c - kvnet port-create and qemu-args: VM ports for QEMU, and the arguments QEMU needs
 *
 * kvnetd knows each port's back-end and sockets (domain.attach's result, domain.interfaces);
 * the client turns them into QEMU's -netdev and -device options (qemu_args.c). Only the
 * stream back-end's reconnect option depends on the QEMU that will run: the one on PATH (or
 * $KVNET_QEMU) is asked its version, once, and only when such a port is printed.
 */

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/iface_opts.h"
#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"
#include "cli/qemu_args.h"
#include "cli/version.h"

/* the guest memory qemu-args gives a VM with vhost-user ports without --mem, in MiB */
#define QEMU_MEM_DEFAULT 1024
/* -numa's value that puts the guest's memory in the memfd backend qemu_mem_args() names */
#define QEMU_MEM_NUMA "node,memdev=kvnet-mem"

/* most of `qemu-system-x86_64 --version` that is read: the version is on the first line */
#define QEMU_VERSION_MAX 512

/*
 * The reconnect option the QEMU to be run takes: $KVNET_QEMU, else qemu-system-x86_64 on
 * PATH, asked with --version once per invocation. No QEMU, or one that does not answer as
 * QEMU does: none (the arguments still work, without reconnecting).
 */
static enum qemu_reconnect qemu_probe(void)
{
	static int cached = -1;
	const char *prog = getenv("KVNET_QEMU");
	char *argv[] = { NULL, "--version", NULL }, buf[QEMU_VERSION_MAX];
	posix_spawn_file_actions_t fa;
	int pipefd[2], status;
	size_t len = 0;
	ssize_t r;
	pid_t pid;

	if (cached >= 0)
		return (enum qemu_reconnect)cached;
	cached = QEMU_RECONNECT_NONE;
	argv[0] = (char *)(prog && *prog ? prog : "qemu-system-x86_64");
	if (pipe2(pipefd, O_CLOEXEC))
		return QEMU_RECONNECT_NONE;
	if (posix_spawn_file_actions_init(&fa))
		goto close_pipe;
	if (posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO) ||
	    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0) ||
	    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0) ||
	    posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		goto close_pipe;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	pipefd[1] = -1;
	while (len < sizeof(buf) - 1) {
		r = read(pipefd[0], buf + len, sizeof(buf) - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	cached = qemu_version_reconnect(buf);
	return (enum qemu_reconnect)cached;
close_pipe:
	close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	return QEMU_RECONNECT_NONE;
}

/* where kvnet-ifup and kvnet-ifdown are: $KVNET_QEMU_SCRIPTS, else where they are installed */
static const char *qemu_scripts_dir(void)
{
	const char *dir = getenv("KVNET_QEMU_SCRIPTS");

	return dir && *dir ? dir : KVNET_LIBEXEC_DIR;
}

/* QEMU's options for VM port @iface. Return: KVNET_EXIT_OK, or KVNET_EXIT_ERROR after saying why */
static int qemu_iface_args(const json_t *iface, struct qemu_args *a)
{
	const char *backend = json_string_value(json_object_get(iface, "backend"));
	enum qemu_reconnect reconnect = QEMU_RECONNECT_NONE;
	char err[256];
	int ret;

	if ((ctl_vocab_value(&ctl_vm_backends, backend) == CTL_VM_BACKEND_STREAM &&
	     json_is_true(json_object_get(iface, "listen"))) ||
	    ctl_vocab_value(&ctl_vm_backends, backend) == CTL_VM_BACKEND_VHOST_USER)
		reconnect = qemu_probe();
	ret = qemu_args_format(iface, reconnect, qemu_scripts_dir(), a, err, sizeof(err));
	if (ret == -ENOMEM)
		kvnet_err("out of memory");
	else if (ret)
		kvnet_err("bad answer from kvnetd: %s", err);
	return ret ? KVNET_EXIT_ERROR : KVNET_EXIT_OK;
}

/* @s for a human to paste into a shell: as it is when that is safe, else in single quotes */
static void qemu_put_word(const char *s)
{
	if (qemu_args_shell_safe(s)) {
		fputs(s, stdout);
		return;
	}
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	}
	putchar('\'');
}

int qemu_print_port(const struct kvnet *k, const json_t *result, const char *domain)
{
	const json_t *sock = json_object_get(result, "socket");
	struct qemu_args a;
	json_t *out;
	int ret;

	ret = qemu_iface_args(result, &a);
	if (ret)
		return ret;
	if (k->json) {
		out = json_copy((json_t *)result);
		if (!out ||
		    json_object_set_new(out, "qemu_args",
					a.chardev ? json_pack("[s,s,s,s,s,s]", "-chardev",
							      a.chardev, "-netdev", a.netdev,
							      "-device", a.device)
						  : json_pack("[s,s,s,s]", "-netdev", a.netdev,
							      "-device", a.device))) {
			json_decref(out);
			qemu_args_free(&a);
			kvnet_err("out of memory");
			return KVNET_EXIT_ERROR;
		}
		print_json(out);
		json_decref(out);
		qemu_args_free(&a);
		return KVNET_EXIT_OK;
	}
	ret = KVNET_EXIT_ERROR;
	if ((domain && print_field("Domain:", "%s", domain)) ||
	    print_field("Backend:", "%s",
			json_string_value(json_object_get(result, "backend"))
				?: ctl_vocab_name(&ctl_vm_backends, CTL_VM_BACKEND_TAP)) ||
	    (json_is_string(sock) && print_field("Socket:", "%s", json_string_value(sock)))) {
		kvnet_err("out of memory");
		goto free_args;
	}
	printf("%-15s ", "QEMU args:");
	if (a.chardev) {
		printf("-chardev ");
		qemu_put_word(a.chardev);
		putchar(' ');
	}
	printf("-netdev ");
	qemu_put_word(a.netdev);
	printf(" -device ");
	qemu_put_word(a.device);
	putchar('\n');
	ret = KVNET_EXIT_OK;
free_args:
	qemu_args_free(&a);
	return ret;
}

int qemu_backend_check(const json_t *params)
{
	const char *name = json_string_value(json_object_get(params, "backend"));
	int backend = name ? ctl_vocab_value(&ctl_vm_backends, name) : CTL_VM_BACKEND_TAP;

	if (!name)
		name = ctl_vocab_name(&ctl_vm_backends, CTL_VM_BACKEND_TAP);
	if (json_object_get(params, "connect") && backend != CTL_VM_BACKEND_STREAM &&
	    backend != CTL_VM_BACKEND_VHOST_USER) {
		kvnet_err("--connect is only for --backend %s or %s (kvnet connects to a QEMU "
			  "that listens: server=on), not for --backend %s",
			  ctl_vocab_name(&ctl_vm_backends, CTL_VM_BACKEND_STREAM),
			  ctl_vocab_name(&ctl_vm_backends, CTL_VM_BACKEND_VHOST_USER), name);
		return -EINVAL;
	}
	if (json_object_get(params, "netns") && backend != CTL_VM_BACKEND_TAP) {
		kvnet_err("--netns is only for --backend %s (kvnet's tap moved into the "
			  "namespace), not for --backend %s",
			  ctl_vocab_name(&ctl_vm_backends, CTL_VM_BACKEND_TAP), name);
		return -EINVAL;
	}
	return 0;
}

int qemu_connect_absolute(json_t *params)
{
	const char *path = json_string_value(json_object_get(params, "connect"));
	char *cwd, *abs;
	int ret;

	/* kvnetd resolves the path, from its own working directory: give it ours */
	if (!path || path[0] == '/')
		return KVNET_EXIT_OK;
	cwd = getcwd(NULL, 0);
	if (!cwd) {
		kvnet_err("cannot resolve --connect %s: %s", path, strerror(errno));
		return KVNET_EXIT_ERROR;
	}
	ret = asprintf(&abs, "%s/%s", cwd, path);
	free(cwd);
	if (ret < 0 || json_object_set_new(params, "connect", json_string(abs))) {
		if (ret >= 0)
			free(abs);
		kvnet_err("out of memory");
		return KVNET_EXIT_ERROR;
	}
	free(abs);
	return KVNET_EXIT_OK;
}

static const struct parse_arg port_create_args[] = {
	{ .key = "network", .kind = PARSE_STRING, .what = "network name or UUID" },
	{ .word = "--backend",
	  .key = "backend",
	  .kind = PARSE_CHOICE,
	  .what = "backend",
	  .vocab = &ctl_vm_backends },
	{ .word = "--mac", .key = "mac", .kind = PARSE_MAC, .what = "MAC" },
	{ .word = "--portgroup", .key = "portgroup", .kind = PARSE_STRING, .what = "portgroup" },
	{ .word = "--vlan", .key = "vlan", .kind = PARSE_STRING, .what = "VLAN list" },
	{ .word = "--name", .key = "name", .kind = PARSE_NAME, .what = "interface name" },
	{ .word = "--domain", .key = "domain", .kind = PARSE_STRING, .what = "domain name" },
	{ .word = "--connect", .key = "connect", .kind = PARSE_STRING, .what = "socket path" },
	{ .word = "--netns", .key = "netns", .kind = PARSE_NETNS, .what = "network namespace name" },
	{ .word = "--bridge", .key = "bridge", .kind = PARSE_NAME, .what = "bridge name" },
	{ 0 },
};

static const struct parse_arg qemu_domain_args[] = {
	{ .key = "domain", .kind = PARSE_STRING, .what = "domain name", .required = true },
	{ .word = "--mem",
	  .key = "mem",
	  .kind = PARSE_UINT,
	  .what = "guest memory in MiB",
	  .min = 16,
	  .max = 1 << 24 },
	{ 0 },
};

static int port_create_check(const json_t *params)
{
	const char *backend = json_string_value(json_object_get(params, "backend"));
	bool net = json_object_get(params, "network"), br = json_object_get(params, "bridge");

	if (net == br) {
		kvnet_err("port-create needs a NETWORK or --bridge BRIDGE (one of them)");
		return -EINVAL;
	}
	if (ctl_vocab_value(&ctl_vm_backends, backend) == CTL_VM_BACKEND_DEV &&
	    !json_object_get(params, "name")) {
		kvnet_err("--backend %s needs --name IFNAME: the existing interface to attach",
			  backend);
		return -EINVAL;
	}
	return qemu_backend_check(params);
}

/* a MAC under QEMU's and libvirt's 52:54:00, the rest random, into @buf (18 bytes) */
static int port_create_mac(char *buf)
{
	unsigned char r[3];

	if (getrandom(r, sizeof(r), 0) != sizeof(r)) {
		kvnet_err("cannot make a MAC address: %s", strerror(errno));
		return KVNET_EXIT_ERROR;
	}
	snprintf(buf, 18, "52:54:00:%02x:%02x:%02x", r[0], r[1], r[2]);
	return KVNET_EXIT_OK;
}

#define PORT_STR(params, key) json_string_value(json_object_get(params, key))

static int port_create(struct kvnet *k, json_t *params)
{
	struct iface_opts o = {
		.network = PORT_STR(params, "network"),
		.bridge = PORT_STR(params, "bridge"),
		.portgroup = PORT_STR(params, "portgroup"),
		.mac = PORT_STR(params, "mac"),
		.target = PORT_STR(params, "name"),
		.vlan = PORT_STR(params, "vlan"),
	};
	char mac[18], domain[32], err[256], *xml;
	const char *dom = PORT_STR(params, "domain");
	json_t *call, *result;
	int ret;

	if (!o.mac) {
		ret = port_create_mac(mac);
		if (ret)
			return ret;
		o.mac = mac;
	}
	/* the domain a port is for names it in qemu-args: the interface's, else its MAC's */
	if (!dom && o.target) {
		dom = o.target;
	} else if (!dom) {
		snprintf(domain, sizeof(domain), "port-%.2s%.2s%.2s%.2s%.2s%.2s", o.mac, o.mac + 3,
			 o.mac + 6, o.mac + 9, o.mac + 12, o.mac + 15);
		dom = domain;
	}
	ret = iface_opts_xml(&o, &xml, err, sizeof(err));
	if (ret == -EINVAL) {
		kvnet_err("%s", err);
		return KVNET_EXIT_USAGE;
	}
	if (ret) {
		kvnet_err("out of memory");
		return KVNET_EXIT_ERROR;
	}
	ret = qemu_connect_absolute(params);
	if (ret) {
		free(xml);
		return ret;
	}
	call = json_pack("{s:s,s:s,s:O*,s:O*,s:O*}", "domain", dom, "xml", xml, "backend",
			 json_object_get(params, "backend"), "netns",
			 json_object_get(params, "netns"), "connect",
			 json_object_get(params, "connect"));
	free(xml);
	if (!call) {
		kvnet_err("out of memory");
		return KVNET_EXIT_ERROR;
	}
	ret = kvnet_call(k, "domain.attach", call, &result);
	if (ret)
		return ret;
	if (!k->json) {
		ret = domain_print_port_fields(result, "Port created successfully");
		if (ret == -ENOMEM)
			kvnet_err("out of memory");
		if (ret) {
			json_decref(result);
			return KVNET_EXIT_ERROR;
		}
	}
	ret = qemu_print_port(k, result, dom);
	json_decref(result);
	return ret;
}

/* the arguments of every interface of @ifaces, in @args (n * 2); KVNET_EXIT_* */
static int qemu_args_all(const json_t *ifaces, struct qemu_args *args)
{
	size_t i;
	int ret;

	for (i = 0; i < json_array_size(ifaces); i++) {
		ret = qemu_iface_args(json_array_get(ifaces, i), &args[i]);
		if (ret)
			return ret;
	}
	return KVNET_EXIT_OK;
}

static int qemu_args_json(const char *domain, const json_t *ifaces, const struct qemu_args *args,
			  const char *mem)
{
	json_t *out, *list, *all;
	size_t i;
	int ret = 0;

	out = json_pack("{s:s,s:[],s:[]}", "domain", domain, "interfaces", "args");
	if (!out)
		goto no_memory;
	list = json_object_get(out, "interfaces");
	all = json_object_get(out, "args");
	if (*mem) {
		ret |= json_array_append_new(all, json_string("-object"));
		ret |= json_array_append_new(all, json_string(mem));
		ret |= json_array_append_new(all, json_string("-numa"));
		ret |= json_array_append_new(all, json_string(QEMU_MEM_NUMA));
	}
	for (i = 0; i < json_array_size(ifaces); i++) {
		const json_t *e = json_array_get(ifaces, i);

		ret |= json_array_append_new(list,
					     json_pack("{s:O,s:O*,s:O,s:s,s:s}", "name",
						       json_object_get(e, "name"), "backend",
						       json_object_get(e, "backend"), "mac",
						       json_object_get(e, "mac"), "netdev",
						       args[i].netdev, "device", args[i].device));
		if (args[i].chardev) {
			ret |= json_object_set_new(json_array_get(list, i), "chardev",
						   json_string(args[i].chardev));
			ret |= json_array_append_new(all, json_string("-chardev"));
			ret |= json_array_append_new(all, json_string(args[i].chardev));
		}
		ret |= json_array_append_new(all, json_string("-netdev"));
		ret |= json_array_append_new(all, json_string(args[i].netdev));
		ret |= json_array_append_new(all, json_string("-device"));
		ret |= json_array_append_new(all, json_string(args[i].device));
	}
	if (ret)
		goto no_memory;
	print_json(out);
	json_decref(out);
	return KVNET_EXIT_OK;
no_memory:
	json_decref(out);
	kvnet_err("out of memory");
	return KVNET_EXIT_ERROR;
}

/*
 * A vhost-user port works on the guest's memory, so QEMU must keep it in a file it can hand
 * over (share=on), of @mib MiB, which must be the guest's -m: -object's value into @obj, or ""
 * if no interface of @args is vhost-user.
 */
static void qemu_mem_args(const struct qemu_args *args, size_t n, unsigned long mib, char *obj,
			  size_t len)
{
	*obj = 0;
	for (size_t i = 0; i < n; i++)
		if (args[i].chardev) {
			snprintf(obj, len, "memory-backend-memfd,id=kvnet-mem,size=%luM,share=on",
				 mib);
			return;
		}
}

/* one line of words for $(kvnet qemu-args DOMAIN): each must survive word splitting as it is */
static int qemu_args_text(const json_t *ifaces, const struct qemu_args *args, const char *mem)
{
	size_t i, n = json_array_size(ifaces);

	for (i = 0; i < n; i++) {
		if ((args[i].chardev && !qemu_args_shell_safe(args[i].chardev)) ||
		    !qemu_args_shell_safe(args[i].netdev) ||
		    !qemu_args_shell_safe(args[i].device)) {
			kvnet_err("interface %s: its -netdev or -device option has white space, "
				  "a glob or a control character, which a shell would split or "
				  "expand in $(kvnet qemu-args); use kvnet --json qemu-args",
				  json_string_value(
					  json_object_get(json_array_get(ifaces, i), "name")));
			return KVNET_EXIT_ERROR;
		}
	}
	if (*mem)
		printf("-object %s -numa %s", mem, QEMU_MEM_NUMA);
	for (i = 0; i < n; i++) {
		if (args[i].chardev)
			printf("%s-chardev %s", i || *mem ? " " : "", args[i].chardev);
		printf("%s-netdev %s -device %s", i || *mem || args[i].chardev ? " " : "",
		       args[i].netdev, args[i].device);
	}
	putchar('\n');
	return KVNET_EXIT_OK;
}

static int qemu_args_cmd(struct kvnet *k, json_t *params)
{
	const char *domain = PORT_STR(params, "domain");
	json_int_t mib = json_integer_value(json_object_get(params, "mem"));
	struct qemu_args *args = NULL;
	const json_t *ifaces;
	json_t *result;
	char mem[160];
	size_t i, n;
	int ret;

	/* the memory size is the CLI's: kvnetd does not know the VM's */
	json_object_del(params, "mem");
	ret = kvnet_call(k, "domain.interfaces", json_incref(params), &result);
	if (ret)
		return ret;
	ret = KVNET_EXIT_ERROR;
	ifaces = json_object_get(result, "interfaces");
	if (!json_is_array(ifaces)) {
		kvnet_err("bad answer from kvnetd: \"interfaces\" is missing or not an array");
		goto put_result;
	}
	n = json_array_size(ifaces);
	if (!n) {
		kvnet_err("domain '%s' has no interfaces (expected one made by attach-interface or "
			  "port-create)",
			  domain);
		goto put_result;
	}
	args = calloc(n, sizeof(*args));
	if (!args) {
		kvnet_err("out of memory");
		goto put_result;
	}
	ret = qemu_args_all(ifaces, args);
	qemu_mem_args(args, n, mib ? (unsigned long)mib : QEMU_MEM_DEFAULT, mem, sizeof(mem));
	if (!ret)
		ret = k->json ? qemu_args_json(domain, ifaces, args, mem)
			      : qemu_args_text(ifaces, args, mem);
	for (i = 0; i < n; i++)
		qemu_args_free(&args[i]);
	free(args);
put_result:
	json_decref(result);
	return ret;
}

const struct kvnet_cmd qemu_cmds[] = {
	{
		.name = "port-create",
		.args = "NET|--bridge BR [--backend " QEMU_BACKEND_USAGE "] [--mac MAC] "
			"[--portgroup PG] [--vlan [trunk:]VID[,VID...]] [--name IF] "
			"[--domain DOM] [--connect PATH] [--netns NS]",
		.help = "Create a VM port for QEMU on running network NET (or on bridge BR),\n"
			"as attach-interface does from the <interface> these options make, and\n"
			"print its name, MAC and the QEMU arguments that connect a VM to it.\n"
			"  --backend tap     a tap kvnet makes, QEMU opens it by name (default)\n"
			"  --backend dev     the existing interface --name IF (a tap QEMU made)\n"
			"  --backend stream  a UNIX stream socket: kvnet listens, QEMU connects\n"
			"  --backend dgram   UNIX datagram sockets kvnet hands out\n"
			"  --backend vhost-user  kvnet is the vhost-user back-end on a socket\n"
			"                    QEMU's -chardev connects to (the guest's memory\n"
			"                    must be shared: see qemu-args)\n"
			"  --mac MAC         the VM's MAC (default: 52:54:00 and 3 random bytes)\n"
			"  --portgroup PG    the network's portgroup, for its VLAN\n"
			"  --vlan LIST       the port's own VLAN: VID for an access port, VID,VID\n"
			"                    or N-M for a trunk, trunk:VID for a trunk of one; a\n"
			"                    VID of a trunk may end in :native-untagged or\n"
			"                    :native-tagged (libvirt's nativeMode)\n"
			"  --name IF         the port's name (default kvportN, the lowest free N)\n"
			"  --domain DOM      the VM it is for (default: IF, else port-MAC), for\n"
			"                    qemu-args and detach-interface\n"
			"  --connect PATH    stream, vhost-user: kvnet connects to a QEMU (or\n"
			"                    DPDK virtio-user server=1) listening at PATH, and\n"
			"                    again within a second whenever it is not there\n"
			"  --netns NS        tap: move the tap into namespace NS (the VM is a\n"
			"                    namespace)\n",
		.spec = port_create_args,
		.check = port_create_check,
		.act = port_create,
	},
	{
		.name = "qemu-args",
		.args = "DOMAIN [--mem MIB]",
		.help = "Print the QEMU arguments of each of DOMAIN's interfaces on one line,\n"
			"-netdev ... -device virtio-net-pci,...,mac=..., for\n"
			"  qemu-system-x86_64 ... $(kvnet qemu-args DOMAIN)\n"
			"A vhost-user port gets -chardev socket,... before its -netdev, and the\n"
			"VM shared memory first: -object memory-backend-memfd,...,share=on of\n"
			"--mem MIB (default 1024; QEMU's -m must be the same) and -numa\n"
			"node,memdev=kvnet-mem.\n"
			"A stream port kvnet listens on gets reconnect=1 (QEMU 8.0 to 9.1) or\n"
			"reconnect-ms=1000 (9.2 on), as the QEMU on PATH, or $KVNET_QEMU, takes.\n"
			"A dev port's script= and downscript= are kvnet-ifup and kvnet-ifdown in\n"
			"  " KVNET_LIBEXEC_DIR " (or $KVNET_QEMU_SCRIPTS)\n"
			"With --json: each interface's netdev and device, and all the arguments\n"
			"as a list.\n",
		.spec = qemu_domain_args,
		.act = qemu_args_cmd,
	},
	{ 0 },
};
