/* The file grammar: `name { items }` blocks and `key = value` items, driven by the block
 * schemas. Nesting depth is bounded by the schemas themselves (top → sflow → collector), since
 * an unknown block is an error before its body is read. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_internal.h"

int conf_error_at(struct conf_ctx *c, unsigned line, unsigned col, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->err->line = line;
    c->err->col = col;
    snprintf(c->err->msg, sizeof c->err->msg, "%s:%u:%u: %s", c->filename, line, col, msg);
    return -1;
}

int conf_error_tok(struct conf_ctx *c, const struct conf_token *t, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return conf_error_at(c, t->line, t->col, "%s", msg);
}

static const struct conf_key_spec *find_key(const struct conf_block_spec *spec, const char *key,
                                            size_t *index)
{
    for (size_t i = 0; i < spec->n_keys; i++) {
        const struct conf_key_spec *k = &spec->keys[i];
        size_t klen = strlen(k->key);
        if (k->prefix ? strncmp(key, k->key, klen) == 0 && key[klen] != '\0'
                      : strcmp(key, k->key) == 0) {
            *index = i;
            return k;
        }
    }
    return NULL;
}

/* Short printable copy of a key for messages (keys are [A-Za-z0-9_.-], only length matters). */
static const char *short_key(const struct conf_token *t, char *buf, size_t size)
{
    snprintf(buf, size, "%.64s%s", t->text, t->len > 64 ? "..." : "");
    return buf;
}

static int parse_items(struct conf_ctx *c, const struct conf_block_spec *spec,
                       const struct conf_token *open)
{
    struct conf_token key, tok;
    uint64_t seen = 0;  /* singleton keys already set in this block */
    char kbuf[80];

    for (;;) {
        conf_lex_key(&c->lx, &key);
        switch (key.kind) {
        case TOK_ERROR:
            return conf_error_tok(c, &key, "%s", key.text);
        case TOK_EOF:
            if (open == NULL)
                return 0;
            return conf_error_tok(c, &key, "missing '}' to close '%s' block opened at %u:%u",
                                  spec->name, open->line, open->col);
        case TOK_RBRACE:
            if (open == NULL)
                return conf_error_tok(c, &key, "'}' without a matching '{'");
            return 0;
        case TOK_LBRACE:
            return conf_error_tok(c, &key, "'{' without a block name");
        case TOK_EQUALS:
            return conf_error_tok(c, &key, "'=' without a key");
        case TOK_WORD:
        case TOK_STRING:
            break;
        }

        size_t index = 0;
        const struct conf_key_spec *k = find_key(spec, key.text, &index);
        if (k == NULL) {
            if (open == NULL)
                return conf_error_tok(c, &key, "unknown block '%s' (expected sflow, dpdk or ovs)",
                                      short_key(&key, kbuf, sizeof kbuf));
            return conf_error_tok(c, &key, "unknown key '%s' in %s { }",
                                  short_key(&key, kbuf, sizeof kbuf), spec->name);
        }
        if (k->kind == KEY_UNSUPPORTED)
            return conf_error_tok(c, &key, "'%s' (hsflowd) is not supported by dpsflow",
                                  short_key(&key, kbuf, sizeof kbuf));

        conf_lex_key(&c->lx, &tok);
        if (tok.kind == TOK_ERROR)
            return conf_error_tok(c, &tok, "%s", tok.text);
        if (k->kind == KEY_BLOCK && tok.kind != TOK_LBRACE)
            return conf_error_tok(c, &tok, "expected '{' after '%s' (it is a block)", k->key);
        if (k->kind == KEY_VALUE && tok.kind != TOK_EQUALS)
            return conf_error_tok(c, &tok, "expected '=' after '%s'",
                                  short_key(&key, kbuf, sizeof kbuf));

        if (!k->repeatable && !k->prefix) {
            if (seen & (UINT64_C(1) << index))
                return conf_error_tok(c, &key, "duplicate '%s' in %s { }", k->key, spec->name);
            seen |= UINT64_C(1) << index;
        }

        if (k->kind == KEY_BLOCK) {
            if (k->on_block(c, &key) != 0)
                return -1;
            continue;
        }
        conf_lex_value(&c->lx, &tok);
        if (tok.kind == TOK_ERROR)
            return conf_error_tok(c, &tok, "%s", tok.text);
        if (k->on_value(c, &key, &tok) != 0)
            return -1;
    }
}

int conf_parse_block_body(struct conf_ctx *c, const struct conf_block_spec *spec,
                          const struct conf_token *open)
{
    return parse_items(c, spec, open);
}

static int on_sflow(struct conf_ctx *c, const struct conf_token *key)
{
    return conf_parse_block_body(c, &conf_sflow_block, key);
}

static int on_dpdk(struct conf_ctx *c, const struct conf_token *key)
{
    return conf_parse_block_body(c, &conf_dpdk_block, key);
}

static int on_ovs(struct conf_ctx *c, const struct conf_token *key)
{
    c->cfg->has_ovs = true;
    return conf_parse_block_body(c, &conf_ovs_block, key);
}

static const struct conf_key_spec top_keys[] = {
    {.key = "sflow", .kind = KEY_BLOCK, .on_block = on_sflow},
    {.key = "dpdk", .kind = KEY_BLOCK, .on_block = on_dpdk},
    {.key = "ovs", .kind = KEY_BLOCK, .on_block = on_ovs},
};
static const struct conf_block_spec top_block = {"top level", top_keys,
                                                 sizeof top_keys / sizeof top_keys[0]};

int dps_config_parse_buffer(struct dps_config *cfg, const char *filename, const char *text,
                            size_t len, struct dps_config_error *err)
{
    /* ~40 KiB of positions: heap, so callers on small stacks (signal paths) are safe. */
    struct conf_ctx *c = calloc(1, sizeof *c);
    if (c == NULL) {
        err->line = err->col = 0;
        snprintf(err->msg, sizeof err->msg, "%s: out of memory", filename);
        return -1;
    }
    c->cfg = cfg;
    c->filename = filename;
    c->err = err;
    struct conf_token *etok = malloc(sizeof *etok);
    int rc = -1;
    if (etok == NULL) {
        err->line = err->col = 0;
        snprintf(err->msg, sizeof err->msg, "%s: out of memory", filename);
    } else if (conf_lexer_init(&c->lx, text, len, etok) != 0) {
        conf_error_tok(c, etok, "%s", etok->text);
    } else if (parse_items(c, &top_block, NULL) == 0 && conf_dpdk_check(c) == 0) {
        rc = 0;
    }
    free(etok);
    free(c);
    return rc;
}

int dps_config_parse_file(struct dps_config *cfg, const char *path, struct dps_config_error *err)
{
    err->line = err->col = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err->msg, sizeof err->msg, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    /* Read one byte past the limit so an oversized file is reported, not truncated. */
    size_t cap = DPS_CONFIG_FILE_MAX + 1;
    char *text = malloc(cap);
    if (text == NULL) {
        fclose(f);
        snprintf(err->msg, sizeof err->msg, "%s: out of memory", path);
        return -1;
    }
    size_t len = fread(text, 1, cap, f);
    int read_error = ferror(f);
    fclose(f);
    int rc;
    if (read_error) {
        snprintf(err->msg, sizeof err->msg, "%s: read error", path);
        rc = -1;
    } else {
        rc = dps_config_parse_buffer(cfg, path, text, len, err);
    }
    free(text);
    return rc;
}
