/* dps_config: dpsflow's configuration — the hsflowd.conf-style file, the command line after
 * DPDK's `--`, and the rules that combine them into one validated, fixed-size struct.
 *
 * Plain C, no DPDK: the agent calls dps_config_from_args() once at start-up and
 * dps_config_reload() on SIGHUP. Nothing here prints or exits; every failure comes back as a
 * status plus a message ("file:line:col: message" for file errors, 1-based).
 */
#ifndef DPS_CONFIG_H
#define DPS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DPS_CONFIG_MAX_COLLECTORS 8
#define DPS_CONFIG_MAX_PORTS 64
#define DPS_CONFIG_MAX_SPEED_RATES 16    /* sampling.<speed> entries */
#define DPS_CONFIG_MAX_PORT_LCORES 16
#define DPS_CONFIG_MAX_OVS_RINGS 32
#define DPS_CONFIG_MAX_OVS_BRIDGES 16
#define DPS_CONFIG_PORT_NAME_MAX 512     /* devargs strings carry pcap paths */
#define DPS_CONFIG_PATH_MAX 256
#define DPS_CONFIG_IFNAME_MAX 16         /* IFNAMSIZ, including the NUL */
#define DPS_CONFIG_FILE_MAX (1u << 20)   /* larger files are rejected, not truncated */
#define DPS_CONFIG_LINE_MAX 4096
#define DPS_CONFIG_MAX_LCORE 1023        /* lcore ids accepted in the file */

#define DPS_CONFIG_DEFAULT_POLLING_S 20
#define DPS_CONFIG_DEFAULT_HEADER_BYTES 128
#define DPS_CONFIG_DEFAULT_DATAGRAM_BYTES 1400
#define DPS_CONFIG_DEFAULT_DATAGRAM_TIMEOUT_MS 250
#define DPS_CONFIG_DEFAULT_RING_SIZE 4096
#define DPS_CONFIG_DEFAULT_UDP_PORT 6343
#define DPS_CONFIG_MIN_DEFAULT_SAMPLING 100  /* hsflowd: ifSpeed/1e6, at least 100 */

/* An IPv4 or IPv6 address in network byte order; family 0 = not set. */
struct dps_addr {
    uint8_t family;      /* 4, 6 or 0 */
    uint8_t bytes[16];   /* IPv4 uses the first 4 */
};

struct dps_cidr {
    struct dps_addr addr;
    uint8_t prefix_len;
};

struct dps_collector {
    struct dps_addr addr;
    uint16_t udp_port;
    bool tunnel_records;  /* false: omit records 1021-1030 (Wireshark 4.0, nfdump) */
};

enum dps_port_mode { DPS_MODE_UNSET = 0, DPS_MODE_MONITOR, DPS_MODE_FORWARD };
enum dps_offload { DPS_OFFLOAD_AUTO = 0, DPS_OFFLOAD_ON, DPS_OFFLOAD_OFF };

struct dps_port_config {
    char name[DPS_CONFIG_PORT_NAME_MAX];  /* ethdev name or devargs string */
    uint32_t ifindex;           /* 0 = not configured: the agent derives a stable one */
    bool has_sampling;
    uint32_t sampling;          /* per-port 1-in-N, wins over the sflow block's rules */
    enum dps_port_mode mode;    /* never UNSET after a successful load */
    int forward_port;           /* index of the peer in ports[], -1 = none */
    uint16_t rxq;               /* number of rx queues, >= 1 after a successful load */
    uint16_t n_lcores;          /* 0 = the agent places the queues */
    uint16_t lcores[DPS_CONFIG_MAX_PORT_LCORES];
    enum dps_offload offload;
    uint64_t speed_bps;         /* 0 = take the link speed */
};

struct dps_speed_sampling {
    uint64_t speed_bps;
    uint32_t sampling;
};

/* Which settings the command line set; they survive a SIGHUP reload. */
enum dps_cli_field {
    DPS_CLI_COLLECTORS = 1u << 0,
    DPS_CLI_NO_TUNNEL_RECORDS = 1u << 1,
    DPS_CLI_SAMPLING = 1u << 2,
    DPS_CLI_POLLING = 1u << 3,
    DPS_CLI_HEADER_BYTES = 1u << 4,
    DPS_CLI_DATAGRAM_BYTES = 1u << 5,
    DPS_CLI_AGENT_IP = 1u << 6,
    DPS_CLI_SUB_AGENT_ID = 1u << 7,
    DPS_CLI_MODE = 1u << 8,
    DPS_CLI_OFFLOAD = 1u << 9,
    DPS_CLI_PORTS = 1u << 10,
};

struct dps_cli_overrides {
    uint32_t set;  /* enum dps_cli_field bits */
    struct dps_collector collectors[DPS_CONFIG_MAX_COLLECTORS];
    unsigned n_collectors;
    uint32_t sampling, polling_s, header_bytes, datagram_bytes, sub_agent_id;
    struct dps_addr agent_ip;
    enum dps_port_mode mode;
    enum dps_offload offload;
    unsigned n_ports;
    char ports[DPS_CONFIG_MAX_PORTS][DPS_CONFIG_PORT_NAME_MAX];
};

/* Options that exist only on the command line (not in the file, not reloaded). */
struct dps_runtime_options {
    char config_path[DPS_CONFIG_PATH_MAX];  /* "" = no file */
    uint32_t duration_s;      /* 0 = run until signalled */
    uint32_t stats_period_s;  /* 0 = no live view */
    bool print_samples;
    bool print_config;
    bool probe_offload;
};

struct dps_config {
    /* sflow { } */
    char agent_ifname[DPS_CONFIG_IFNAME_MAX];  /* `agent = eth0`; "" = not set */
    struct dps_addr agent_ip;                  /* `agent = 10.0.0.1`; wins over agent.cidr */
    bool has_agent_cidr;
    struct dps_cidr agent_cidr;
    uint32_t polling_s;        /* 0 = counter polling off */
    /* polling / headerBytes given in the file or on the command line: with ovs { db }, what
     * is not given follows the bridge's sFlow row in OVSDB */
    bool has_polling, has_header_bytes, has_sub_agent_id;
    bool has_sampling;
    uint32_t sampling;         /* 0 = off */
    unsigned n_speed_sampling;
    struct dps_speed_sampling speed_sampling[DPS_CONFIG_MAX_SPEED_RATES];
    uint32_t header_bytes;
    uint32_t datagram_bytes;
    uint32_t sub_agent_id;
    uint32_t datagram_timeout_ms;
    unsigned n_collectors;
    struct dps_collector collectors[DPS_CONFIG_MAX_COLLECTORS];

    /* dpdk { } */
    uint32_t ring_size;        /* records per worker ring, power of two */
    bool has_exporter_lcore;
    uint32_t exporter_lcore;
    unsigned n_ports;
    struct dps_port_config ports[DPS_CONFIG_MAX_PORTS];

    /* ovs { } */
    bool has_ovs;
    unsigned n_ovs_rings;
    char ovs_rings[DPS_CONFIG_MAX_OVS_RINGS][DPS_CONFIG_PATH_MAX];  /* files or directories */
    unsigned n_ovs_bridges;
    char ovs_bridges[DPS_CONFIG_MAX_OVS_BRIDGES][DPS_CONFIG_IFNAME_MAX];
    char ovs_db[DPS_CONFIG_PATH_MAX];  /* "" = not set */

    struct dps_runtime_options run;
    struct dps_cli_overrides cli;
};

struct dps_config_error {
    unsigned line, col;  /* 1-based position in the file; 0 when not tied to one */
    char msg[640];       /* complete message, e.g. "a.conf:3:12: unknown key 'x' in sflow { }" */
};

/* --- building a configuration ------------------------------------------------------------- */

/* Defaults of BRIEF §2 and no ports, collectors or overrides. */
void dps_config_init(struct dps_config *cfg);

/* Parses a file's text into cfg (start from dps_config_init). `filename` only labels messages.
 * Returns 0, or -1 with err filled (cfg then holds a partial result: discard it). */
int dps_config_parse_buffer(struct dps_config *cfg, const char *filename, const char *text,
                            size_t len, struct dps_config_error *err);
int dps_config_parse_file(struct dps_config *cfg, const char *path, struct dps_config_error *err);

/* Applies cfg->cli on top of what the file set and resolves port modes and peers (a port in
 * forward mode without `forward =` is paired with the next such port, in order). Returns 0 or
 * -1 with err. Called by dps_config_from_args and dps_config_reload. */
int dps_config_finalize(struct dps_config *cfg, struct dps_config_error *err);

enum dps_cli_status { DPS_CLI_OK = 0, DPS_CLI_HELP, DPS_CLI_VERSION, DPS_CLI_ERROR };

/* Parses the options after DPDK's `--` (argv[0] is the program name, as rte_eal_init leaves
 * it), loads -f FILE if given, applies the overrides and finalizes. Never prints or exits:
 * HELP/VERSION ask the caller to print dps_config_usage()/its version, ERROR carries err (the
 * agent exits 2). argv is not permuted. Safe to call repeatedly (getopt state is reset). */
enum dps_cli_status dps_config_from_args(struct dps_config *cfg, int argc, char **argv,
                                         struct dps_config_error *err);
const char *dps_config_usage(void);

/* --- SIGHUP ---------------------------------------------------------------------------------- */

enum dps_reload_change {
    DPS_RELOAD_SAMPLING = 1u << 0,      /* any sampling rule or per-port sampling */
    DPS_RELOAD_POLLING = 1u << 1,
    DPS_RELOAD_COLLECTORS = 1u << 2,
    DPS_RELOAD_HEADER_BYTES = 1u << 3,
    DPS_RELOAD_DATAGRAM = 1u << 4,      /* datagramBytes or datagramTimeoutMs */
    DPS_RELOAD_AGENT = 1u << 5,         /* agent address/interface/cidr or subAgentId */
    DPS_RELOAD_IGNORED = 1u << 6,       /* ports, dpdk or ovs changed: kept as running, need a restart */
};

/* Re-reads running->run.config_path, applies the stored command-line overrides, and writes the
 * configuration to use into *next: reloadable settings from the file, ports/dpdk/ovs/runtime
 * options kept from `running` (per-port sampling and speed of ports with the same name are
 * taken from the file). *changed gets enum dps_reload_change bits. On error (-1) *next is
 * untouched and the running configuration stays valid. next may not alias running. */
int dps_config_reload(const struct dps_config *running, struct dps_config *next,
                      uint32_t *changed, struct dps_config_error *err);

/* --- using a configuration ----------------------------------------------------------------- */

/* 1-in-N for ports[port_idx] whose link runs at speed_bps (0 = link down). Precedence:
 * --sampling, the port's `sampling`, `sampling.<speed>` matching the speed (the port's
 * configured `speed` wins over the link's), the sflow block's `sampling`, then hsflowd's
 * default rule: speed/1e6, at least 100, 0 (off) when the link is down. */
uint32_t dps_config_port_sampling(const struct dps_config *cfg, unsigned port_idx,
                                  uint64_t speed_bps);

/* Writes the effective configuration in the file grammar (it parses back to the same
 * settings), runtime options as comments. snprintf semantics: returns the length the full
 * text needs; output is truncated but NUL-terminated when size is too small. */
size_t dps_config_format(const struct dps_config *cfg, char *buf, size_t size);

/* Parsing helpers shared with the agent. Return 0 or -1. */
int dps_config_parse_addr(const char *text, struct dps_addr *out);
int dps_config_parse_speed(const char *text, uint64_t *bps);  /* "10G", "100M", "1500000" */
/* "10.0.0.1", "10.0.0.1:6344", "::1", "[::1]:6344" → collector with tunnel records on */
int dps_config_parse_collector(const char *text, struct dps_collector *out);
const char *dps_config_mode_name(enum dps_port_mode mode);
const char *dps_config_offload_name(enum dps_offload offload);

#endif
