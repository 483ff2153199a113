/* dps_config_port_sampling: hsflowd's default rule and the precedence of explicit settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dps_config.h"

static struct dps_config cfg;

#define MBPS UINT64_C(1000000)
#define GBPS UINT64_C(1000000000)

static void load(const char *text)
{
    struct dps_config_error err;
    dps_config_init(&cfg);
    if (dps_config_parse_buffer(&cfg, "t.conf", text, strlen(text), &err) != 0) {
        print_message("%s\n", err.msg);
        fail();
    }
}

static void test_default_rule(void **state)
{
    (void)state;
    static const struct {
        uint64_t speed;
        uint32_t want;
    } table[] = {
        {1 * GBPS, 1000},       {10 * GBPS, 10000},   {25 * GBPS, 25000},
        {40 * GBPS, 40000},     {100 * GBPS, 100000}, {100 * MBPS, 100},
        {10 * MBPS, 100},       /* minimum 100 */     {1, 100},
        {0, 0},                 /* link down: off */  {400 * GBPS, 400000},
        {2500 * MBPS, 2500},    {199999999, 199},     /* integer division, not rounding */
    };
    load("dpdk { port { name = a } }");
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        uint32_t got = dps_config_port_sampling(&cfg, 0, table[i].speed);
        if (got != table[i].want) {
            print_message("speed %llu: got %u want %u\n", (unsigned long long)table[i].speed, got,
                          table[i].want);
            fail();
        }
        /* no such port: the same rule */
        assert_int_equal(dps_config_port_sampling(&cfg, 7, table[i].speed), table[i].want);
    }
}

static void test_precedence(void **state)
{
    (void)state;
    /* explicit sampling.10G wins over the default rule, other speeds keep the rule */
    load("sflow { sampling.10G = 333 }\ndpdk { port { name = a } port { name = b sampling = 7 } }");
    assert_int_equal(dps_config_port_sampling(&cfg, 0, 10 * GBPS), 333);
    assert_int_equal(dps_config_port_sampling(&cfg, 0, 25 * GBPS), 25000);
    assert_int_equal(dps_config_port_sampling(&cfg, 0, 0), 0);
    /* per-port wins over everything in the file, whatever the speed, link up or down */
    assert_int_equal(dps_config_port_sampling(&cfg, 1, 10 * GBPS), 7);
    assert_int_equal(dps_config_port_sampling(&cfg, 1, 1 * GBPS), 7);

    /* sflow sampling applies where no speed matches; sampling.<speed> beats it */
    load("sflow { sampling = 400 sampling.10G = 10001 }\n"
         "dpdk { port { name = a } port { name = b sampling = 0 } }");
    assert_int_equal(dps_config_port_sampling(&cfg, 0, 1 * GBPS), 400);
    assert_int_equal(dps_config_port_sampling(&cfg, 0, 10 * GBPS), 10001);
    assert_int_equal(dps_config_port_sampling(&cfg, 0, 100 * MBPS), 400);
    assert_int_equal(dps_config_port_sampling(&cfg, 1, 10 * GBPS), 0); /* per-port 0 = off */
    /* explicit sflow sampling applies even while the link is down (it is not the rule) */
    assert_int_equal(dps_config_port_sampling(&cfg, 0, 0), 400);

    /* sampling = 0 switches sampling off on every port without its own setting */
    load("sflow { sampling = 0 }\ndpdk { port { name = a } }");
    assert_int_equal(dps_config_port_sampling(&cfg, 0, 100 * GBPS), 0);

    /* a configured port speed replaces the reported speed for both the table and the rule */
    load("sflow { sampling.25G = 77 }\n"
         "dpdk { port { name = a speed = 25G } port { name = b speed = 40G } }");
    assert_int_equal(dps_config_port_sampling(&cfg, 0, 10 * GBPS), 77);
    assert_int_equal(dps_config_port_sampling(&cfg, 1, 10 * GBPS), 40000);
    assert_int_equal(dps_config_port_sampling(&cfg, 1, 0), 0); /* down stays down */

    /* --sampling beats the port's own setting */
    load("dpdk { port { name = a sampling = 5 } }");
    cfg.cli.set |= DPS_CLI_SAMPLING;
    cfg.cli.sampling = 2;
    assert_int_equal(dps_config_port_sampling(&cfg, 0, 10 * GBPS), 2);
}

static void test_speed_parser(void **state)
{
    (void)state;
    uint64_t bps;
    assert_int_equal(dps_config_parse_speed("100M", &bps), 0);
    assert_true(bps == 100 * MBPS);
    assert_int_equal(dps_config_parse_speed("10g", &bps), 0);
    assert_true(bps == 10 * GBPS);
    assert_int_equal(dps_config_parse_speed("1500", &bps), 0);
    assert_true(bps == 1500);
    assert_int_equal(dps_config_parse_speed("1T", &bps), 0);
    assert_true(bps == 1000 * GBPS);
    assert_int_equal(dps_config_parse_speed("10T", &bps), 0);
    assert_int_equal(dps_config_parse_speed("11T", &bps), -1);    /* above 10 Tb/s */
    assert_int_equal(dps_config_parse_speed("0", &bps), -1);
    assert_int_equal(dps_config_parse_speed("G", &bps), -1);
    assert_int_equal(dps_config_parse_speed("1.5G", &bps), -1);
    assert_int_equal(dps_config_parse_speed("10GG", &bps), -1);
    assert_int_equal(dps_config_parse_speed("", &bps), -1);
    assert_int_equal(dps_config_parse_speed("99999999999999999999999G", &bps), -1);
}

int main(void)
{
    /* cmocka 1.1.5 prints its pass/fail summary on stderr; the suite logs read stdout. */
    dup2(STDOUT_FILENO, STDERR_FILENO);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_rule),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_speed_parser),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
