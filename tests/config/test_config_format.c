/* dps_config_format: exact text for a known configuration, truncation semantics, and every
 * example re-parsing from its own dump to the same dump (a fixed point). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dps_config.h"

static struct dps_config cfg, again;
static char text[1 << 16], text2[1 << 16];

static void load_text(struct dps_config *c, const char *t)
{
    struct dps_config_error err;
    dps_config_init(c);
    if (dps_config_parse_buffer(c, "t.conf", t, strlen(t), &err) != 0 ||
        dps_config_finalize(c, &err) != 0) {
        print_message("%s\n", err.msg);
        fail();
    }
}

static void test_exact_text(void **state)
{
    (void)state;
    load_text(&cfg,
              "sflow { agent = eth1 agent.cidr = 10.0.0.0/8 sampling = 400 sampling.10G = 10000\n"
              "  sampling.2500M = 2500 collector { ip = 2001:db8::9 udpport = 7 tunnelRecords = off } }\n"
              "dpdk { exporterLcore = 1 port { name = \"a \\\"b\\\" #c\" ifindex = 5 forward = d\n"
              "  lcores = 2,3 rxq = 4 speed = 25G } port { name = d sampling = 3 mode = forward } }\n"
              "ovs { ring = /dev/hugepages/x bridge = br-int db = unix:/run/db.sock }\n");
    size_t n = dps_config_format(&cfg, text, sizeof text);
    const char *want =
        "# dpsflow effective configuration\n"
        "# duration=0s stats-period=0s print-samples=no probe-offload=no\n"
        "sflow {\n"
        "  agent = eth1\n"
        "  agent.cidr = 10.0.0.0/8\n"
        "  polling = 20\n"                       /* default */
        "  sampling = 400\n"
        "  sampling.10G = 10000\n"
        "  sampling.2500M = 2500\n"              /* largest exact unit */
        "  headerBytes = 128\n"
        "  datagramBytes = 1400\n"
        "  subAgentId = 0\n"
        "  datagramTimeoutMs = 250\n"
        "  collector { ip = 2001:db8::9 udpport = 7 tunnelRecords = off }\n"
        "}\n"
        "dpdk {\n"
        "  ringSize = 4096\n"
        "  exporterLcore = 1\n"
        "  port {\n"
        "    name = \"a \\\"b\\\" #c\"\n"          /* quotes escaped, '#' safe inside quotes */
        "    ifindex = 5\n"
        "    mode = forward\n"                   /* implied by forward = */
        "    forward = \"d\"\n"
        "    rxq = 4\n"
        "    lcores = 2,3\n"
        "    offload = auto\n"
        "    speed = 25G\n"
        "  }\n"
        "  port {\n"
        "    name = \"d\"\n"
        "    sampling = 3\n"
        "    mode = forward\n"
        "    forward = \"a \\\"b\\\" #c\"\n"      /* paired with the first forward port */
        "    rxq = 1\n"
        "    offload = auto\n"
        "  }\n"
        "}\n"
        "ovs {\n"
        "  ring = \"/dev/hugepages/x\"\n"
        "  bridge = br-int\n"
        "  db = \"unix:/run/db.sock\"\n"
        "}\n";
    assert_string_equal(text, want);
    assert_int_equal(n, strlen(want));

    /* snprintf semantics: the full length is returned, the output is cut and terminated */
    char small[32];
    memset(small, 'x', sizeof small);
    assert_int_equal(dps_config_format(&cfg, small, sizeof small), strlen(want));
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_memory_equal(small, want, sizeof small - 1);
    assert_int_equal(dps_config_format(&cfg, NULL, 0), strlen(want));
}

static void roundtrip(const char *label)
{
    size_t n = dps_config_format(&cfg, text, sizeof text);
    assert_true(n < sizeof text);
    struct dps_config_error err;
    dps_config_init(&again);
    again.run = cfg.run;
    /* --sampling only adds a comment to the dump and keeps precedence over per-port rates */
    again.cli.set = cfg.cli.set & DPS_CLI_SAMPLING;
    again.cli.sampling = cfg.cli.sampling;
    if (dps_config_parse_buffer(&again, "dump", text, n, &err) != 0 ||
        dps_config_finalize(&again, &err) != 0) {
        print_message("%s: dump does not parse: %s\n%s", label, err.msg, text);
        fail();
    }
    dps_config_format(&again, text2, sizeof text2);
    if (strcmp(text, text2) != 0) {
        print_message("%s: dump changed on re-parse:\n%s\n---\n%s", label, text, text2);
        fail();
    }
    /* the settings themselves, not only the text */
    assert_int_equal(again.n_ports, cfg.n_ports);
    for (unsigned i = 0; i < cfg.n_ports; i++) {
        assert_string_equal(again.ports[i].name, cfg.ports[i].name);
        assert_int_equal(again.ports[i].forward_port, cfg.ports[i].forward_port);
        for (uint64_t speed = 0; speed <= UINT64_C(100000000000); speed += UINT64_C(12500000000))
            assert_int_equal(dps_config_port_sampling(&again, i, speed),
                             dps_config_port_sampling(&cfg, i, speed));
    }
    assert_int_equal(again.n_collectors, cfg.n_collectors);
    for (unsigned i = 0; i < cfg.n_collectors; i++) {
        assert_memory_equal(&again.collectors[i].addr, &cfg.collectors[i].addr,
                            sizeof cfg.collectors[i].addr);
        assert_int_equal(again.collectors[i].udp_port, cfg.collectors[i].udp_port);
        assert_int_equal(again.collectors[i].tunnel_records, cfg.collectors[i].tunnel_records);
    }
}

static void test_examples_roundtrip(void **state)
{
    (void)state;
    static const char *const files[] = {"demo.conf", "openstack-ovs-dpdk.conf",
                                        "sriov-monitor-vf.conf", "lab-forward.conf",
                                        "pf-promiscuous.conf", "mlx5-representors.conf",
                                        "vhost-user.conf", "ovsdb-only.conf"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        struct dps_config_error err;
        snprintf(path, sizeof path, "%s/%s", CONFIG_SRC_DIR, files[i]);
        dps_config_init(&cfg);
        assert_int_equal(dps_config_parse_file(&cfg, path, &err), 0);
        assert_int_equal(dps_config_finalize(&cfg, &err), 0);
        roundtrip(files[i]);
    }
}

static void test_cli_roundtrip(void **state)
{
    (void)state;
    char *argv[] = {"dpsflow", "--port", "net_null0", "--port", "net_null1", "--mode", "forward",
                    "--collector", "[::1]:6000", "--sampling", "77", "--stats-period", "2", NULL};
    struct dps_config_error err;
    assert_int_equal(dps_config_from_args(&cfg, 13, argv, &err), DPS_CLI_OK);
    roundtrip("cli");
    assert_non_null(strstr(text, "sampling = 77  # --sampling: applies to every port\n"));
    assert_non_null(strstr(text, "# duration=0s stats-period=2s"));
    assert_non_null(strstr(text, "collector { ip = ::1 udpport = 6000 tunnelRecords = on }"));
}

int main(void)
{
    /* cmocka 1.1.5 prints its pass/fail summary on stderr; the suite logs read stdout. */
    dup2(STDOUT_FILENO, STDERR_FILENO);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_text),
        cmocka_unit_test(test_examples_roundtrip),
        cmocka_unit_test(test_cli_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
