/* Tokens of the hsflowd.conf grammar. The text is attacker-ish input (operators paste it, the
 * fuzzer writes it): every read is checked against len, and each loop consumes at least one
 * byte or stops. Positions are 1-based byte columns. */
#include <stdio.h>
#include <string.h>

#include "conf_internal.h"

static void tok_error(struct conf_token *tok, unsigned line, unsigned col, const char *msg)
{
    tok->kind = TOK_ERROR;
    tok->line = line;
    tok->col = col;
    snprintf(tok->text, sizeof tok->text, "%s", msg);
    tok->len = strlen(tok->text);
}

int conf_lexer_init(struct conf_lexer *lx, const char *buf, size_t len, struct conf_token *err)
{
    lx->buf = buf;
    lx->len = len;
    lx->pos = 0;
    lx->line = 1;
    lx->col = 1;
    if (len > DPS_CONFIG_FILE_MAX) {
        tok_error(err, 1, 1, "file larger than 1048576 bytes");
        return -1;
    }
    unsigned line = 1, col = 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)buf[i];
        if (ch == '\n') {
            line++;
            col = 1;
            continue;
        }
        if (col > DPS_CONFIG_LINE_MAX) {
            tok_error(err, line, col, "line longer than 4096 bytes");
            return -1;
        }
        if (ch == '\0') {
            tok_error(err, line, col, "NUL byte in configuration text");
            return -1;
        }
        if ((ch < 0x20 && ch != '\t' && ch != '\r') || ch == 0x7f) {
            char msg[64];
            snprintf(msg, sizeof msg, "control character 0x%02x", ch);
            tok_error(err, line, col, msg);
            return -1;
        }
        col++;
    }
    return 0;
}

static int peek(const struct conf_lexer *lx)
{
    return lx->pos < lx->len ? (unsigned char)lx->buf[lx->pos] : -1;
}

static void advance(struct conf_lexer *lx)
{
    if (lx->pos >= lx->len)
        return;
    if (lx->buf[lx->pos] == '\n') {
        lx->line++;
        lx->col = 1;
    } else {
        lx->col++;
    }
    lx->pos++;
}

static bool is_blank(int ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

static bool is_key_char(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '.' || ch == '-';
}

static void skip_comment(struct conf_lexer *lx)
{
    while (peek(lx) != -1 && peek(lx) != '\n')
        advance(lx);
}

static void start_token(const struct conf_lexer *lx, struct conf_token *tok, enum conf_tok_kind k)
{
    tok->kind = k;
    tok->line = lx->line;
    tok->col = lx->col;
    tok->len = 0;
    tok->text[0] = '\0';
}

/* Token text is bounded by the line limit checked in conf_lexer_init, so appends never
 * overflow; the check stays as a guard for callers that skip init. */
static void append(struct conf_token *tok, char ch)
{
    if (tok->len < sizeof tok->text - 1) {
        tok->text[tok->len++] = ch;
        tok->text[tok->len] = '\0';
    }
}

void conf_lex_key(struct conf_lexer *lx, struct conf_token *tok)
{
    for (;;) {
        int ch = peek(lx);
        if (is_blank(ch) || ch == '\n')
            advance(lx);
        else if (ch == '#')
            skip_comment(lx);
        else
            break;
    }
    int ch = peek(lx);
    if (ch == -1) {
        start_token(lx, tok, TOK_EOF);
        return;
    }
    if (ch == '{' || ch == '}' || ch == '=') {
        start_token(lx, tok, ch == '{' ? TOK_LBRACE : ch == '}' ? TOK_RBRACE : TOK_EQUALS);
        append(tok, (char)ch);
        advance(lx);
        return;
    }
    if (!is_key_char(ch)) {
        char msg[64];
        if (ch == '"')
            snprintf(msg, sizeof msg, "expected a key, found a quoted string");
        else if (ch >= 0x21 && ch < 0x7f)
            snprintf(msg, sizeof msg, "unexpected character '%c'", ch);
        else
            snprintf(msg, sizeof msg, "unexpected byte 0x%02x", (unsigned)ch);
        tok_error(tok, lx->line, lx->col, msg);
        return;
    }
    start_token(lx, tok, TOK_WORD);
    while (is_key_char(peek(lx))) {
        append(tok, (char)peek(lx));
        advance(lx);
    }
}

static void lex_string(struct conf_lexer *lx, struct conf_token *tok)
{
    start_token(lx, tok, TOK_STRING);
    unsigned open_line = lx->line, open_col = lx->col;
    advance(lx); /* opening quote */
    for (;;) {
        int ch = peek(lx);
        if (ch == -1 || ch == '\n') {
            tok_error(tok, open_line, open_col, "unterminated string");
            return;
        }
        if (ch == '"') {
            advance(lx);
            return;
        }
        if (ch == '\\') {
            unsigned esc_line = lx->line, esc_col = lx->col;
            advance(lx);
            int next = peek(lx);
            if (next != '"' && next != '\\') {
                tok_error(tok, esc_line, esc_col, "unknown escape in string (only \\\" and \\\\)");
                return;
            }
            ch = next;
        }
        append(tok, (char)ch);
        advance(lx);
    }
}

void conf_lex_value(struct conf_lexer *lx, struct conf_token *tok)
{
    while (is_blank(peek(lx)))
        advance(lx);
    int ch = peek(lx);
    if (ch == -1 || ch == '\n' || ch == '#' || ch == '{' || ch == '}' || ch == '=') {
        tok_error(tok, lx->line, lx->col, "missing value after '='");
        return;
    }
    if (ch == '"') {
        lex_string(lx, tok);
        return;
    }
    /* Bare values may hold '=' and ',' (devargs: net_pcap0,rx_pcap=x.pcap); '#' starts a
     * comment and braces end the value, so `collector { ip = 10.0.0.1 }` works. */
    start_token(lx, tok, TOK_WORD);
    for (;;) {
        ch = peek(lx);
        if (ch == -1 || is_blank(ch) || ch == '\n' || ch == '#' || ch == '{' || ch == '}')
            break;
        if (ch == '"') {
            tok_error(tok, lx->line, lx->col, "quote inside a bare value (quote the whole value)");
            return;
        }
        append(tok, (char)ch);
        advance(lx);
    }
}
