/* libFuzzer harness for config/'s file parser. Besides "no crash, no UB", it checks a property:
 * whatever parses and finalizes must dump (dps_config_format) to text that parses again to the
 * same dump, so --print-config output can always be pasted back into a file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dps_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct dps_config cfg, again;
static char dump[1 << 17], dump2[1 << 17];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dps_config_error err;
    dps_config_init(&cfg);
    if (dps_config_parse_buffer(&cfg, "fuzz", (const char *)data, size, &err) != 0) {
        /* every error names a position inside the text */
        if (err.line == 0 || err.col == 0 || strncmp(err.msg, "fuzz:", 5) != 0)
            abort();
        return 0;
    }
    for (unsigned i = 0; i <= cfg.n_ports; i++)
        (void)dps_config_port_sampling(&cfg, i, (uint64_t)size * 1000000u);
    if (dps_config_finalize(&cfg, &err) != 0)
        return 0;
    size_t n = dps_config_format(&cfg, dump, sizeof dump);
    if (n >= sizeof dump)
        abort();
    dps_config_init(&again);
    if (dps_config_parse_buffer(&again, "dump", dump, n, &err) != 0 ||
        dps_config_finalize(&again, &err) != 0) {
        fprintf(stderr, "dump does not re-parse: %s\n%s", err.msg, dump);
        abort();
    }
    dps_config_format(&again, dump2, sizeof dump2);
    if (strcmp(dump, dump2) != 0) {
        fprintf(stderr, "dump changed on re-parse:\n%s---\n%s", dump, dump2);
        abort();
    }
    return 0;
}
