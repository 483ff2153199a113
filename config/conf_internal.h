/* Internal to config/: the lexer, the parse context and the value parsers the block schemas
 * share. Not installed; the public API is dps_config.h. */
#ifndef DPS_CONF_INTERNAL_H
#define DPS_CONF_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dps_config.h"

/* ---- lexer (conf_lexer.c) ---- */

enum conf_tok_kind {
    TOK_EOF,
    TOK_WORD,     /* key, or bare value */
    TOK_STRING,   /* "quoted" value, escapes resolved */
    TOK_LBRACE,
    TOK_RBRACE,
    TOK_EQUALS,
    TOK_ERROR,    /* text holds the message, line/col the position */
};

struct conf_token {
    enum conf_tok_kind kind;
    unsigned line, col;
    size_t len;
    char text[DPS_CONFIG_LINE_MAX + 1];  /* a token never spans lines */
};

struct conf_lexer {
    const char *buf;
    size_t len, pos;
    unsigned line, col;
};

/* Checks the whole text first (size, NUL bytes, control characters, line length) so the
 * token readers can rely on it. Returns 0, or -1 with an error token in *err. */
int conf_lexer_init(struct conf_lexer *lx, const char *buf, size_t len, struct conf_token *err);
/* Where a key, '{', '}' or '=' may stand: skips blanks, newlines and comments. */
void conf_lex_key(struct conf_lexer *lx, struct conf_token *tok);
/* After '=': the value must start on the same line (bare word or quoted string). */
void conf_lex_value(struct conf_lexer *lx, struct conf_token *tok);

/* ---- parse context and generic block parser (conf_parser.c) ---- */

struct conf_ctx;

enum conf_key_kind {
    KEY_VALUE,        /* key = value */
    KEY_BLOCK,        /* key { ... } */
    KEY_UNSUPPORTED,  /* an hsflowd setting dpsflow rejects by name */
};

struct conf_key_spec {
    const char *key;
    enum conf_key_kind kind;
    bool repeatable;   /* false: a second occurrence in the same block is an error */
    bool prefix;       /* key matches "key<anything>" (sampling.<speed>) */
    int (*on_value)(struct conf_ctx *c, const struct conf_token *key, const struct conf_token *val);
    int (*on_block)(struct conf_ctx *c, const struct conf_token *key);
};

struct conf_block_spec {
    const char *name;              /* for messages: "sflow", "collector", ... */
    const struct conf_key_spec *keys;
    size_t n_keys;
};

/* Per-port positions kept for the checks that run when the file ends. */
struct conf_port_pos {
    unsigned block_line, block_col;
    unsigned forward_line, forward_col;
    unsigned ifindex_line, ifindex_col;
    char forward_name[DPS_CONFIG_PORT_NAME_MAX];
};

struct conf_ctx {
    struct dps_config *cfg;
    const char *filename;
    struct dps_config_error *err;
    struct conf_lexer lx;
    struct dps_collector *cur_collector;
    struct dps_port_config *cur_port;
    struct conf_port_pos *cur_port_pos;
    unsigned exporter_line, exporter_col;
    struct conf_port_pos port_pos[DPS_CONFIG_MAX_PORTS];
};

/* Formats "file:line:col: message" into c->err; always returns -1. */
int conf_error_at(struct conf_ctx *c, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int conf_error_tok(struct conf_ctx *c, const struct conf_token *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Parses `{ items }` after the opening brace, with `open` the token naming the block. */
int conf_parse_block_body(struct conf_ctx *c, const struct conf_block_spec *spec,
                          const struct conf_token *open);

/* ---- block schemas (conf_schema_*.c) ---- */
extern const struct conf_block_spec conf_sflow_block;
extern const struct conf_block_spec conf_dpdk_block;
extern const struct conf_block_spec conf_ovs_block;
/* Cross-checks of the dpdk block that need every port (forward peers, ifindex, lcores). */
int conf_dpdk_check(struct conf_ctx *c);

/* ---- value parsers (conf_values.c) ---- */

/* Decimal only, no sign, no trailing garbage, no overflow; then lo <= v <= hi. */
int conf_parse_u64(const char *text, uint64_t lo, uint64_t hi, uint64_t *out);
int conf_parse_bool(const char *text, bool *out);
int conf_parse_cidr(const char *text, struct dps_cidr *out);
bool conf_is_ifname(const char *text);
/* Value parsers reporting at the value token: */
int conf_value_u32(struct conf_ctx *c, const struct conf_token *key, const struct conf_token *val,
                   uint32_t lo, uint32_t hi, uint32_t *out);
int conf_value_addr(struct conf_ctx *c, const struct conf_token *key,
                    const struct conf_token *val, struct dps_addr *out);
int conf_value_copy(struct conf_ctx *c, const struct conf_token *key,
                    const struct conf_token *val, char *dst, size_t dst_size);

/* snprintf into a growing buffer (conf_format.c, also used for messages). */
struct conf_out {
    char *buf;
    size_t size, len;
};
void conf_out_printf(struct conf_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void conf_format_addr(const struct dps_addr *a, char *buf, size_t size);

#endif
