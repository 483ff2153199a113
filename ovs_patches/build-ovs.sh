#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# build-ovs.sh [OUT_DIR] - builds the patched Open vSwitch that offloads sFlow sampling to dpsflow.
#
# Unpacks Debian's openvswitch-source 3.1.0 (/usr/src/openvswitch/openvswitch.tar.gz), copies
# the ring layout ovs_patches/dps_ovs_ring.h into it as lib/dps-ovs-ring.h (the one source both
# sides compile), applies ovs_patches/0*.patch in order, regenerates the autotools files the
# series touches, configures against Debian's shared DPDK 22.11 and installs ovs-vswitchd,
# ovsdb-server and the utilities into OUT_DIR/prefix (default: build/ovs next to this tree).
#
# A previous build is reused when the tarball, the patches, the ring header and this script are
# unchanged (their hashes are kept in OUT_DIR/stamp). Needs: autoconf automake libtool
# libdpdk-dev libnuma-dev libcap-ng-dev libunbound-dev (quickstart.sh deps installs them).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../build/ovs}
mkdir -p "$out"
out=$(cd "$out" && pwd)
tarball=${OVS_TARBALL:-/usr/src/openvswitch/openvswitch.tar.gz}
jobs=${JOBS:-$(nproc)}

log() { printf 'build-ovs: %s\n' "$*" >&2; }

[ -r "$tarball" ] || { log "missing $tarball (apt-get install openvswitch-source)"; exit 1; }
shopt -s nullglob
patches=("$here"/0*.patch)
shopt -u nullglob
[ ${#patches[@]} -gt 0 ] || { log "no patches in $here"; exit 1; }

stamp=$( { sha256sum "$tarball" "$here/dps_ovs_ring.h" "$0" "${patches[@]}" | awk '{print $1}'; } | sha256sum | awk '{print $1}')
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ] && [ -x "$out/prefix/sbin/ovs-vswitchd" ]; then
  log "up to date: $out/prefix (sources and patches unchanged)"
  exit 0
fi

rm -rf "$out/src" "$out/obj" "$out/prefix" "$out/stamp"
mkdir -p "$out/src" "$out/obj"
log "unpacking $tarball"
tar -xzf "$tarball" -C "$out/src" --strip-components=1
cp "$here/dps_ovs_ring.h" "$out/src/lib/dps-ovs-ring.h"
for p in "${patches[@]}"; do
  log "applying $(basename "$p")"
  patch -d "$out/src" -p1 --forward --quiet --no-backup-if-mismatch < "$p"
done

# The series adds files to lib/automake.mk: regenerate Makefile.in (autoreconf, as boot.sh does).
log "autoreconf"
(cd "$out/src" && autoreconf --install --force >"$out/autoreconf.log" 2>&1) \
  || { cat "$out/autoreconf.log" >&2; exit 1; }

log "configure (DPDK shared: $(pkg-config --modversion libdpdk))"
(cd "$out/obj" && ../src/configure --with-dpdk=shared --prefix="$out/prefix" \
   --localstatedir="$out/prefix/var" --sysconfdir="$out/prefix/etc" \
   --enable-silent-rules CFLAGS="-g -O2" >"$out/configure.log" 2>&1) \
  || { tail -40 "$out/configure.log" >&2; exit 1; }

log "make -j$jobs"
# 'all' first generates BUILT_SOURCES (odp-netlink.h, the IDL sources...) that the daemons need;
# it builds the daemons, utilities and libraries, not the test suite.
(cd "$out/obj" && make -j"$jobs" all >"$out/make.log" 2>&1) \
  || { grep -E 'error|Error' "$out/make.log" | head -40 >&2; exit 1; }

mkdir -p "$out/prefix/sbin" "$out/prefix/bin" "$out/prefix/share/openvswitch"
install -m 755 "$out/obj/vswitchd/ovs-vswitchd" "$out/obj/ovsdb/ovsdb-server" "$out/prefix/sbin/"
for b in ovsdb/ovsdb-tool ovsdb/ovsdb-client utilities/ovs-vsctl utilities/ovs-appctl \
         utilities/ovs-ofctl utilities/ovs-dpctl; do
  install -m 755 "$out/obj/$b" "$out/prefix/bin/"
done
install -m 644 "$out/src/vswitchd/vswitch.ovsschema" "$out/prefix/share/openvswitch/"
echo "$stamp" > "$out/stamp"
log "installed into $out/prefix"
