/* The command line after `--`, its precedence over the file, and SIGHUP reloads that keep it. */
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

static struct dps_config cfg, next;
static char tmpdir[] = "/tmp/dps_config_cli_XXXXXX";

#define MAX_ARGS 48

/* Runs dps_config_from_args on a NULL-terminated list, checking argv is left as given. */
static enum dps_cli_status run_args(struct dps_config_error *err, const char *first, ...)
{
    char *argv[MAX_ARGS + 1];
    char *copy[MAX_ARGS + 1];
    int argc = 0;
    argv[argc++] = (char *)"dpsflow";
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a != NULL; a = va_arg(ap, const char *)) {
        assert_true(argc < MAX_ARGS);
        argv[argc++] = (char *)a;
    }
    va_end(ap);
    argv[argc] = NULL;
    memcpy(copy, argv, sizeof argv);
    memset(err, 0, sizeof *err);
    enum dps_cli_status st = dps_config_from_args(&cfg, argc, argv, err);
    assert_memory_equal(copy, argv, (size_t)(argc + 1) * sizeof argv[0]);
    return st;
}

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

static const char *tmp_path(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    static const char *const names[] = {"a.conf", "bad.conf", "same.conf"};
    for (size_t i = 0; i < 3; i++)
        unlink(tmp_path(names[i]));
    return rmdir(tmpdir);
}

static void test_help_version(void **state)
{
    (void)state;
    struct dps_config_error err;
    assert_int_equal(run_args(&err, "--help", NULL), DPS_CLI_HELP);
    assert_int_equal(run_args(&err, "-h", NULL), DPS_CLI_HELP);
    assert_int_equal(run_args(&err, "--port", "a", "--version", NULL), DPS_CLI_VERSION);
    assert_int_equal(run_args(&err, "-V", NULL), DPS_CLI_VERSION);
    /* the usage names every option */
    static const char *const opts[] = {"--config", "--collector", "--no-tunnel-records",
        "--sampling", "--polling", "--header-bytes", "--datagram-bytes", "--agent-ip",
        "--sub-agent-id", "--mode", "--offload", "--probe-offload", "--duration",
        "--stats-period", "--print-samples", "--print-config", "--port", "--help", "--version"};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        assert_non_null(strstr(dps_config_usage(), opts[i]));
}

static void test_every_option(void **state)
{
    (void)state;
    struct dps_config_error err;
    enum dps_cli_status st = run_args(&err,
        "--collector", "10.0.0.1:6344", "--collector", "[2001:db8::1]:7000",
        "--collector", "::1", "--collector", "192.0.2.9", "--no-tunnel-records",
        "--sampling", "10", "--polling", "5", "--header-bytes", "64",
        "--datagram-bytes", "9000", "--agent-ip", "192.0.2.1", "--sub-agent-id", "3",
        "--mode", "forward", "--offload", "off", "--probe-offload", "--duration", "10",
        "--stats-period", "1", "--print-samples", "--print-config",
        "--port", "net_null0,size=64", "--port", "net_null1", NULL);
    if (st != DPS_CLI_OK)
        print_message("%s\n", err.msg);
    assert_int_equal(st, DPS_CLI_OK);
    assert_int_equal(cfg.n_collectors, 4);
    assert_int_equal(cfg.collectors[0].addr.family, 4);
    assert_int_equal(cfg.collectors[0].addr.bytes[3], 1);
    assert_int_equal(cfg.collectors[0].udp_port, 6344);
    assert_int_equal(cfg.collectors[1].addr.family, 6);
    assert_int_equal(cfg.collectors[1].addr.bytes[0], 0x20);
    assert_int_equal(cfg.collectors[1].addr.bytes[1], 0x01);
    assert_int_equal(cfg.collectors[1].addr.bytes[15], 1);
    assert_int_equal(cfg.collectors[1].udp_port, 7000);
    assert_int_equal(cfg.collectors[2].addr.family, 6);
    assert_int_equal(cfg.collectors[2].addr.bytes[15], 1);
    assert_int_equal(cfg.collectors[2].udp_port, 6343);
    assert_int_equal(cfg.collectors[3].udp_port, 6343);
    for (unsigned i = 0; i < 4; i++)
        assert_false(cfg.collectors[i].tunnel_records);
    assert_int_equal(cfg.sampling, 10);
    assert_int_equal(dps_config_port_sampling(&cfg, 0, UINT64_C(10000000000)), 10);
    assert_int_equal(cfg.polling_s, 5);
    assert_int_equal(cfg.header_bytes, 64);
    assert_int_equal(cfg.datagram_bytes, 9000);
    assert_int_equal(cfg.agent_ip.family, 4);
    assert_int_equal(cfg.agent_ip.bytes[0], 192);
    assert_int_equal(cfg.sub_agent_id, 3);
    assert_true(cfg.run.probe_offload);
    assert_int_equal(cfg.run.duration_s, 10);
    assert_int_equal(cfg.run.stats_period_s, 1);
    assert_true(cfg.run.print_samples);
    assert_true(cfg.run.print_config);
    assert_string_equal(cfg.run.config_path, "");
    assert_int_equal(cfg.n_ports, 2);
    assert_string_equal(cfg.ports[0].name, "net_null0,size=64");
    assert_int_equal(cfg.ports[0].mode, DPS_MODE_FORWARD);
    assert_int_equal(cfg.ports[0].forward_port, 1);
    assert_int_equal(cfg.ports[1].forward_port, 0);
    assert_int_equal(cfg.ports[0].offload, DPS_OFFLOAD_OFF);
    assert_int_equal(cfg.ports[1].rxq, 1);

    /* minimal: one port, every default, monitor mode */
    assert_int_equal(run_args(&err, "--port", "net_null0", NULL), DPS_CLI_OK);
    assert_int_equal(cfg.n_ports, 1);
    assert_int_equal(cfg.ports[0].mode, DPS_MODE_MONITOR);
    assert_int_equal(cfg.ports[0].forward_port, -1);
    assert_int_equal(cfg.polling_s, 20);
    assert_false(cfg.has_sampling);
    assert_int_equal(cfg.n_collectors, 0);
    assert_false(cfg.run.print_samples);
    assert_int_equal(cfg.run.duration_s, 0);
    assert_int_equal(cfg.cli.set, DPS_CLI_PORTS);
}

struct bad_cli {
    const char *args[6];
    const char *substr;
};

static const struct bad_cli bad_cli[] = {
    {{"--sampling", "x", "--port", "a"}, "--sampling: bad number 'x'"},
    {{"--sampling", "-1"}, "--sampling: bad number '-1'"},
    {{"--sampling", "1000000001"}, "--sampling: bad number"},
    {{"--polling", "86401"}, "--polling: bad number '86401' (expected 0..86400)"},
    {{"--header-bytes", "13"}, "--header-bytes: bad number '13' (expected 14..256)"},
    {{"--datagram-bytes", "65508"}, "--datagram-bytes: bad number"},
    {{"--sub-agent-id", "4294967296"}, "--sub-agent-id: bad number"},
    {{"--duration", "1s"}, "--duration: bad number '1s'"},
    {{"--stats-period", "3601"}, "--stats-period: bad number"},
    {{"--agent-ip", "eth0"}, "--agent-ip: bad address 'eth0'"},
    {{"--collector", "10.0.0.1:0"}, "--collector: bad collector '10.0.0.1:0'"},
    {{"--collector", "1.2.3.4:65536"}, "bad collector"},
    {{"--collector", "[10.0.0.1]:6343"}, "bad collector"},
    {{"--collector", "[::1"}, "bad collector"},
    {{"--collector", "[::1]x"}, "bad collector"},
    {{"--collector", "::1:99999"}, "bad collector"},
    {{"--collector", "host.example"}, "bad collector"},
    {{"--mode", "bridge"}, "--mode: bad value 'bridge' (monitor or forward)"},
    {{"--offload", "maybe"}, "--offload: bad value 'maybe'"},
    {{"--bogus"}, "unknown or ambiguous option '--bogus'"},
    {{"--p", "1"}, "unknown or ambiguous option '--p'"},
    {{"-x"}, "unknown option '-x'"},
    {{"--port", "a", "--sampling"}, "--sampling needs a value"},
    {{"-f"}, "--config needs a value"},
    {{"--port", "a", "extra"}, "unexpected argument 'extra'"},
    {{"--port", "a", "-f", "x.conf"}, "--port cannot be combined with --config"},
    {{"--port", "a", "--mode", "forward"}, "port 'a' is in forward mode without a peer"},
    {{"--port", "a", "--port", "a"}, "duplicate port 'a'"},
    {{"-f", "/nonexistent.conf"}, "/nonexistent.conf: cannot open"},
    {{"-f", ""}, "--config: path empty"},
    {{"--port", "net_null0\nsflow {"}, "--port: devargs empty, longer than 511 bytes or with control"},
    {{"--port", ""}, "--port: devargs empty"},
};

static void test_bad_args(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cli / sizeof bad_cli[0]; i++) {
        const char *const *a = bad_cli[i].args;
        struct dps_config_error err;
        enum dps_cli_status st = run_args(&err, a[0], a[1], a[2], a[3], a[4], a[5], NULL);
        if (st != DPS_CLI_ERROR || strstr(err.msg, bad_cli[i].substr) == NULL) {
            print_message("case %zu (%s %s): status %d msg \"%s\", want \"%s\"\n", i,
                          a[0] ? a[0] : "", a[1] ? a[1] : "", st, err.msg, bad_cli[i].substr);
            fail();
        }
        assert_int_equal(err.line, 0);
    }
    /* nine collectors */
    struct dps_config_error err;
    assert_int_equal(run_args(&err, "--collector", "10.0.0.1", "--collector", "10.0.0.2",
                              "--collector", "10.0.0.3", "--collector", "10.0.0.4",
                              "--collector", "10.0.0.5", "--collector", "10.0.0.6",
                              "--collector", "10.0.0.7", "--collector", "10.0.0.8",
                              "--collector", "10.0.0.9", "--port", "a", NULL),
                     DPS_CLI_ERROR);
    assert_non_null(strstr(err.msg, "too many collectors (max 8)"));
}

static const char base_file[] =
    "sflow {\n"
    "  sampling = 400\n"
    "  polling = 20\n"
    "  headerBytes = 128\n"
    "  collector { ip = 10.0.0.1 }\n"
    "  collector { ip = 10.0.0.2 udpport = 7000 tunnelRecords = off }\n"
    "}\n"
    "dpdk {\n"
    "  port { name = a sampling = 9 }\n"
    "  port { name = b mode = monitor }\n"
    "}\n";

static void test_file_and_overrides(void **state)
{
    (void)state;
    struct dps_config_error err;
    write_file("a.conf", base_file);
    /* the file alone */
    assert_int_equal(run_args(&err, "-f", tmp_path("a.conf"), NULL), DPS_CLI_OK);
    assert_string_equal(cfg.run.config_path, tmp_path("a.conf"));
    assert_int_equal(cfg.sampling, 400);
    assert_int_equal(cfg.n_collectors, 2);
    assert_int_equal(dps_config_port_sampling(&cfg, 0, UINT64_C(1000000000)), 9);
    assert_int_equal(dps_config_port_sampling(&cfg, 1, UINT64_C(1000000000)), 400);
    assert_false(cfg.collectors[0].tunnel_records == false);

    /* the command line wins: collectors replaced, sampling on every port, mode on every port */
    assert_int_equal(run_args(&err, "--config", tmp_path("a.conf"), "--sampling", "5",
                              "--collector", "[::1]:9999", "--header-bytes", "200",
                              "--mode", "forward", NULL),
                     DPS_CLI_OK);
    assert_int_equal(cfg.n_collectors, 1);
    assert_int_equal(cfg.collectors[0].addr.family, 6);
    assert_int_equal(cfg.collectors[0].udp_port, 9999);
    assert_true(cfg.collectors[0].tunnel_records);
    assert_int_equal(dps_config_port_sampling(&cfg, 0, UINT64_C(1000000000)), 5);
    assert_int_equal(dps_config_port_sampling(&cfg, 1, UINT64_C(1000000000)), 5);
    assert_int_equal(cfg.header_bytes, 200);
    assert_int_equal(cfg.polling_s, 20); /* untouched by the command line */
    assert_int_equal(cfg.ports[0].mode, DPS_MODE_FORWARD);
    assert_int_equal(cfg.ports[1].mode, DPS_MODE_FORWARD);
    assert_int_equal(cfg.ports[0].forward_port, 1);

    /* --no-tunnel-records alone applies to the file's collectors */
    assert_int_equal(run_args(&err, "-f", tmp_path("a.conf"), "--no-tunnel-records", NULL),
                     DPS_CLI_OK);
    assert_int_equal(cfg.n_collectors, 2);
    assert_false(cfg.collectors[0].tunnel_records);
    assert_false(cfg.collectors[1].tunnel_records);

    /* a bad file: the message points into the file */
    write_file("bad.conf", "sflow {\n  sampling = 400\n  bogus = 1\n}\n");
    assert_int_equal(run_args(&err, "-f", tmp_path("bad.conf"), NULL), DPS_CLI_ERROR);
    char want[300];
    snprintf(want, sizeof want, "%s:3:3: unknown key 'bogus' in sflow { }", tmp_path("bad.conf"));
    assert_string_equal(err.msg, want);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 3);
}

static void test_repeatable(void **state)
{
    (void)state;
    /* getopt state is reset: the second call sees its own options from the start */
    struct dps_config_error err;
    assert_int_equal(run_args(&err, "--port", "x", "--sampling", "3", NULL), DPS_CLI_OK);
    assert_int_equal(cfg.sampling, 3);
    assert_int_equal(run_args(&err, "--sampling", "4", "--port", "y", NULL), DPS_CLI_OK);
    assert_int_equal(cfg.sampling, 4);
    assert_string_equal(cfg.ports[0].name, "y");
    assert_int_equal(cfg.n_ports, 1);
    /* an error mid-way does not leak into the next call */
    assert_int_equal(run_args(&err, "--port", "x", "--bogus", "--sampling", "9", NULL),
                     DPS_CLI_ERROR);
    assert_int_equal(run_args(&err, "--port", "z", NULL), DPS_CLI_OK);
    assert_false(cfg.has_sampling);
}

static void test_reload(void **state)
{
    (void)state;
    struct dps_config_error err;
    uint32_t changed = 0xdeadu;
    write_file("a.conf", base_file);
    assert_int_equal(run_args(&err, "-f", tmp_path("a.conf"), "--polling", "7",
                              "--collector", "10.9.9.9", NULL),
                     DPS_CLI_OK);

    /* same file: nothing changed */
    assert_int_equal(dps_config_reload(&cfg, &next, &changed, &err), 0);
    assert_int_equal(changed, 0);

    /* new file: reloadable settings follow it, the command line's stay, ports stay */
    write_file("a.conf",
               "sflow {\n"
               "  sampling = 800\n"
               "  polling = 30\n"
               "  headerBytes = 200\n"
               "  collector { ip = 10.0.0.3 }\n"
               "}\n"
               "dpdk {\n"
               "  port { name = a sampling = 11 }\n"
               "  port { name = b mode = monitor }\n"
               "  port { name = c }\n"
               "}\n");
    assert_int_equal(dps_config_reload(&cfg, &next, &changed, &err), 0);
    assert_int_equal(changed, DPS_RELOAD_SAMPLING | DPS_RELOAD_HEADER_BYTES | DPS_RELOAD_IGNORED);
    assert_int_equal(next.sampling, 800);
    assert_int_equal(next.header_bytes, 200);
    assert_int_equal(next.polling_s, 7);             /* --polling 7 kept */
    assert_int_equal(next.n_collectors, 1);          /* --collector kept */
    assert_int_equal(next.collectors[0].addr.bytes[1], 9);
    assert_int_equal(next.n_ports, 2);               /* port c needs a restart */
    assert_int_equal(dps_config_port_sampling(&next, 0, UINT64_C(1000000000)), 11);
    assert_int_equal(dps_config_port_sampling(&next, 1, UINT64_C(1000000000)), 800);
    assert_string_equal(next.run.config_path, cfg.run.config_path);
    assert_int_equal(next.cli.set, cfg.cli.set);

    /* agent and datagram settings are reported too */
    cfg = next;
    write_file("a.conf",
               "sflow { sampling = 800 headerBytes = 200 agent = 192.0.2.7 datagramBytes = 9000 }\n"
               "dpdk { port { name = a sampling = 11 } port { name = b mode = monitor } }\n");
    assert_int_equal(dps_config_reload(&cfg, &next, &changed, &err), 0);
    assert_int_equal(changed, DPS_RELOAD_AGENT | DPS_RELOAD_DATAGRAM);
    assert_int_equal(next.agent_ip.bytes[3], 7);
    assert_int_equal(next.datagram_bytes, 9000);

    /* a port's structure changing is ignored (kept as running) and flagged */
    cfg = next;
    write_file("a.conf",
               "sflow { sampling = 800 headerBytes = 200 agent = 192.0.2.7 datagramBytes = 9000 }\n"
               "dpdk { port { name = a sampling = 11 rxq = 2 } port { name = b mode = monitor } }\n");
    assert_int_equal(dps_config_reload(&cfg, &next, &changed, &err), 0);
    assert_int_equal(changed, DPS_RELOAD_IGNORED);
    assert_int_equal(next.ports[0].rxq, 1);

    /* offload is not structure: it is carried over and reported with the sampling, so the
     * agent rebuilds or removes the port's SAMPLE rule */
    write_file("a.conf",
               "sflow { sampling = 800 headerBytes = 200 agent = 192.0.2.7 datagramBytes = 9000 }\n"
               "dpdk { port { name = a sampling = 11 offload = off } port { name = b mode = monitor } }\n");
    assert_int_equal(dps_config_reload(&cfg, &next, &changed, &err), 0);
    assert_int_equal(changed, DPS_RELOAD_SAMPLING);
    assert_int_equal(next.ports[0].offload, DPS_OFFLOAD_OFF);
    assert_int_equal(next.ports[1].offload, DPS_OFFLOAD_AUTO);
    write_file("a.conf",
               "sflow { sampling = 800 headerBytes = 200 agent = 192.0.2.7 datagramBytes = 9000 }\n"
               "dpdk { port { name = a sampling = 11 rxq = 2 } port { name = b mode = monitor } }\n");

    /* collectors change when the command line did not set them */
    assert_int_equal(run_args(&err, "-f", tmp_path("a.conf"), NULL), DPS_CLI_OK);
    write_file("a.conf",
               "sflow { sampling = 800 headerBytes = 200 agent = 192.0.2.7 datagramBytes = 9000\n"
               "        collector { ip = 10.0.0.4 } polling = 3 }\n"
               "dpdk { port { name = a sampling = 11 rxq = 2 } port { name = b mode = monitor } }\n");
    assert_int_equal(dps_config_reload(&cfg, &next, &changed, &err), 0);
    assert_int_equal(changed, DPS_RELOAD_COLLECTORS | DPS_RELOAD_POLLING);
    assert_int_equal(next.n_collectors, 1);
    assert_int_equal(next.collectors[0].addr.bytes[3], 4);
    assert_int_equal(next.polling_s, 3);

    /* a bad file: error with position, next untouched, running config unchanged */
    write_file("a.conf", "sflow {\n  sampling = lots\n}\n");
    memset(&next, 0x5a, sizeof next);
    assert_int_equal(dps_config_reload(&cfg, &next, &changed, &err), -1);
    assert_non_null(strstr(err.msg, ":2:14: bad number 'lots' for 'sampling'"));
    assert_int_equal(err.line, 2);
    for (size_t i = 0; i < sizeof next; i++)
        assert_int_equal(((const unsigned char *)&next)[i], 0x5a);
    assert_int_equal(cfg.sampling, 800);

    /* started without a file: nothing to re-read */
    assert_int_equal(run_args(&err, "--port", "a", NULL), DPS_CLI_OK);
    assert_int_equal(dps_config_reload(&cfg, &next, &changed, &err), -1);
    assert_non_null(strstr(err.msg, "no configuration file"));
}

int main(void)
{
    /* cmocka 1.1.5 prints its pass/fail summary on stderr; the suite logs read stdout. */
    dup2(STDOUT_FILENO, STDERR_FILENO);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_version),
        cmocka_unit_test(test_every_option),
        cmocka_unit_test(test_bad_args),
        cmocka_unit_test(test_file_and_overrides),
        cmocka_unit_test(test_repeatable),
        cmocka_unit_test(test_reload),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
