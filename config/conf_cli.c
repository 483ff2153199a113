/* The options after DPDK's `--`. Nothing here prints or exits: the agent owns stdout/stderr
 * and the exit status, tests own everything. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conf_internal.h"

enum {
    OPT_COLLECTOR = 256,
    OPT_NO_TUNNEL_RECORDS,
    OPT_SAMPLING,
    OPT_POLLING,
    OPT_HEADER_BYTES,
    OPT_DATAGRAM_BYTES,
    OPT_AGENT_IP,
    OPT_SUB_AGENT_ID,
    OPT_MODE,
    OPT_OFFLOAD,
    OPT_PROBE_OFFLOAD,
    OPT_DURATION,
    OPT_STATS_PERIOD,
    OPT_PRINT_SAMPLES,
    OPT_PRINT_CONFIG,
    OPT_PORT,
};

static const struct option long_options[] = {
    {"config", required_argument, NULL, 'f'},
    {"collector", required_argument, NULL, OPT_COLLECTOR},
    {"no-tunnel-records", no_argument, NULL, OPT_NO_TUNNEL_RECORDS},
    {"sampling", required_argument, NULL, OPT_SAMPLING},
    {"polling", required_argument, NULL, OPT_POLLING},
    {"header-bytes", required_argument, NULL, OPT_HEADER_BYTES},
    {"datagram-bytes", required_argument, NULL, OPT_DATAGRAM_BYTES},
    {"agent-ip", required_argument, NULL, OPT_AGENT_IP},
    {"sub-agent-id", required_argument, NULL, OPT_SUB_AGENT_ID},
    {"mode", required_argument, NULL, OPT_MODE},
    {"offload", required_argument, NULL, OPT_OFFLOAD},
    {"probe-offload", no_argument, NULL, OPT_PROBE_OFFLOAD},
    {"duration", required_argument, NULL, OPT_DURATION},
    {"stats-period", required_argument, NULL, OPT_STATS_PERIOD},
    {"print-samples", no_argument, NULL, OPT_PRINT_SAMPLES},
    {"print-config", no_argument, NULL, OPT_PRINT_CONFIG},
    {"port", required_argument, NULL, OPT_PORT},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

const char *dps_config_usage(void)
{
    return "usage: dpsflow [EAL options] -- [options]\n"
           "  -f, --config FILE        configuration file (hsflowd.conf grammar + dpdk/ovs blocks)\n"
           "      --collector IP[:PORT] sFlow collector, repeatable; IPv6 as [::1]:6343 or ::1;\n"
           "                           replaces the file's collectors (default port 6343)\n"
           "      --no-tunnel-records  omit records 1021-1030 for every collector\n"
           "      --sampling N         1-in-N on every port (0 = off), overrides the file\n"
           "      --polling SECONDS    counter polling interval (0 = off)\n"
           "      --header-bytes N     sampled header bytes (14..256)\n"
           "      --datagram-bytes N   maximum datagram size (200..65507)\n"
           "      --agent-ip IP        sFlow agent address\n"
           "      --sub-agent-id N     sFlow sub-agent id\n"
           "      --mode monitor|forward  mode of every port (forward pairs ports in order)\n"
           "      --offload auto|on|off   hardware sampling (rte_flow SAMPLE) on every port\n"
           "      --probe-offload      report which ports support hardware sampling, then exit\n"
           "      --duration SECONDS   stop cleanly after this long (0 = run until signalled)\n"
           "      --stats-period SECONDS  one line per port every period (0 = off)\n"
           "      --print-samples      print each exported sample as a JSON line on stdout\n"
           "      --print-config       print the effective configuration\n"
           "      --port DEVARGS       add a port (only without --config), repeatable\n"
           "  -h, --help               this text\n"
           "  -V, --version            version\n";
}

static const char *option_name(int val, char *buf, size_t size)
{
    for (const struct option *o = long_options; o->name != NULL; o++)
        if (o->val == val) {
            snprintf(buf, size, "--%s", o->name);
            return buf;
        }
    snprintf(buf, size, "-%c", val > 0 && val < 127 ? val : '?');
    return buf;
}

static enum dps_cli_status cli_error(struct dps_config_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static enum dps_cli_status cli_error(struct dps_config_error *err, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    err->line = err->col = 0;
    snprintf(err->msg, sizeof err->msg, "%s (see --help)", msg);
    return DPS_CLI_ERROR;
}

/* Names and paths are echoed into --print-config's file-grammar dump and into logs, where a
 * newline or escape sequence would forge lines; real devargs and paths never hold them. */
static bool has_control_char(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
            return true;
    return false;
}

static int number_arg(const char *arg, uint64_t lo, uint64_t hi, uint32_t *out)
{
    uint64_t v;
    if (conf_parse_u64(arg, lo, hi, &v) != 0)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* One option; 0 = consumed, -1 = error already in err. */
static int handle_option(struct dps_config *cfg, int opt, const char *arg,
                         struct dps_config_error *err)
{
    struct dps_cli_overrides *cli = &cfg->cli;
    char name[32];
    struct {
        int opt;
        uint32_t field;
        uint32_t *dst;
        uint64_t lo, hi;
    } const numbers[] = {
        {OPT_SAMPLING, DPS_CLI_SAMPLING, &cli->sampling, 0, 1000000000u},
        {OPT_POLLING, DPS_CLI_POLLING, &cli->polling_s, 0, 86400},
        {OPT_HEADER_BYTES, DPS_CLI_HEADER_BYTES, &cli->header_bytes, 14, 256},
        {OPT_DATAGRAM_BYTES, DPS_CLI_DATAGRAM_BYTES, &cli->datagram_bytes, 200, 65507},
        {OPT_SUB_AGENT_ID, DPS_CLI_SUB_AGENT_ID, &cli->sub_agent_id, 0, UINT32_MAX},
        {OPT_DURATION, 0, &cfg->run.duration_s, 0, UINT32_MAX},
        {OPT_STATS_PERIOD, 0, &cfg->run.stats_period_s, 0, 3600},
    };
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        if (numbers[i].opt != opt)
            continue;
        if (number_arg(arg, numbers[i].lo, numbers[i].hi, numbers[i].dst) != 0) {
            cli_error(err, "%s: bad number '%.80s' (expected %llu..%llu)",
                      option_name(opt, name, sizeof name), arg,
                      (unsigned long long)numbers[i].lo, (unsigned long long)numbers[i].hi);
            return -1;
        }
        cli->set |= numbers[i].field;
        return 0;
    }

    switch (opt) {
    case 'f':
        if (arg[0] == '\0' || strlen(arg) >= sizeof cfg->run.config_path ||
            has_control_char(arg)) {
            cli_error(err, "--config: path empty, longer than %zu bytes or with control "
                      "characters", sizeof cfg->run.config_path - 1);
            return -1;
        }
        snprintf(cfg->run.config_path, sizeof cfg->run.config_path, "%s", arg);
        return 0;
    case OPT_COLLECTOR:
        if (cli->n_collectors >= DPS_CONFIG_MAX_COLLECTORS) {
            cli_error(err, "--collector: too many collectors (max %d)",
                      DPS_CONFIG_MAX_COLLECTORS);
            return -1;
        }
        if (dps_config_parse_collector(arg, &cli->collectors[cli->n_collectors]) != 0) {
            cli_error(err, "--collector: bad collector '%.80s' (IP[:PORT], [IPv6]:PORT)", arg);
            return -1;
        }
        cli->n_collectors++;
        cli->set |= DPS_CLI_COLLECTORS;
        return 0;
    case OPT_NO_TUNNEL_RECORDS:
        cli->set |= DPS_CLI_NO_TUNNEL_RECORDS;
        return 0;
    case OPT_AGENT_IP:
        if (dps_config_parse_addr(arg, &cli->agent_ip) != 0) {
            cli_error(err, "--agent-ip: bad address '%.80s'", arg);
            return -1;
        }
        cli->set |= DPS_CLI_AGENT_IP;
        return 0;
    case OPT_MODE:
        if (strcmp(arg, "monitor") == 0)
            cli->mode = DPS_MODE_MONITOR;
        else if (strcmp(arg, "forward") == 0)
            cli->mode = DPS_MODE_FORWARD;
        else {
            cli_error(err, "--mode: bad value '%.80s' (monitor or forward)", arg);
            return -1;
        }
        cli->set |= DPS_CLI_MODE;
        return 0;
    case OPT_OFFLOAD:
        if (strcmp(arg, "auto") == 0)
            cli->offload = DPS_OFFLOAD_AUTO;
        else if (strcmp(arg, "on") == 0)
            cli->offload = DPS_OFFLOAD_ON;
        else if (strcmp(arg, "off") == 0)
            cli->offload = DPS_OFFLOAD_OFF;
        else {
            cli_error(err, "--offload: bad value '%.80s' (auto, on or off)", arg);
            return -1;
        }
        cli->set |= DPS_CLI_OFFLOAD;
        return 0;
    case OPT_PROBE_OFFLOAD:
        cfg->run.probe_offload = true;
        return 0;
    case OPT_PRINT_SAMPLES:
        cfg->run.print_samples = true;
        return 0;
    case OPT_PRINT_CONFIG:
        cfg->run.print_config = true;
        return 0;
    case OPT_PORT:
        if (cli->n_ports >= DPS_CONFIG_MAX_PORTS) {
            cli_error(err, "--port: too many ports (max %d)", DPS_CONFIG_MAX_PORTS);
            return -1;
        }
        if (arg[0] == '\0' || strlen(arg) >= DPS_CONFIG_PORT_NAME_MAX || has_control_char(arg)) {
            cli_error(err, "--port: devargs empty, longer than %d bytes or with control "
                      "characters", DPS_CONFIG_PORT_NAME_MAX - 1);
            return -1;
        }
        snprintf(cli->ports[cli->n_ports++], DPS_CONFIG_PORT_NAME_MAX, "%s", arg);
        cli->set |= DPS_CLI_PORTS;
        return 0;
    default:
        cli_error(err, "internal: unhandled option %d", opt);
        return -1;
    }
}

enum dps_cli_status dps_config_from_args(struct dps_config *cfg, int argc, char **argv,
                                         struct dps_config_error *err)
{
    dps_config_init(cfg);
    err->line = err->col = 0;
    err->msg[0] = '\0';

    /* glibc: optind = 0 re-initialises getopt completely (also its internal scan state), so
     * the agent's second call and every test case start clean. '+' stops at the first
     * non-option and never permutes argv; ':' reports missing arguments as ':'. */
    optind = 0;
    opterr = 0;
    char name[32];
    for (;;) {
        int opt = getopt_long(argc, argv, "+:f:hV", long_options, NULL);
        if (opt == -1)
            break;
        if (opt == 'h')
            return DPS_CLI_HELP;
        if (opt == 'V')
            return DPS_CLI_VERSION;
        if (opt == ':')
            return cli_error(err, "%s needs a value", option_name(optopt, name, sizeof name));
        if (opt == '?') {
            if (optopt != 0)
                return cli_error(err, "unknown option '-%c'", optopt > 32 && optopt < 127 ? optopt : '?');
            const char *bad = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
            return cli_error(err, "unknown or ambiguous option '%.80s'", bad);
        }
        if (handle_option(cfg, opt, optarg, err) != 0)
            return DPS_CLI_ERROR;
    }
    if (optind < argc)
        return cli_error(err, "unexpected argument '%.80s'", argv[optind]);
    if ((cfg->cli.set & DPS_CLI_PORTS) && cfg->run.config_path[0] != '\0')
        return cli_error(err, "--port cannot be combined with --config (declare the ports in "
                         "the file's dpdk { port { ... } } blocks)");
    if (cfg->run.config_path[0] != '\0' &&
        dps_config_parse_file(cfg, cfg->run.config_path, err) != 0)
        return DPS_CLI_ERROR;
    if (dps_config_finalize(cfg, err) != 0)
        return DPS_CLI_ERROR;
    return DPS_CLI_OK;
}
