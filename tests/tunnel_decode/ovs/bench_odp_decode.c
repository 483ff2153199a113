/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_odp_decode.c - cost of dps_odp_decode() on the action list ovs-vswitchd 3.1 installs
 * for a VXLAN/IPv4 egress: tnl_push(vxlan, 50-byte header) + output.  Meant for callgrind:
 *   valgrind --tool=callgrind --toggle-collect=dps_odp_decode BUILD/.../bench_odp_decode 1000
 * and divide the collected Ir by the iteration count; without valgrind it prints ns/decode.
 * Exit status 1 if the decode result is wrong, so the number always measures a correct run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ovs/dps_odp_actions.h"
#include "odp_attrs.h"

static const uint8_t hdr_vxlan4[50] = {
    0xf8, 0xbc, 0x12, 0x44, 0x34, 0xb6, 0x3a, 0x9f, 0x8d, 0x10, 0x17, 0x46, 0x08, 0x00,
    0x45, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
    1, 1, 2, 88, 1, 1, 2, 92,
    0x00, 0x00, 0x12, 0xb5, 0x00, 0x00, 0x00, 0x00,
    0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x7b, 0x00,
};

int main(int argc, char **argv)
{
    long iters = argc > 1 ? atol(argv[1]) : 1000000;
    _Alignas(4) uint8_t list[80];
    uint16_t len = 4 + 16 + sizeof hdr_vxlan4, type = ODP_A_TUNNEL_PUSH;
    uint32_t pre[4] = { 4789, 100, sizeof hdr_vxlan4, ODP_VPORT_VXLAN };
    memset(list, 0, sizeof list);
    memcpy(list, &len, 2);
    memcpy(list + 2, &type, 2);
    memcpy(list + 4, pre, sizeof pre);
    memcpy(list + 20, hdr_vxlan4, sizeof hdr_vxlan4);
    uint16_t out_len = 8, out_type = ODP_A_OUTPUT;
    uint32_t port = 4;
    memcpy(list + 72, &out_len, 2);
    memcpy(list + 74, &out_type, 2);
    memcpy(list + 76, &port, 4);

    struct dps_odp_summary s;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < iters; i++) {
        dps_odp_decode(list, sizeof list, &s);
        __asm__ volatile("" : : "g"(&s) : "memory");
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (s.status != DPS_ODP_OK || s.n_outputs != 1 || s.tunnels[0].udp_dst != 4789 ||
        s.tunnels[0].vni != 123) {
        fprintf(stderr, "bench_odp_decode: wrong decode\n");
        return 1;
    }
    double ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) /
                (double)(iters ? iters : 1);
    printf("dps_odp_decode tnl_push(vxlan4)+output: %.1f ns/decode over %ld runs "
           "(summary %zu bytes)\n", ns, iters, sizeof s);
    return 0;
}
