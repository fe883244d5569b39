#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 76_guest_vhost.sh - a real Linux guest on a vhost-user port: QEMU's virtio-net works on the
# guest's memory, which kvnet maps (the guest's frames never cross the kernel); the guest
# takes a DHCP lease and pings the gateway; its QEMU is killed and booted again on the port
#
#   kvnetd in ns sw: network n76 (NAT, DHCP on virbr76, 192.168.76.1/24)
#   gv [vhost-user: kvnet listens on RUN_DIR/ports/gveth0.vhost.sock, QEMU's -chardev
#       connects; 52:54:00:76:00:01, 192.168.76.11]
#
# Then kvnetd is stopped (SIGTERM) and started again under the running guest: the network
# (autostart) brings the port back on the same socket, QEMU's chardev reconnects, and the guest,
# which has watched the gateway all along, reaches it again.
#
# On its first boot the guest also fetches a 4 MiB file from the namespace (busybox wget) and
# sends it back (nc), both compared by MD5: with the offloads negotiated (the device's feature
# bits in the guest's sysfs), TCP segments of up to 64 KiB cross kvnet whole, so the guest
# counts fewer frames each way than the file takes in MTU-sized ones.
#
# QEMU's arguments are all kvnet qemu-args prints: the shared memory backend (--mem 256, the
# guest's -m), -chardev, -netdev vhost-user and -device; and -global virtio-net-pci.vectors=0,
# which QEMU 7.2 needs under TCG.

ALL_TESTS="guest_up offload_transfer guest_killed guest_back kvnetd_restart guest_end"

source "$(dirname "$0")/lib.sh"

MACV=52:54:00:76:00:01
GW=192.168.76.1
IPV=192.168.76.11
XFER_PORT=8076
XFER_SIZE=$((4 << 20))

setup() {
	local xml
	kv_require
	kv_require_services
	kv_require_guest
	SW=$(kv_ns sw)
	kv_ns_add "$SW"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	xml=$(kv_net_xml n76 virbr76 76 "<forward mode='nat'/>" "" \
		"<host mac='$MACV' name='gv' ip='$IPV'/>")
	kv_net_up "$xml" n76
	kv net-autostart n76 >/dev/null || kv_setup_fail "net-autostart n76"
	kv_poll_eq "n76's dnsmasq" running kv_dnsmasq n76 state ||
		kv_setup_fail "n76's dnsmasq is not running"
	kv_guest_attach gv n76 $MACV vhost-user
	# the far end of the first boot's transfer, on the gateway's address in the namespace
	head -c $XFER_SIZE /dev/urandom >"$KV_TMP/blob"
	XFER_MD5=$(md5sum "$KV_TMP/blob" | cut -d' ' -f1)
	ip netns exec "$SW" "$KV_PY" "$KV_LIB_DIR/xfer_peer.py" $GW $XFER_PORT "$KV_TMP/blob" \
		"$KV_TMP/put.md5" --timeout 900 >"$KV_TMP/xfer.log" 2>&1 &
	KV_PIDS+=("$!")
}

# the guest's part of the transfer: the file from the gateway and back, the frames each way
# (its device's statistics) and the feature bits its virtio-net driver negotiated
XFER_CMD="f=/sys/class/net/eth0
a=\$(cat \$f/statistics/rx_packets)
wget -q -O /tmp/blob http://$GW:$XFER_PORT/blob && result get \$(md5sum /tmp/blob | cut -d' ' -f1) || result get fail
result getframes \$((\$(cat \$f/statistics/rx_packets) - a))
a=\$(cat \$f/statistics/tx_packets)
timeout 300 nc $GW $((XFER_PORT + 1)) </tmp/blob
result putframes \$((\$(cat \$f/statistics/tx_packets) - a))
result features \$(cat \$f/device/features)
rm -f /tmp/blob"

# guest_boot [CMD] - boot gv on its vhost-user port with all of qemu-args; it takes its lease,
# pings the gateway, runs CMD, reports "ready" and idles
guest_boot() {
	local args
	args=$(kv qemu-args gv --mem 256) || kv_setup_fail "qemu-args gv: $args"
	# QEMU 7.2 under TCG segfaults (a NULL pointer) setting up a vhost-user NIC's MSI-X
	# vectors; without MSI-X (INTx) it runs: see README, vhost-user
	args+=" -global virtio-net-pci.vectors=0"
	kv_guest_qemu gv "$SW" "$args" kvtest.ip=dhcp "kvtest.cmd=$(kv_b64 "kvping $GW
${1:-}
kvwatch $GW &
result ready yes
sleep 600")"
}

guest_check() {
	if kv_guest_wait gv "KVTEST-RESULT: ready"; then
		echo "INFO: gv (vhost-user): QEMU start to results (lease, 1 ping): $KV_GUEST_SECS s"
	else
		kv_fail "gv did not report ready within $KV_GUEST_WAIT s: $(kv_guest_tail gv)"
	fi
	kv_check_eq "no error in gv" "" "$(kv_guest_result gv error)"
	kv_check_eq "gv's MAC (QEMU's -device mac=)" $MACV "$(kv_guest_result gv mac)"
	kv_check_eq "gv's lease" "$IPV/24" "$(kv_guest_result gv ip)"
	kv_check_eq "gv's ping of the gateway" "$GW ok" "$(kv_guest_result gv ping)"
	kv_check_eq "gv's port's back-end" vhost-user "$(kv_iface_field gv backend)"
	kv_check_eq "gv's port's link" up "$(kv_iface_field gv link)"
	kv_check_eq "fdb: gv's MAC on its port" gveth0 "$(kv_fdb_port virbr76 $MACV 1)"
}

guest_up() {
	kv_check_eq "gv's port before QEMU: link down" down "$(kv_iface_field gv link)"
	kv_check_ok "gv's socket listens before QEMU" test -S "$(kv_iface_field gv socket)"
	kv_check_ok "qemu-args has the shared memory, the chardev and the vhost-user netdev" \
		grep -q -- "-object memory-backend-memfd,id=kvnet-mem,size=256M,share=on -numa node,memdev=kvnet-mem -chardev socket,id=chr-gveth0,path=$(kv_iface_field gv socket),reconnect=1 -netdev vhost-user,id=net-gveth0,chardev=chr-gveth0 -device virtio-net-pci,netdev=net-gveth0,mac=$MACV" \
		<<<"$(kv qemu-args gv --mem 256)"
	guest_boot "$XFER_CMD"
	guest_check
	kv_check_eq "frames from gv received without a drop" 0 \
		"$(kv_stat virbr76 gveth0 rx_errors)"
	log_test "gv on a vhost-user port takes its lease and pings the gateway"
}

# feature_bits FEATURES BIT... - "BIT=0|1 ..." of a virtio device's sysfs feature string
feature_bits() {
	local f=$1 b
	shift
	for b in "$@"; do printf '%s=%s ' "$b" "${f:$b:1}"; done
}

offload_transfer() {
	local mtu_frames=$((XFER_SIZE / 1448))
	echo "INFO: gv's frames for 4 MiB: in $(kv_guest_result gv getframes)," \
		"out $(kv_guest_result gv putframes) (in MTU-sized frames: $mtu_frames)"
	kv_check_eq "gv fetched the 4 MiB file intact" "$XFER_MD5" "$(kv_guest_result gv get)"
	kv_check_eq "gv sent it back intact" "$XFER_MD5 $XFER_SIZE" "$(cat "$KV_TMP/put.md5" 2>&1)"
	kv_check_eq "gv's virtio-net negotiated CSUM, GUEST_CSUM, GUEST_TSO4/6, HOST_TSO4/6" \
		"0=1 1=1 7=1 8=1 11=1 12=1 " \
		"$(feature_bits "$(kv_guest_result gv features)" 0 1 7 8 11 12)"
	kv_check_ok "the file came to gv in fewer frames than MTU-sized ones" \
		test "$(kv_guest_result gv getframes)" -lt $mtu_frames
	kv_check_ok "gv sent it in fewer frames than MTU-sized ones" \
		test "$(kv_guest_result gv putframes)" -lt $mtu_frames
	kv_check_eq "no frame from gv dropped as a bad offload" 0 \
		"$(kv_stat virbr76 gveth0 rx_errors)"
	log_test "4 MiB to the guest and back over vhost-user with TSO: intact, in 64 KiB segments"
}

guest_killed() {
	kv_guest_kill gv
	kv_poll_eq "gv's port's link once QEMU is killed" down kv_iface_field gv link
	kv_poll_eq "fdb: gv's MAC once QEMU is killed" none kv_fdb_port virbr76 $MACV 1
	kv_check_ok "gv's socket listens again" test -S "$(kv_iface_field gv socket)"
	log_test "QEMU killed: gv's port goes down and its FDB entry goes"
}

guest_back() {
	guest_boot
	guest_check
	log_test "gv booted again on the same vhost-user port takes its lease and pings"
}

# the guest's last report of the gateway: up, down or none
gw_watch() {
	kv_guest_watch gv $GW
}

kvnetd_restart() {
	local pid=${KV_GUEST_PID[gv]}
	kv_poll_eq "gv watches the gateway: up" up gw_watch
	kvnetd_stop || kv_fail "kvnetd did not exit within $KV_WAIT s of SIGTERM"
	kv_poll_eq "gv loses the gateway with kvnetd gone" down gw_watch
	kvnetd_start "$SW" || kv_fail "kvnetd did not start again"
	kv_poll_eq "gv's port back, its link up (QEMU reconnected)" up kv_iface_field gv link
	kv_poll_eq "gv reaches the gateway again" up gw_watch
	kv_check_eq "gv's QEMU is the same process" "$pid" "${KV_GUEST_PID[gv]}"
	kv_check_eq "gv's QEMU still runs" alive "$(kv_pid_gone "$pid")"
	log_test "kvnetd restarted under the guest: QEMU reconnects, the guest reaches the gateway"
}

guest_end() {
	kv_guests_end gv
	log_test "the guest ends"
}

setup
tests_run
kv_exit
