# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash disable=SC2034
# lib_libvirt.sh - Debian's stock libvirtd, run for one test in its own network and mount
# namespace, touching nothing of the machine's libvirt
#
# Theory of Operation
#
# Source it after lib.sh. lv_setup makes the test's namespace (kv_ns_add, so lib.sh deletes
# it) and a holder process that owns a private mount namespace inside it, where
#   LV_DIR/etc  is mounted over /etc/libvirt (libvirtd.conf, qemu.conf: no AppArmor, no
#               cgroups, no virtlogd; hooks would go in etc/hooks),
#   LV_DIR/run  over /run,
#   an overlay over /var, its upper dir LV_DIR/var.up (/var/lib/libvirt, /var/log/libvirt),
#   LV_DIR/dnsmasq-status over /var/lib/libvirt/dnsmasq, where libvirtd reads a network's
#               DHCP leases (DIR/BRIDGE.status): kvnetd --libvirt-leases LV_DIR/dnsmasq-status
#               writes them from the machine's mount namespace,
#   copies of /etc/passwd and /etc/group that add libvirt-qemu (Debian builds libvirt's QEMU
#               driver with that user, which only libvirt-daemon-system would create).
# libvirtd runs in the holder's namespaces (lv_start, lv_stop, lv_restart) with LV_DIR/bin
# first on its PATH and its sockets in LV_DIR/sock, so virsh and kvnetd reach it from the
# machine's mount namespace: LV_URI (qemu+unix://) for virsh, LV_NET_URI (network+unix://)
# for kvnetd. kvnetd runs in LV_NS (kvnetd_start "$LV_NS") and so sees the netdevs libvirtd
# sees. How and why is in the research notes of issue 13 (FINDINGS.md, section 1).
#
# For guests that libvirtd starts on kvnet's networks: lv_kvnet_ovs makes kvnet-ovs-vsctl the
# ovs-vsctl libvirtd runs (on kvnetd's socket, through LV_ENV); lv_domain_xml writes a domain
# booting the test guest, lv_guest_start defines and starts it so that lib.sh's kv_guest_*
# helpers read its console and watch its QEMU; lv_ovs_calls, lv_ovs_results and
# lv_ovs_failures read from libvirtd's debug log which ovs-vsctl it ran and how each ended.
#
# Clean-up runs through lib.sh's trap (kv_on_exit), after kvnetd is ended and before the
# namespace and temp dir go: every domain destroyed, libvirtd stopped, every process left in
# the holder's mount namespace ended (all were started by this libvirtd: QEMU), the holder
# ended, which drops its mounts. Nothing of the machine's /etc/libvirt, /run or /var changes.

LV_DIR=""
LV_NS=""
LV_HOLDER=""
LV_LIBVIRTD=""
LV_URI=""
LV_NET_URI=""
LV_LIBVIRTD_BIN=${LV_LIBVIRTD_BIN:-/usr/sbin/libvirtd}
# more NAME=VALUE for libvirtd's environment (libvirtd passes its whole environment to the
# ovs-vsctl it runs: lv_kvnet_ovs puts KVNET_SOCKET here)
LV_ENV=()

# lv_require - exit 77 unless libvirtd (with its network driver: the same package), virsh,
# nsenter and unshare are here
lv_require() {
	local pkgs="libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients"
	[ -x "$LV_LIBVIRTD_BIN" ] ||
		kv_skip "libvirtd is not installed ($LV_LIBVIRTD_BIN; Debian: $pkgs, see scripts/install-deps.sh)"
	command -v virsh >/dev/null || kv_skip "virsh is not installed (Debian: libvirt-clients)"
	command -v nsenter >/dev/null || kv_skip "nsenter (util-linux) is not installed"
	command -v unshare >/dev/null || kv_skip "unshare (util-linux) is not installed"
}

# lv_ours - the PIDs of the processes in the holder's mount namespace, the holder aside: all
# were started by this test's libvirtd
lv_ours() {
	local mns p
	[ -n "$LV_HOLDER" ] || return 0
	mns=$(readlink "/proc/$LV_HOLDER/ns/mnt" 2>/dev/null) || return 0
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$p" = "$LV_HOLDER" ] && continue
		[ "$(readlink "/proc/$p/ns/mnt" 2>/dev/null)" = "$mns" ] && echo "$p"
	done
}

# lv_down - end everything lv_setup and lv_start made (run by lib.sh's clean-up)
lv_down() {
	local dom p i
	[ -n "$LV_HOLDER" ] || return 0
	# kvnetd is ended by now: kvnet-ovs-vsctl would wait its --timeout=5 for it at each
	# domain's del-port; without an ovs-vsctl libvirt fails the del-port at once
	[ -L "$LV_DIR/bin/ovs-vsctl" ] && rm -f "$LV_DIR/bin/ovs-vsctl"
	if [ -n "$LV_LIBVIRTD" ] && kill -0 "$LV_LIBVIRTD" 2>/dev/null; then
		for dom in $(timeout 10 virsh -q -c "$LV_URI" list --name 2>/dev/null); do
			timeout 20 virsh -q -c "$LV_URI" destroy "$dom" >/dev/null 2>&1
		done
	fi
	lv_stop
	for p in $(lv_ours); do kill -TERM "$p" 2>/dev/null; done
	for ((i = 0; i < 50; i++)); do
		[ -z "$(lv_ours)" ] && break
		sleep 0.1
	done
	for p in $(lv_ours); do kill -KILL "$p" 2>/dev/null; done
	kill -TERM "$LV_HOLDER" 2>/dev/null
	wait "$LV_HOLDER" 2>/dev/null
	LV_HOLDER=""
}

# lv_setup - make LV_NS, LV_DIR, the configuration and the holder of the mount namespace
lv_setup() {
	local i
	kv_tmp
	LV_DIR=$KV_TMP/lv
	LV_NS=$(kv_ns lv)
	LV_URI="qemu+unix:///system?socket=$LV_DIR/sock/libvirt-sock"
	LV_NET_URI="network+unix:///system?socket=$LV_DIR/sock/libvirt-sock"
	mkdir -p "$LV_DIR"/{etc/hooks,etc/qemu/networks,run,var.up,var.work,bin,sock,log,dnsmasq-status} ||
		kv_setup_fail "mkdir $LV_DIR"
	cat >"$LV_DIR/etc/libvirtd.conf" <<-EOF
		unix_sock_dir = "$LV_DIR/sock"
		unix_sock_group = "root"
		unix_sock_rw_perms = "0700"
		auth_unix_rw = "none"
		auth_unix_ro = "none"
		log_filters = "1:util.command 1:network 1:qemu.qemu_interface 3:*"
		log_outputs = "1:file:$LV_DIR/log/libvirtd.log"
	EOF
	cat >"$LV_DIR/etc/qemu.conf" <<-EOF
		user = "root"
		group = "root"
		dynamic_ownership = 0
		remember_owner = 0
		security_driver = "none"
		cgroup_controllers = [ ]
		namespaces = [ ]
		stdio_handler = "file"
	EOF
	if ! cp /etc/passwd "$LV_DIR/passwd" || ! cp /etc/group "$LV_DIR/group"; then
		kv_setup_fail "copy /etc/passwd and /etc/group"
	fi
	getent passwd libvirt-qemu >/dev/null ||
		echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu,,,:/var/lib/libvirt:/usr/sbin/nologin' \
			>>"$LV_DIR/passwd"
	getent group libvirt-qemu >/dev/null || echo 'libvirt-qemu:x:64055:' >>"$LV_DIR/group"
	getent group kvm >/dev/null || echo 'kvm:x:64056:' >>"$LV_DIR/group"
	cat >"$LV_DIR/inner.sh" <<-EOF
		set -e
		mount --bind "$LV_DIR/etc" /etc/libvirt
		mount --bind "$LV_DIR/run" /run
		mkdir -p /run/libvirt /run/lock
		mount -t overlay overlay -o lowerdir=/var,upperdir="$LV_DIR/var.up",workdir="$LV_DIR/var.work" /var
		mkdir -p /var/log/libvirt/qemu /var/lib/libvirt/qemu /var/lib/libvirt/dnsmasq /var/cache/libvirt
		mount --bind "$LV_DIR/dnsmasq-status" /var/lib/libvirt/dnsmasq
		mount --bind "$LV_DIR/passwd" /etc/passwd
		mount --bind "$LV_DIR/group" /etc/group
		echo ready >"$LV_DIR/holder.ready"
		exec sleep infinity
	EOF
	kv_ns_add "$LV_NS"
	kv_on_exit lv_down
	ip netns exec "$LV_NS" unshare -m --propagation private bash "$LV_DIR/inner.sh" \
		</dev/null >"$LV_DIR/log/holder.log" 2>&1 &
	LV_HOLDER=$!
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		[ -f "$LV_DIR/holder.ready" ] && return 0
		kill -0 "$LV_HOLDER" 2>/dev/null || break
		sleep 0.1
	done
	cat "$LV_DIR/log/holder.log" >&2
	# no overlay or bind mount in a private mount namespace: not a missing package
	kv_setup_fail "the holder of libvirtd's mount namespace did not come up"
}

# lv_exec CMD... - run CMD in libvirtd's network and mount namespaces
lv_exec() {
	nsenter -t "$LV_HOLDER" -m -n -- "$@"
}

# lv_virsh ARGS... - virsh on this test's libvirtd (ended after KV_CMD_TIMEOUT s)
lv_virsh() {
	timeout -k 5 "$KV_CMD_TIMEOUT" virsh -q -c "$LV_URI" "$@"
}

# lv_start - start libvirtd in the holder's namespaces; wait until it answers
lv_start() {
	local i
	nsenter -t "$LV_HOLDER" -m -n -- env -i \
		PATH="$LV_DIR/bin:/usr/sbin:/usr/bin:/sbin:/bin" HOME=/root LANG=C.UTF-8 "${LV_ENV[@]}" \
		"$LV_LIBVIRTD_BIN" --config /etc/libvirt/libvirtd.conf --pid-file /run/libvirtd.pid \
		</dev/null >>"$LV_DIR/log/libvirtd.stdout" 2>&1 &
	LV_LIBVIRTD=$!
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		[ -S "$LV_DIR/sock/libvirt-sock" ] &&
			virsh -q -c "$LV_URI" uri >/dev/null 2>&1 && return 0
		kill -0 "$LV_LIBVIRTD" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 20 "$LV_DIR/log/libvirtd.stdout" >&2
	grep -E ': error : ' "$LV_DIR/log/libvirtd.log" 2>/dev/null | tail -n 5 >&2
	echo "libvirtd did not come up" >&2
	return 1
}

# lv_stop - SIGTERM libvirtd and wait for it (KILL after KV_WAIT s)
lv_stop() {
	local i
	[ -n "$LV_LIBVIRTD" ] || return 0
	kill -TERM "$LV_LIBVIRTD" 2>/dev/null
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		kill -0 "$LV_LIBVIRTD" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$LV_LIBVIRTD" 2>/dev/null && kill -KILL "$LV_LIBVIRTD"
	wait "$LV_LIBVIRTD" 2>/dev/null
	LV_LIBVIRTD=""
	rm -f "$LV_DIR/sock/libvirt-sock" "$LV_DIR/sock/libvirt-sock-ro" \
		"$LV_DIR/sock/libvirt-admin-sock"
}

# lv_restart - stop libvirtd and start it again (its networks and domains stay)
lv_restart() {
	lv_stop
	lv_start
}

# lv_net_state NAME - libvirt's view of network NAME: "active yes", "inactive no" (state and
# persistent, as net-list --all prints them), or "none"
lv_net_state() {
	lv_virsh net-list --all 2>/dev/null | awk -v n="$1" '$1 == n { print $2, $4; f = 1 }
		END { if (!f) print "none" }'
}

# lv_wait_net NAME STATE - wait (KV_WAIT s) until lv_net_state NAME is STATE. Return: 1 if not
lv_wait_net() {
	local i
	for ((i = 0; i < KV_WAIT * 5; i++)); do
		[ "$(lv_net_state "$1")" = "$2" ] && return 0
		sleep 0.2
	done
	return 1
}

lv_print_log() {
	[ -n "$LV_DIR" ] && [ -s "$LV_DIR/log/libvirtd.log" ] || return 0
	echo "---- libvirtd log, last errors ----"
	grep -E ': error : ' "$LV_DIR/log/libvirtd.log" | tail -n 10
	echo "----"
}

# ---------------------------------------------------------------- kvnet's ovs-vsctl, guests

# lv_kvnet_ovs SOCKET - libvirtd's ovs-vsctl is kvnet's: LV_DIR/bin/ovs-vsctl (first on its
# PATH) links to kvnet-ovs-vsctl, as `make install` links it, and libvirtd's environment, which
# it passes on, has KVNET_SOCKET=SOCKET. A sanitizer report of kvnet-ovs-vsctl's goes to
# LV_DIR/log/ovs-san.* (libvirt would keep it only in its debug log): lv_ovs_san prints it.
# Call it before lv_start.
lv_kvnet_ovs() {
	local ovs=$KVNET_BUILD/kvnet-ovs-vsctl
	[ -x "$ovs" ] || kv_setup_fail "kvnet-ovs-vsctl not built: $ovs is missing (set KVNET_BUILD)"
	ln -sfn "$ovs" "$LV_DIR/bin/ovs-vsctl" || kv_setup_fail "link $LV_DIR/bin/ovs-vsctl"
	LV_ENV+=("KVNET_SOCKET=$1" "ASAN_OPTIONS=log_path=$LV_DIR/log/ovs-san"
		"UBSAN_OPTIONS=print_stacktrace=1:log_path=$LV_DIR/log/ovs-san")
}

# lv_kvnet_hook - install kvnet's qemu hook and its scripts as `make install` does, for this
# libvirtd: LV_DIR/etc/hooks/qemu.d/50-kvnet (libvirtd's /etc/libvirt/hooks), and kvnet,
# kvnet-ifup, kvnet-ifdown in LV_DIR/bin, first on its PATH. Hooks and <script>s get no
# KVNET_SOCKET (libvirtd passes them LC_ALL, PATH and HOME only): the default socket,
# /run/kvnet/kvnetd.sock, is in LV_DIR/run, a link to SOCKET's dir. Call it before lv_start.
lv_kvnet_hook() {
	local f
	mkdir -p "$LV_DIR/etc/hooks/qemu.d" || kv_setup_fail "mkdir $LV_DIR/etc/hooks/qemu.d"
	cp "$KV_TOP/scripts/libvirt/kvnet-qemu-hook" "$LV_DIR/etc/hooks/qemu.d/50-kvnet" ||
		kv_setup_fail "install the qemu hook"
	for f in "$KVNET" "$KV_TOP/scripts/qemu/kvnet-ifup" "$KV_TOP/scripts/qemu/kvnet-ifdown"; do
		ln -sfn "$f" "$LV_DIR/bin/${f##*/}" || kv_setup_fail "link $LV_DIR/bin/${f##*/}"
	done
	ln -sfn "$(dirname "$1")" "$LV_DIR/run/kvnet" || kv_setup_fail "link $LV_DIR/run/kvnet"
}

# lv_ovs_san - print any sanitizer report of kvnet-ovs-vsctl's run by libvirtd; 0 if there is one
lv_ovs_san() {
	local f found=1
	for f in "$LV_DIR"/log/ovs-san.*; do
		[ -e "$f" ] || continue
		head -n 20 "$f"
		found=0
	done
	return "$found"
}

# lv_log_lines - how many lines libvirtd's debug log has (for lv_ovs_results FROM)
lv_log_lines() {
	wc -l <"$LV_DIR/log/libvirtd.log" 2>/dev/null || echo 0
}

# lv_ovs_calls [FROM] - each ovs-vsctl libvirtd ran after line FROM of its debug log, in order,
# one a line: its exit status ("running" while libvirt waits for it), a tab, its arguments.
# libvirt logs "About to run ovs-vsctl ...", then from the same thread "Result status S, ..."
# (or, when S is not 0, "Child process (ovs-vsctl ...) unexpected exit status S: ...").
lv_ovs_calls() {
	tail -n +$((${1:-0} + 1)) "$LV_DIR/log/libvirtd.log" 2>/dev/null | awk '
		/ : About to run ovs-vsctl / {
			c = $0; sub(/.* : About to run ovs-vsctl /, "", c)
			n++; cmd[n] = c; st[n] = "running"; pending[$3] = n
			next
		}
		(/ : Result status / || / : internal error: Child process \(ovs-vsctl /) && ($3 in pending) {
			s = $0
			if (!sub(/.* : Result status /, "", s) && !sub(/.* unexpected exit status /, "", s))
				sub(/.* : internal error: Child process \(ovs-vsctl [^)]*\) /, "", s)
			sub(/[,:].*/, "", s)
			st[pending[$3]] = s; delete pending[$3]
		}
		END { for (i = 1; i <= n; i++) print st[i] "\t" cmd[i] }'
}

# lv_ovs_results [FROM] - the add-ports and del-ports of lv_ovs_calls FROM, as "add-port TAP
# STATUS" and "del-port TAP STATUS" (TAP "-" when libvirt named none), one a line
lv_ovs_results() {
	lv_ovs_calls "$@" | awk -F '\t' '{
		k = split($2, w, " ")
		for (i = 1; i <= k; i++)
			if (w[i] == "add-port" || w[i] == "del-port") break
		if (i > k) next
		tap = w[i] == "add-port" ? w[i + 2] : w[i + 1]
		if (tap == "" || tap == "--") tap = "-"
		print w[i], tap, $1 }'
}

# lv_ovs_failures [FROM] - the calls of lv_ovs_calls FROM (any command: add-port, del-port,
# find, set...) that did not exit 0, or have not ended, as "ARGS => STATUS", one a line
lv_ovs_failures() {
	lv_ovs_calls "$@" | awk -F '\t' '$1 != "0" { print $2 " => " $1 }'
}

# lv_domain_xml NAME CMDLINE IFACE_XML... - write $KV_TMP/xml/dom-NAME.xml, a <domain
# type='qemu'> (TCG) booting the test guest (kv_require_guest) with these <interface>s, and
# print its path. CMDLINE goes on the kernel command line after kvtest.name=NAME (kvtest.ip=,
# kvtest.cmd=: scripts/guest/init); the serial console is the file $KV_TMP/guest-NAME.log, as
# lib.sh's kv_guest_* read it. ACPI is on: without it, the guest drops its NICs at the first
# hot-plug (FINDINGS.md, section 1). LV_GUEST_KERNEL overrides the kernel's path;
# LV_DOMAIN_METADATA, if set, is the domain's <metadata> content; LV_DOMAIN_EXTRA, more of the
# domain's elements (<memoryBacking>, <qemu:commandline> with its xmlns).
lv_domain_xml() {
	local name=$1 cmd=$2 i f
	shift 2
	kv_tmp
	mkdir -p "$KV_TMP/xml"
	f=$KV_TMP/xml/dom-$name.xml
	{
		cat <<-XML
			<domain type='qemu'>
			  <name>$name</name>
			  <memory unit='MiB'>256</memory>
			  <vcpu>1</vcpu>
			  ${LV_DOMAIN_METADATA:+<metadata>$LV_DOMAIN_METADATA</metadata>}
			  <os>
			    <type arch='x86_64' machine='q35'>hvm</type>
			    <kernel>${LV_GUEST_KERNEL:-$KV_GUEST_DIR/vmlinuz}</kernel>
			    <initrd>$KV_GUEST_DIR/initramfs.gz</initrd>
			    <cmdline>console=ttyS0 quiet panic=-1 kvtest.name=$name $cmd</cmdline>
			  </os>
			  <features><acpi/><apic/></features>
			  <on_poweroff>destroy</on_poweroff>
			  <on_reboot>destroy</on_reboot>
			  <on_crash>destroy</on_crash>
			  <devices>
			    <emulator>$(command -v qemu-system-x86_64)</emulator>
		XML
		for i in "$@"; do
			printf '    %s\n' "$i"
		done
		cat <<-XML
			    <serial type='file'><source path='$KV_TMP/guest-$name.log'/><target port='0'/></serial>
			    <memballoon model='none'/>
			  </devices>
			  ${LV_DOMAIN_EXTRA:-}
			</domain>
		XML
	} >"$f"
	echo "$f"
}

# lv_guest_start NAME - define $KV_TMP/xml/dom-NAME.xml (lv_domain_xml) in libvirtd and start it
# (virsh start), as kv_guest_qemu starts a guest for kv_guest_wait and kv_guest_result: an
# earlier console log of NAME is kept as guest-NAME.log.N, KV_GUEST_T0[NAME] is the time of
# the start, KV_GUEST_PID[NAME] QEMU's PID (libvirt's /run/libvirt/qemu/NAME.pid),
# KV_GUEST_NS[NAME] LV_NS. Return: 1, with virsh's error in LV_ERR, if libvirt refuses.
lv_guest_start() {
	local name=$1 log=$KV_TMP/guest-$1.log n=1 pid i
	LV_ERR=""
	if ! LV_ERR=$(lv_virsh define "$KV_TMP/xml/dom-$name.xml" 2>&1 >/dev/null); then
		LV_ERR="virsh define $name: $LV_ERR"
		return 1
	fi
	if [ -e "$log" ]; then
		while [ -e "$log.$n" ]; do n=$((n + 1)); done
		mv "$log" "$log.$n"
	fi
	KV_GUEST_T0[$name]=$(date +%s%N)
	if ! LV_ERR=$(lv_virsh start "$name" 2>&1 >/dev/null); then
		LV_ERR="virsh start $name: $LV_ERR"
		return 1
	fi
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		pid=$(lv_exec cat "/run/libvirt/qemu/$name.pid" 2>/dev/null)
		[ -n "$pid" ] && break
		sleep 0.1
	done
	if [ -z "$pid" ]; then
		LV_ERR="$name runs, but libvirt wrote no /run/libvirt/qemu/$name.pid"
		return 1
	fi
	KV_GUEST_PID[$name]=$pid
	KV_GUEST_NS[$name]=$LV_NS
}

# lv_guest_destroy NAME - virsh destroy NAME (libvirt ends its QEMU); wait until QEMU is gone
lv_guest_destroy() {
	local pid=${KV_GUEST_PID[$1]} i
	lv_virsh destroy "$1" >/dev/null || return 1
	unset "KV_GUEST_PID[$1]"
	[ -n "$pid" ] || return 0
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		[ "$(kv_pid_gone "$pid")" = gone ] && return 0
		sleep 0.1
	done
	return 1
}
