/* The file parser: good files give the settings written in them, bad files give the exact
 * line:col and message, and every shipped example parses. */
#include <dirent.h>
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

#ifndef CONFIG_SRC_DIR
#error "CONFIG_SRC_DIR must point at config/"
#endif

static struct dps_config cfg;  /* ~80 KiB: static, not on the stack */

static int parse(const char *text, struct dps_config_error *err)
{
    dps_config_init(&cfg);
    return dps_config_parse_buffer(&cfg, "t.conf", text, strlen(text), err);
}

static int parse_ok(const char *text)
{
    struct dps_config_error err;
    int rc = parse(text, &err);
    if (rc != 0)
        print_message("unexpected error: %s\n", err.msg);
    return rc;
}

static void addr4(struct dps_addr *a, uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3)
{
    memset(a, 0, sizeof *a);
    a->family = 4;
    a->bytes[0] = b0;
    a->bytes[1] = b1;
    a->bytes[2] = b2;
    a->bytes[3] = b3;
}

static void test_defaults(void **state)
{
    (void)state;
    dps_config_init(&cfg);
    assert_int_equal(cfg.polling_s, 20);
    assert_false(cfg.has_sampling);
    assert_int_equal(cfg.header_bytes, 128);
    assert_int_equal(cfg.datagram_bytes, 1400);
    assert_int_equal(cfg.datagram_timeout_ms, 250);
    assert_int_equal(cfg.ring_size, 4096);
    assert_int_equal(cfg.sub_agent_id, 0);
    assert_int_equal(cfg.n_collectors, 0);
    assert_int_equal(cfg.n_ports, 0);
    assert_false(cfg.has_exporter_lcore);
    /* an empty file and a comment-only file leave the defaults */
    assert_int_equal(parse_ok(""), 0);
    assert_int_equal(parse_ok("# nothing\n\n   # here\n"), 0);
    assert_int_equal(cfg.polling_s, 20);
    /* collector defaults: port 6343, tunnel records on */
    assert_int_equal(parse_ok("sflow { collector { ip = 10.0.0.1 } }"), 0);
    assert_int_equal(cfg.n_collectors, 1);
    assert_int_equal(cfg.collectors[0].udp_port, 6343);
    assert_true(cfg.collectors[0].tunnel_records);
}

/* The hsflowd.conf an operator already has (BRIEF §7), verbatim. */
static void test_brief_example(void **state)
{
    (void)state;
    const char *text =
        "sflow {\n"
        "  agent.cidr = 10.0.0.0/8      # or agent = eth0, or an address\n"
        "  polling = 20\n"
        "  sampling = 400\n"
        "  sampling.10G = 10000\n"
        "  headerBytes = 128\n"
        "  datagramBytes = 1400\n"
        "  collector { ip = 10.0.0.1 udpport = 6343 }\n"
        "}\n";
    assert_int_equal(parse_ok(text), 0);
    assert_true(cfg.has_agent_cidr);
    struct dps_addr ten;
    addr4(&ten, 10, 0, 0, 0);
    assert_memory_equal(&cfg.agent_cidr.addr, &ten, sizeof ten);
    assert_int_equal(cfg.agent_cidr.prefix_len, 8);
    assert_int_equal(cfg.polling_s, 20);
    assert_true(cfg.has_sampling);
    assert_int_equal(cfg.sampling, 400);
    assert_int_equal(cfg.n_speed_sampling, 1);
    assert_true(cfg.speed_sampling[0].speed_bps == UINT64_C(10000000000));
    assert_int_equal(cfg.speed_sampling[0].sampling, 10000);
    assert_int_equal(cfg.n_collectors, 1);
    struct dps_addr c;
    addr4(&c, 10, 0, 0, 1);
    assert_memory_equal(&cfg.collectors[0].addr, &c, sizeof c);
    assert_int_equal(cfg.collectors[0].udp_port, 6343);
}

static void test_lexical_forms(void **state)
{
    (void)state;
    /* several pairs per line, no spaces around '=', CRLF, tabs, comments after values */
    const char *text =
        "sflow{polling=5 sampling =7\tsubAgentId= 9}\r\n"
        "dpdk {\r\n"
        "\tport { name = net_pcap0,rx_pcap=a.pcap,infinite_rx=1 ifindex=3 } # bare devargs\r\n"
        "\tport { name = \"net_ring0 \\\"odd\\\" \\\\ #name\" mode=forward forward=net_pcap0,rx_pcap=a.pcap,infinite_rx=1 }\n"
        "}\n";
    assert_int_equal(parse_ok(text), 0);
    assert_int_equal(cfg.polling_s, 5);
    assert_int_equal(cfg.sampling, 7);
    assert_int_equal(cfg.sub_agent_id, 9);
    assert_int_equal(cfg.n_ports, 2);
    assert_string_equal(cfg.ports[0].name, "net_pcap0,rx_pcap=a.pcap,infinite_rx=1");
    assert_int_equal(cfg.ports[0].ifindex, 3);
    assert_string_equal(cfg.ports[1].name, "net_ring0 \"odd\" \\ #name");
    assert_int_equal(cfg.ports[1].mode, DPS_MODE_FORWARD);
    assert_int_equal(cfg.ports[1].forward_port, 0);
    assert_int_equal(cfg.ports[0].forward_port, -1);
    /* block brace on the next line, value right before '}' */
    assert_int_equal(parse_ok("sflow\n{\n collector\n {ip=::1}\n}"), 0);
    assert_int_equal(cfg.collectors[0].addr.family, 6);
    assert_int_equal(cfg.collectors[0].addr.bytes[15], 1);
}

static void test_all_keys(void **state)
{
    (void)state;
    const char *text =
        "sflow {\n"
        "  agent = 2001:db8::1\n"
        "  agent.cidr = fd00::/8\n"
        "  polling = 0\n"
        "  sampling = 0\n"
        "  sampling.1G = 1001\n"
        "  sampling.100M = 101\n"
        "  headerBytes = 256\n"
        "  datagramBytes = 65507\n"
        "  subAgentId = 4294967295\n"
        "  datagramTimeoutMs = 60000\n"
        "  collector { ip = 192.0.2.1 udpport = 65535 tunnelRecords = off }\n"
        "  collector { ip = 2001:db8::2 tunnelRecords = on }\n"
        "}\n"
        "dpdk {\n"
        "  ringSize = 1048576\n"
        "  exporterLcore = 1\n"
        "  port { name = 0000:3b:02.0 ifindex = 2147483647 sampling = 1000000000 mode = monitor\n"
        "         rxq = 4 lcores = 2,3,5 offload = off speed = 25G }\n"
        "  port { name = p2 offload = on }\n"
        "}\n"
        "ovs {\n"
        "  ring = /dev/hugepages/dpsflow\n"
        "  ring = \"/mnt/huge/ring 1\"\n"
        "  bridge = br-int\n"
        "  bridge = br-tun\n"
        "  db = unix:/var/run/openvswitch/db.sock\n"
        "}\n";
    assert_int_equal(parse_ok(text), 0);
    assert_int_equal(cfg.agent_ip.family, 6);
    assert_int_equal(cfg.agent_ip.bytes[0], 0x20);
    assert_int_equal(cfg.agent_ip.bytes[15], 1);
    assert_int_equal(cfg.agent_cidr.prefix_len, 8);
    assert_int_equal(cfg.agent_cidr.addr.bytes[0], 0xfd);
    assert_int_equal(cfg.polling_s, 0);
    assert_true(cfg.has_sampling);
    assert_int_equal(cfg.sampling, 0);
    assert_int_equal(cfg.n_speed_sampling, 2);
    assert_true(cfg.speed_sampling[1].speed_bps == 100000000u);
    assert_int_equal(cfg.header_bytes, 256);
    assert_int_equal(cfg.datagram_bytes, 65507);
    assert_int_equal(cfg.sub_agent_id, 4294967295u);
    assert_int_equal(cfg.datagram_timeout_ms, 60000);
    assert_int_equal(cfg.collectors[0].udp_port, 65535);
    assert_false(cfg.collectors[0].tunnel_records);
    assert_int_equal(cfg.collectors[1].udp_port, 6343);
    assert_true(cfg.collectors[1].tunnel_records);
    assert_int_equal(cfg.ring_size, 1048576);
    assert_true(cfg.has_exporter_lcore);
    assert_int_equal(cfg.exporter_lcore, 1);
    const struct dps_port_config *p = &cfg.ports[0];
    assert_string_equal(p->name, "0000:3b:02.0");
    assert_int_equal(p->ifindex, 2147483647u);
    assert_true(p->has_sampling);
    assert_int_equal(p->sampling, 1000000000u);
    assert_int_equal(p->mode, DPS_MODE_MONITOR);
    assert_int_equal(p->rxq, 4);
    assert_int_equal(p->n_lcores, 3);
    assert_int_equal(p->lcores[0], 2);
    assert_int_equal(p->lcores[2], 5);
    assert_int_equal(p->offload, DPS_OFFLOAD_OFF);
    assert_true(p->speed_bps == UINT64_C(25000000000));
    assert_int_equal(cfg.ports[1].offload, DPS_OFFLOAD_ON);
    assert_false(cfg.ports[1].has_sampling);
    assert_true(cfg.has_ovs);
    assert_int_equal(cfg.n_ovs_rings, 2);
    assert_string_equal(cfg.ovs_rings[1], "/mnt/huge/ring 1");
    assert_int_equal(cfg.n_ovs_bridges, 2);
    assert_string_equal(cfg.ovs_bridges[1], "br-tun");
    assert_string_equal(cfg.ovs_db, "unix:/var/run/openvswitch/db.sock");
    /* agent as an interface name */
    assert_int_equal(parse_ok("sflow { agent = eth0 }"), 0);
    assert_string_equal(cfg.agent_ifname, "eth0");
    assert_int_equal(cfg.agent_ip.family, 0);
}

struct bad_case {
    const char *text;
    unsigned line, col;
    const char *substr;
};

static const struct bad_case bad_cases[] = {
    {"sflow {\n  pollin = 20\n}\n", 2, 3, "unknown key 'pollin' in sflow { }"},
    {"sflw { }", 1, 1, "unknown block 'sflw'"},
    {"polling = 20\n", 1, 1, "unknown block 'polling'"},
    {"sflow {\n  polling = 20x\n}\n", 2, 13, "bad number '20x' for 'polling'"},
    {"sflow {\n  polling = -1\n}\n", 2, 13, "bad number '-1'"},
    {"sflow { polling = 18446744073709551616 }", 1, 19, "bad number '18446744073709551616'"},
    {"sflow { polling = 99999999999999999999999 }", 1, 19, "bad number"},
    {"sflow { polling = 0x10 }", 1, 19, "bad number"},
    {"sflow { headerBytes = 13 }", 1, 23, "(expected 14..256)"},
    {"sflow { headerBytes = 257 }", 1, 23, "(expected 14..256)"},
    {"sflow { datagramBytes = 199 }", 1, 25, "(expected 200..65507)"},
    {"sflow { datagramBytes = 65508 }", 1, 25, "(expected 200..65507)"},
    {"sflow { subAgentId = 4294967296 }", 1, 22, "bad number"},
    {"sflow { datagramTimeoutMs = 0 }", 1, 29, "bad number"},
    {"sflow {\n  polling = 20\n", 3, 1, "missing '}' to close 'sflow' block opened at 1:1"},
    {"sflow { collector { ip = 10.0.0.1 }\n", 2, 1, "missing '}' to close 'sflow'"},
    {"sflow {\n}\n}\n", 3, 1, "'}' without a matching '{'"},
    {"sflow {{ }", 1, 8, "'{' without a block name"},
    {"sflow { = 3 }", 1, 9, "'=' without a key"},
    {"sflow = 3", 1, 7, "expected '{' after 'sflow'"},
    {"sflow { collector = 10.0.0.1 }", 1, 19, "expected '{' after 'collector'"},
    {"sflow { polling { } }", 1, 17, "expected '=' after 'polling'"},
    {"sflow { polling = \n }", 1, 19, "missing value after '='"},
    {"sflow { polling = # twenty\n }", 1, 19, "missing value"},
    {"sflow { polling = }", 1, 19, "missing value"},
    {"sflow { \"polling\" = 1 }", 1, 9, "expected a key, found a quoted string"},
    {"sflow { polling! = 1 }", 1, 16, "unexpected character '!'"},
    {"sflow { !x = 1 }", 1, 9, "unexpected character '!'"},
    {"sflow { collector { ip = 10.0.0.256 } }", 1, 26, "bad address '10.0.0.256' for 'ip'"},
    {"sflow { collector { ip = eth0 } }", 1, 26, "bad address"},
    {"sflow { collector { ip = fe80::1%eth0 } }", 1, 26, "bad address"},
    {"sflow { collector { udpport = 6343 } }", 1, 9, "collector without 'ip'"},
    {"sflow { collector { ip = 10.0.0.1 udpport = 0 } }", 1, 45, "(expected 1..65535)"},
    {"sflow { collector { ip = 10.0.0.1 udpport = 65536 } }", 1, 45, "(expected 1..65535)"},
    {"sflow { collector { ip = 10.0.0.1 tunnelRecords = maybe } }", 1, 51, "(on or off)"},
    {"sflow {\n collector { ip = 10.0.0.1 }\n collector { ip = 10.0.0.1 udpport = 6343 }\n}", 3, 2,
     "duplicate collector"},
    {"sflow { collector { ip = 10.0.0.1 ip = 10.0.0.2 } }", 1, 35, "duplicate 'ip' in collector"},
    {"sflow {\n  polling = 20\n  polling = 30\n}\n", 3, 3, "duplicate 'polling' in sflow { }"},
    {"sflow { }\nsflow { }\n", 2, 1, "duplicate 'sflow' in top level"},
    {"sflow { agent = 10.0.0.1/8 }", 1, 17, "bad value '10.0.0.1/8' for 'agent'"},
    {"sflow { agent = averyveryverylongifname }", 1, 17, "interface name of at most 15"},
    {"sflow { agent.cidr = 10.0.0.0/33 }", 1, 22, "bad CIDR '10.0.0.0/33'"},
    {"sflow { agent.cidr = 10.0.0.0 }", 1, 22, "bad CIDR"},
    {"sflow { agent.cidr = ::/129 }", 1, 22, "bad CIDR"},
    {"sflow { sampling.http = 100 }", 1, 9, "bad speed 'http'"},
    {"sflow { sampling.0G = 100 }", 1, 9, "bad speed '0G'"},
    {"sflow { sampling.10G = 1\n sampling.10000M = 2 }", 2, 2, "duplicate sampling for speed 10000M"},
    {"sflow { sampling.10G = x }", 1, 24, "bad number 'x' for 'sampling.10G'"},
    {"sflow { sampling = 1000000001 }", 1, 20, "bad number"},
    {"sflow { DNSSD = on }", 1, 9, "'DNSSD' (hsflowd) is not supported by dpsflow"},
    {"sflow { polling.java = 10 }", 1, 9, "not supported by dpsflow"},
    {"sflow { pcap { dev = eth0 } }", 1, 9, "'pcap' (hsflowd) is not supported by dpsflow"},
    {"sflow { collector { ip = 10.0.0.1 dev = mgmt } }", 1, 35, "'dev' (hsflowd) is not supported"},
    {"dpdk { port { name = a } port { name = b }\n port { name = a } }", 2, 2,
     "duplicate port 'a' (first at line 1)"},
    {"dpdk { port { ifindex = 1 } }", 1, 8, "port without 'name'"},
    {"dpdk { port { name = \"\" } }", 1, 22, "empty value for 'name'"},
    {"dpdk { port { name = a ifindex = 0 } }", 1, 34, "bad number '0' for 'ifindex'"},
    {"dpdk { port { name = a ifindex = 2147483648 } }", 1, 34, "(expected 1..2147483647)"},
    {"dpdk {\n port { name = a ifindex = 5 }\n port { name = b ifindex = 5 }\n}", 3, 28,
     "ifindex 5 already used by port 'a'"},
    {"dpdk { port { name = a forward = c }\n port { name = b } }", 1, 34,
     "forward peer 'c' is not a configured port"},
    {"dpdk { port { name = a forward = a } }", 1, 34, "cannot forward to itself"},
    {"dpdk { port { name = a forward = b mode = monitor } port { name = b } }", 1, 34,
     "'forward' given but mode = monitor"},
    {"dpdk { port { name = a mode = bridge } }", 1, 31, "(monitor or forward)"},
    {"dpdk { port { name = a offload = maybe } }", 1, 34, "(auto, on or off)"},
    {"dpdk { port { name = a speed = fast } }", 1, 32, "bad speed 'fast'"},
    {"dpdk { port { name = a rxq = 0 } }", 1, 30, "(expected 1..1024)"},
    {"dpdk { port { name = a lcores = 1,,2 } }", 1, 33, "bad lcore list"},
    {"dpdk { port { name = a lcores = 1,2, } }", 1, 33, "bad lcore list"},
    {"dpdk { port { name = a lcores = 1,1 } }", 1, 33, "lcore 1 listed twice"},
    {"dpdk { port { name = a lcores = 1024 } }", 1, 33, "bad lcore '1024'"},
    {"dpdk { port {\n name = a rxq = 1 lcores = 2,3 } }", 1, 8, "has 2 lcores but only 1 rx queues"},
    {"dpdk { exporterLcore = 2\n port { name = a lcores = 1,2 } }", 1, 24,
     "exporterLcore 2 is also a worker lcore of port 'a'"},
    {"dpdk { ringSize = 1000 }", 1, 19, "'ringSize' must be a power of two"},
    {"dpdk { ringSize = 32 }", 1, 19, "(expected 64..1048576)"},
    {"dpdk { port { name = ab\"c } }", 1, 24, "quote inside a bare value"},
    {"dpdk { port { name = \"abc } }", 1, 22, "unterminated string"},
    {"dpdk { port { name = \"abc\n\" } }", 1, 22, "unterminated string"},
    {"dpdk { port { name = \"a\\nb\" } }", 1, 24, "unknown escape in string"},
    {"ovs { ring = dpsflow }", 1, 14, "must be an absolute path"},
    {"ovs { ring = /a\n ring = /a }", 2, 9, "duplicate ring '/a'"},
    {"ovs { bridge = br/int }", 1, 16, "bad bridge name"},
    {"ovs { bridge = br0 bridge = br0 }", 1, 29, "duplicate bridge 'br0'"},
    {"ovs { db = http://x }", 1, 12, "bad 'db' 'http://x'"},
    {"ovs { db = unix: }", 1, 12, "bad 'db'"},
    {"ovs { db = unix:/a db = unix:/b }", 1, 20, "duplicate 'db' in ovs { }"},
    {"sflow {\n\x01 }", 2, 1, "control character 0x01"},
    {"sflow { \x7f }", 1, 9, "control character 0x7f"},
    {"sflow { polling = 1 } \xc3\xa9", 1, 23, "unexpected byte 0xc3"},
};

static void check_bad(const char *text, size_t len, unsigned line, unsigned col,
                      const char *substr)
{
    struct dps_config_error err;
    memset(&err, 0, sizeof err);
    dps_config_init(&cfg);
    int rc = dps_config_parse_buffer(&cfg, "t.conf", text, len, &err);
    char want_prefix[64];
    snprintf(want_prefix, sizeof want_prefix, "t.conf:%u:%u: ", line, col);
    if (rc != -1 || err.line != line || err.col != col ||
        strncmp(err.msg, want_prefix, strlen(want_prefix)) != 0 || strstr(err.msg, substr) == NULL) {
        print_message("case %.60s\n  rc=%d got \"%s\" (line %u col %u)\n  want %s...%s\n", text,
                      rc, err.msg, err.line, err.col, want_prefix, substr);
        fail();
    }
}

static void test_bad_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++)
        check_bad(bad_cases[i].text, strlen(bad_cases[i].text), bad_cases[i].line,
                  bad_cases[i].col, bad_cases[i].substr);
}

static void test_limits(void **state)
{
    (void)state;
    char *buf = malloc(DPS_CONFIG_FILE_MAX + 64);
    assert_non_null(buf);

    /* NUL byte mid-key */
    static const char with_nul[] = "sflow {\n  pol\0ling = 1 }";
    check_bad(with_nul, sizeof with_nul - 1, 2, 6, "NUL byte");

    /* a line of exactly 4096 bytes is fine, 4097 is not */
    size_t n = (size_t)sprintf(buf, "sflow { polling = 1 }");
    memset(buf + n, ' ', 4096 - n);
    buf[4096] = '\n';
    assert_int_equal(dps_config_parse_buffer(&cfg, "t.conf", buf, 4097, &(struct dps_config_error){0}), 0);
    buf[4096] = ' ';
    buf[4097] = '\n';
    check_bad(buf, 4098, 1, 4097, "line longer than 4096 bytes");

    /* 1 MiB of comments is accepted, one byte more is not */
    memset(buf, '\n', DPS_CONFIG_FILE_MAX + 1);
    buf[0] = '#';
    dps_config_init(&cfg);
    struct dps_config_error err;
    assert_int_equal(dps_config_parse_buffer(&cfg, "t.conf", buf, DPS_CONFIG_FILE_MAX, &err), 0);
    check_bad(buf, DPS_CONFIG_FILE_MAX + 1, 1, 1, "file larger than 1048576 bytes");

    /* 8 collectors fit, the 9th is reported at its own line */
    size_t len = (size_t)sprintf(buf, "sflow {\n");
    for (int i = 1; i <= 9; i++)
        len += (size_t)sprintf(buf + len, " collector { ip = 10.0.0.%d }\n", i);
    sprintf(buf + len, "}\n");
    check_bad(buf, strlen(buf), 10, 2, "too many collectors (max 8)");
    buf[len - strlen(" collector { ip = 10.0.0.9 }\n")] = '\0';
    strcat(buf, "}\n");
    assert_int_equal(parse_ok(buf), 0);
    assert_int_equal(cfg.n_collectors, 8);

    /* 64 ports fit, the 65th does not */
    len = (size_t)sprintf(buf, "dpdk {\n");
    for (int i = 0; i < 65; i++)
        len += (size_t)sprintf(buf + len, " port { name = net_null%d }\n", i);
    sprintf(buf + len, "}\n");
    check_bad(buf, strlen(buf), 66, 2, "too many ports (max 64)");
    buf[len - strlen(" port { name = net_null64 }\n")] = '\0';
    strcat(buf, "}\n");
    assert_int_equal(parse_ok(buf), 0);
    assert_int_equal(cfg.n_ports, 64);

    /* 17 sampling.<speed> entries: the 17th is refused */
    len = (size_t)sprintf(buf, "sflow {\n");
    for (int i = 1; i <= 17; i++)
        len += (size_t)sprintf(buf + len, " sampling.%dM = %d\n", i, i);
    sprintf(buf + len, "}\n");
    check_bad(buf, strlen(buf), 18, 2, "too many sampling.<speed> settings (max 16)");

    /* a long unknown key is truncated in the message, position still exact */
    len = (size_t)sprintf(buf, "sflow {\n  ");
    memset(buf + len, 'k', 3000);
    sprintf(buf + len + 3000, " = 1 }");
    check_bad(buf, strlen(buf), 2, 3, "...' in sflow { }");

    /* a port name longer than 511 bytes */
    len = (size_t)sprintf(buf, "dpdk { port { name = ");
    memset(buf + len, 'n', 600);
    sprintf(buf + len + 600, " } }");
    check_bad(buf, strlen(buf), 1, 22, "longer than 511 bytes");
    free(buf);
}

static void test_parse_file_errors(void **state)
{
    (void)state;
    struct dps_config_error err;
    dps_config_init(&cfg);
    assert_int_equal(dps_config_parse_file(&cfg, "/nonexistent/dpsflow.conf", &err), -1);
    assert_non_null(strstr(err.msg, "/nonexistent/dpsflow.conf: cannot open"));
    assert_int_equal(dps_config_parse_file(&cfg, CONFIG_SRC_DIR, &err), -1);
    assert_non_null(strstr(err.msg, "read error"));
}

/* Every *.conf shipped in config/ must parse and finalize; a few settings per file prove the
 * parse saw the file's content. */
static void test_examples(void **state)
{
    (void)state;
    DIR *dir = opendir(CONFIG_SRC_DIR);
    assert_non_null(dir);
    struct dirent *de;
    int n_conf = 0;
    while ((de = readdir(dir)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n < 6 || strcmp(de->d_name + n - 5, ".conf") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", CONFIG_SRC_DIR, de->d_name);
        struct dps_config_error err;
        dps_config_init(&cfg);
        if (dps_config_parse_file(&cfg, path, &err) != 0 || dps_config_finalize(&cfg, &err) != 0) {
            print_message("%s\n", err.msg);
            fail();
        }
        n_conf++;
    }
    closedir(dir);
    assert_int_equal(n_conf, 8);

    /* the representor example: three ports forwarding through the PF, offload per port */
    struct dps_config_error rerr;
    dps_config_init(&cfg);
    assert_int_equal(dps_config_parse_file(&cfg, CONFIG_SRC_DIR "/mlx5-representors.conf", &rerr), 0);
    assert_int_equal(dps_config_finalize(&cfg, &rerr), 0);
    assert_int_equal(cfg.n_ports, 3);
    assert_int_equal(cfg.ports[0].offload, DPS_OFFLOAD_AUTO);
    assert_int_equal(cfg.ports[0].forward_port, 2);
    assert_int_equal(cfg.ports[2].offload, DPS_OFFLOAD_OFF);
    assert_int_equal(cfg.ports[2].forward_port, 0);

    struct dps_config_error err;
    dps_config_init(&cfg);
    assert_int_equal(dps_config_parse_file(&cfg, CONFIG_SRC_DIR "/demo.conf", &err), 0);
    assert_int_equal(dps_config_finalize(&cfg, &err), 0);
    assert_int_equal(cfg.n_ports, 2);
    assert_non_null(strstr(cfg.ports[0].name, "net_pcap0,"));
    assert_non_null(strstr(cfg.ports[0].name, "rx_pcap=build/pcaps/demo_mix.pcap"));
    assert_non_null(strstr(cfg.ports[1].name, "infinite_rx=1"));
    assert_int_equal(cfg.sampling, 4096);
    assert_int_equal(cfg.polling_s, 2);
    assert_int_equal(cfg.n_collectors, 1);
    struct dps_addr lo;
    addr4(&lo, 127, 0, 0, 1);
    assert_memory_equal(&cfg.collectors[0].addr, &lo, sizeof lo);
    assert_int_equal(cfg.collectors[0].udp_port, 6343);

    dps_config_init(&cfg);
    assert_int_equal(dps_config_parse_file(&cfg, CONFIG_SRC_DIR "/openstack-ovs-dpdk.conf", &err), 0);
    assert_true(cfg.has_ovs);
    assert_true(cfg.has_agent_cidr);
    assert_int_equal(cfg.n_ovs_bridges, 2);
    assert_string_equal(cfg.ovs_bridges[0], "br-int");
    assert_true(cfg.n_ovs_rings >= 1);
    assert_true(cfg.n_collectors >= 2);
    assert_false(cfg.collectors[1].tunnel_records);
    assert_true(cfg.has_polling && cfg.has_header_bytes && cfg.has_sub_agent_id);

    /* OVSDB only: nothing set, everything follows the sFlow row (see README) */
    dps_config_init(&cfg);
    assert_int_equal(dps_config_parse_file(&cfg, CONFIG_SRC_DIR "/ovsdb-only.conf", &err), 0);
    assert_int_equal(dps_config_finalize(&cfg, &err), 0);
    assert_true(cfg.has_ovs);
    assert_int_equal(cfg.n_ovs_rings, 0);
    assert_string_equal(cfg.ovs_db, "unix:/var/run/openvswitch/db.sock");
    assert_false(cfg.has_polling || cfg.has_header_bytes || cfg.has_sub_agent_id);
    assert_int_equal(cfg.n_collectors, 0);

    dps_config_init(&cfg);
    assert_int_equal(dps_config_parse_file(&cfg, CONFIG_SRC_DIR "/sriov-monitor-vf.conf", &err), 0);
    assert_int_equal(dps_config_finalize(&cfg, &err), 0);
    assert_string_equal(cfg.ports[0].name, "0000:3b:02.0");
    assert_int_equal(cfg.ports[0].mode, DPS_MODE_MONITOR);

    dps_config_init(&cfg);
    assert_int_equal(dps_config_parse_file(&cfg, CONFIG_SRC_DIR "/lab-forward.conf", &err), 0);
    assert_int_equal(dps_config_finalize(&cfg, &err), 0);
    assert_int_equal(cfg.n_ports, 2);
    assert_int_equal(cfg.ports[0].mode, DPS_MODE_FORWARD);
    assert_int_equal(cfg.ports[0].forward_port, 1);
    assert_int_equal(cfg.ports[1].forward_port, 0);
    assert_true(cfg.ports[0].rxq > cfg.ports[0].n_lcores);
    assert_int_equal(cfg.ports[0].n_lcores, 2);
}

int main(void)
{
    /* cmocka 1.1.5 prints its pass/fail summary on stderr; the suite logs read stdout. */
    dup2(STDOUT_FILENO, STDERR_FILENO);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_brief_example),
        cmocka_unit_test(test_lexical_forms),
        cmocka_unit_test(test_all_keys),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_parse_file_errors),
        cmocka_unit_test(test_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
