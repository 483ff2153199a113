#!/usr/bin/env bash
# dpsflow quickstart: one entry point for a fresh Debian 12 machine (run as root).
#
#   ./quickstart.sh deps        install every Debian package the project needs
#   ./quickstart.sh build       release build in build/, ASan+UBSan build in build-asan/,
#                               clang fuzz build in build-fuzz/, patched OVS in build/ovs/
#   ./quickstart.sh hugepages   reserve 2 MiB hugepages, mount hugetlbfs at /dev/hugepages
#   ./quickstart.sh test        deps + build + hugepages + every test suite
#   ./quickstart.sh demo        deps + build + hugepages + run dpsflow on bundled traffic
#
# Every subcommand is idempotent. Environment: CI=true turns warnings into errors;
# FUZZ_SECONDS (default 60) bounds each fuzz smoke run; HUGEPAGES (default 1024) is the number
# of 2 MiB pages to reserve (the OVS tests run ovs-vswitchd with up to 512 MiB of them).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
top=$PWD

log() { printf '\n==> %s\n' "$*"; }
die() { printf 'quickstart: %s\n' "$*" >&2; exit 1; }

# Build, test, benchmark and OVS-build dependencies, all from Debian 12's archive.
PACKAGES=(
  build-essential meson ninja-build pkg-config clang libclang-rt-14-dev llvm
  libdpdk-dev dpdk dpdk-dev libnuma-dev libpcap-dev libcmocka-dev
  tshark python3 python3-scapy iproute2 procps util-linux
  valgrind gnuplot-nox
  openvswitch-source openvswitch-switch-dpdk
  autoconf automake libtool libssl-dev libcap-ng-dev libunbound-dev python3-sortedcontainers
)

cmd_deps() {
  [ "$(id -u)" = 0 ] || die "deps needs root (apt-get)"
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "deps: all ${#PACKAGES[@]} packages present"
    return
  fi
  log "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; answer no without a prompt.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
}

# meson setup that is safe to repeat: reconfigure an existing directory with the same options.
setup_dir() {
  local dir=$1; shift
  if [ -f "$dir/meson-private/coredata.dat" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@"
  fi
}

cmd_build() {
  local werror=false
  [ "${CI:-}" = true ] && werror=true
  # first: dpsflow's OVSDB client links the libopenvswitch.a this build leaves in build/ovs
  log "build: patched Open vSwitch (build/ovs/, reused when unchanged)"
  JOBS=$(nproc) bash ovs_patches/build-ovs.sh build/ovs
  log "build: release (build/)"
  setup_dir build -Dbuildtype=release -Dwerror=$werror
  meson compile -C build
  log "build: ASan+UBSan (build-asan/)"
  setup_dir build-asan -Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=$werror
  meson compile -C build-asan
  log "build: clang fuzz harnesses (build-fuzz/)"
  CC=clang setup_dir build-fuzz -Dbuildtype=debugoptimized -Db_sanitize=address,undefined \
      -Db_lundef=false -Dwerror=$werror
  meson compile -C build-fuzz
}

cmd_hugepages() {
  local want=${HUGEPAGES:-1024} have
  have=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)
  if [ "$have" -lt "$want" ]; then
    sysctl -q -w vm.nr_hugepages="$want" 2>/dev/null || true
    have=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)
  fi
  if ! mountpoint -q /dev/hugepages 2>/dev/null; then
    mkdir -p /dev/hugepages
    mount -t hugetlbfs -o pagesize=2M nodev /dev/hugepages 2>/dev/null || true
  fi
  if [ "$have" -gt 0 ] && mountpoint -q /dev/hugepages; then
    log "hugepages: $have x 2 MiB reserved, hugetlbfs at /dev/hugepages"
  else
    log "hugepages: the kernel refused (have $have pages); DPDK tests will use --no-huge"
  fi
}

# Runs one meson test suite verbosely (so every cmocka summary line reaches the log) and adds
# its counts to the totals printed at the end.
TOTAL_OK=0 TOTAL_FAIL=0 TOTAL_SKIP=0
run_suite() {
  local dir=$1 suite=$2; shift 2
  log "test: suite '$suite' in $dir"
  local out rc=0
  out=$(mktemp)
  meson test -C "$dir" --suite "$suite" --print-errorlogs -v --no-rebuild "$@" 2>&1 | tee "$out" || rc=$?
  local ok fail skip
  ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$out" | tail -1)
  fail=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$out" | tail -1)
  skip=$(sed -n 's/^Skipped: *\([0-9]*\).*/\1/p' "$out" | tail -1)
  local timeout_n
  timeout_n=$(sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' "$out" | tail -1)
  rm -f "$out"
  TOTAL_OK=$((TOTAL_OK + ${ok:-0}))
  TOTAL_FAIL=$((TOTAL_FAIL + ${fail:-0} + ${timeout_n:-0}))
  TOTAL_SKIP=$((TOTAL_SKIP + ${skip:-0}))
  if [ "$rc" -ne 0 ]; then
    TOTAL_FAIL=$((TOTAL_FAIL > 0 ? TOTAL_FAIL : 1))
    return 1
  fi
}

has_suite() { meson test -C "$1" --list --suite "$2" >/dev/null 2>&1 && [ -n "$(meson test -C "$1" --list --suite "$2" 2>/dev/null)" ]; }

cmd_test() {
  cmd_deps
  cmd_build
  cmd_hugepages
  # a UBSan finding fails the test that met it (by default UBSan only prints and goes on)
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
  local failed=0
  run_suite build unit || failed=1
  run_suite build-asan unit || failed=1
  if has_suite build integration; then run_suite build integration || failed=1; fi
  if has_suite build ovs; then run_suite build ovs || failed=1; fi
  if has_suite build-fuzz fuzz; then run_suite build-fuzz fuzz || failed=1; fi
  if has_suite build bench-smoke; then run_suite build bench-smoke || failed=1; fi
  echo
  echo "dpsflow tests: $TOTAL_OK passed, $TOTAL_FAIL failed, $TOTAL_SKIP skipped"
  [ "$failed" -eq 0 ] || die "some tests failed"
}

cmd_demo() {
  cmd_deps
  cmd_build
  cmd_hugepages
  log "demo"
  exec bash "$top/dpdk_app/demo.sh" "$top/build"
}

case "${1:-}" in
  deps) cmd_deps ;;
  build) cmd_build ;;
  hugepages) cmd_hugepages ;;
  test) cmd_test ;;
  demo) cmd_demo ;;
  *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
