/* Numbers, booleans, speeds, addresses and CIDRs: strict, overflow-free, whole-string parses. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "conf_internal.h"

int conf_parse_u64(const char *text, uint64_t lo, uint64_t hi, uint64_t *out)
{
    uint64_t v = 0;
    if (text[0] == '\0')
        return -1;
    for (const char *p = text; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        unsigned digit = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - digit) / 10)
            return -1;
        v = v * 10 + digit;
    }
    if (v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int conf_parse_bool(const char *text, bool *out)
{
    static const char *const yes[] = {"on", "yes", "true"};
    static const char *const no[] = {"off", "no", "false"};
    for (size_t i = 0; i < 3; i++) {
        if (strcmp(text, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcmp(text, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

int dps_config_parse_speed(const char *text, uint64_t *bps)
{
    char digits[24];
    size_t n = strlen(text);
    uint64_t mult = 1;
    if (n == 0 || n >= sizeof digits)
        return -1;
    switch (text[n - 1]) {
    case 'K': case 'k': mult = UINT64_C(1000); n--; break;
    case 'M': case 'm': mult = UINT64_C(1000000); n--; break;
    case 'G': case 'g': mult = UINT64_C(1000000000); n--; break;
    case 'T': case 't': mult = UINT64_C(1000000000000); n--; break;
    default: break;
    }
    memcpy(digits, text, n);
    digits[n] = '\0';
    uint64_t v;
    /* Up to 10 Tb/s: beyond any NIC, and the product cannot overflow. */
    if (conf_parse_u64(digits, 1, UINT64_C(10000000000000) / mult, &v) != 0)
        return -1;
    *bps = v * mult;
    return 0;
}

int dps_config_parse_addr(const char *text, struct dps_addr *out)
{
    struct dps_addr a;
    memset(&a, 0, sizeof a);
    if (strlen(text) >= 64)
        return -1;
    if (inet_pton(AF_INET, text, a.bytes) == 1)
        a.family = 4;
    else if (inet_pton(AF_INET6, text, a.bytes) == 1)
        a.family = 6;
    else
        return -1;
    *out = a;
    return 0;
}

int conf_parse_cidr(const char *text, struct dps_cidr *out)
{
    char addr[64];
    const char *slash = strchr(text, '/');
    if (slash == NULL || (size_t)(slash - text) >= sizeof addr)
        return -1;
    memcpy(addr, text, (size_t)(slash - text));
    addr[slash - text] = '\0';
    struct dps_cidr r;
    if (dps_config_parse_addr(addr, &r.addr) != 0)
        return -1;
    uint64_t plen;
    if (conf_parse_u64(slash + 1, 0, r.addr.family == 4 ? 32 : 128, &plen) != 0)
        return -1;
    r.prefix_len = (uint8_t)plen;
    *out = r;
    return 0;
}

int dps_config_parse_collector(const char *text, struct dps_collector *out)
{
    char host[64];
    const char *port = NULL;
    size_t host_len;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (close == NULL)
            return -1;
        host_len = (size_t)(close - text - 1);
        if (host_len >= sizeof host)
            return -1;
        memcpy(host, text + 1, host_len);
        host[host_len] = '\0';
        if (close[1] == ':')
            port = close + 2;
        else if (close[1] != '\0')
            return -1;
    } else {
        const char *colon = strchr(text, ':');
        /* One colon: v4:port. More: a bare IPv6 address without a port. */
        if (colon != NULL && strchr(colon + 1, ':') == NULL) {
            host_len = (size_t)(colon - text);
            port = colon + 1;
        } else {
            host_len = strlen(text);
        }
        if (host_len >= sizeof host)
            return -1;
        memcpy(host, text, host_len);
        host[host_len] = '\0';
    }
    struct dps_collector col = {.udp_port = DPS_CONFIG_DEFAULT_UDP_PORT, .tunnel_records = true};
    if (dps_config_parse_addr(host, &col.addr) != 0)
        return -1;
    if (text[0] == '[' && col.addr.family != 6)
        return -1;
    if (port != NULL) {
        uint64_t p;
        if (conf_parse_u64(port, 1, 65535, &p) != 0)
            return -1;
        col.udp_port = (uint16_t)p;
    }
    *out = col;
    return 0;
}

bool conf_is_ifname(const char *text)
{
    size_t n = strlen(text);
    if (n == 0 || n >= DPS_CONFIG_IFNAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch <= ' ' || ch >= 0x7f || ch == '/' || ch == ':' || ch == '"' || ch == '\\')
            return false;
    }
    return strcmp(text, ".") != 0 && strcmp(text, "..") != 0;
}

void conf_format_addr(const struct dps_addr *a, char *buf, size_t size)
{
    char tmp[INET6_ADDRSTRLEN];
    if (a->family == 4 && inet_ntop(AF_INET, a->bytes, tmp, sizeof tmp) != NULL)
        snprintf(buf, size, "%s", tmp);
    else if (a->family == 6 && inet_ntop(AF_INET6, a->bytes, tmp, sizeof tmp) != NULL)
        snprintf(buf, size, "%s", tmp);
    else
        snprintf(buf, size, "unset");
}

/* Values are echoed in messages truncated, so a 4 KiB value cannot drown the position. */
#define VAL_FMT "%.80s%s"
#define VAL_ARGS(v) (v)->text, (v)->len > 80 ? "..." : ""

int conf_value_u32(struct conf_ctx *c, const struct conf_token *key, const struct conf_token *val,
                   uint32_t lo, uint32_t hi, uint32_t *out)
{
    uint64_t v;
    if (conf_parse_u64(val->text, lo, hi, &v) != 0)
        return conf_error_tok(c, val, "bad number '" VAL_FMT "' for '%.64s' (expected %u..%u)",
                              VAL_ARGS(val), key->text, lo, hi);
    *out = (uint32_t)v;
    return 0;
}

int conf_value_addr(struct conf_ctx *c, const struct conf_token *key,
                    const struct conf_token *val, struct dps_addr *out)
{
    if (dps_config_parse_addr(val->text, out) != 0)
        return conf_error_tok(c, val, "bad address '" VAL_FMT "' for '%.64s' (IPv4 or IPv6)",
                              VAL_ARGS(val), key->text);
    return 0;
}

int conf_value_copy(struct conf_ctx *c, const struct conf_token *key,
                    const struct conf_token *val, char *dst, size_t dst_size)
{
    if (val->len == 0)
        return conf_error_tok(c, val, "empty value for '%.64s'", key->text);
    if (val->len >= dst_size)
        return conf_error_tok(c, val, "value for '%.64s' longer than %zu bytes", key->text,
                              dst_size - 1);
    memcpy(dst, val->text, val->len + 1);
    return 0;
}

const char *dps_config_mode_name(enum dps_port_mode mode)
{
    switch (mode) {
    case DPS_MODE_MONITOR: return "monitor";
    case DPS_MODE_FORWARD: return "forward";
    case DPS_MODE_UNSET: break;
    }
    return "unset";
}

const char *dps_config_offload_name(enum dps_offload offload)
{
    switch (offload) {
    case DPS_OFFLOAD_ON: return "on";
    case DPS_OFFLOAD_OFF: return "off";
    case DPS_OFFLOAD_AUTO: break;
    }
    return "auto";
}
