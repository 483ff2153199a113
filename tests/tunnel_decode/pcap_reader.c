/* pcap_reader.c - classic pcap reader: the whole file in memory, records bounds-checked. */
#include "pcap_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rd32(const uint8_t *p, int swap)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

int pcap_load(const char *path, struct pcap_file *pf)
{
	memset(pf, 0, sizeof(*pf));
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0) {
		fclose(f);
		return -1;
	}
	long size = ftell(f);
	rewind(f);
	if (size < 24) {
		fclose(f);
		return -1;
	}
	pf->buf = malloc((size_t)size);
	if (!pf->buf || fread(pf->buf, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		pcap_free(pf);
		return -1;
	}
	fclose(f);
	uint32_t magic;
	memcpy(&magic, pf->buf, 4);
	int swap;
	if (magic == 0xA1B2C3D4 || magic == 0xA1B23C4D)
		swap = 0;
	else if (magic == 0xD4C3B2A1 || magic == 0x4D3CB2A1)
		swap = 1;
	else {
		pcap_free(pf);
		return -1;
	}
	/* two passes: count, then index */
	for (int pass = 0; pass < 2; pass++) {
		size_t off = 24;
		uint32_t n = 0;
		while (off + 16 <= (size_t)size) {
			uint32_t cap = rd32(pf->buf + off + 8, swap);
			uint32_t orig = rd32(pf->buf + off + 12, swap);
			if (cap > (size_t)size - off - 16)
				break;
			if (pass == 1) {
				pf->frames[n].data = pf->buf + off + 16;
				pf->frames[n].caplen = cap;
				pf->frames[n].origlen = orig;
			}
			n++;
			off += 16 + (size_t)cap;
		}
		if (pass == 0) {
			pf->frames = calloc(n ? n : 1, sizeof(*pf->frames));
			if (!pf->frames) {
				pcap_free(pf);
				return -1;
			}
		}
		pf->n_frames = n;
	}
	return 0;
}

int pcap_load_named(const char *name, struct pcap_file *pf)
{
	const char *dir = getenv("DPS_PCAP_DIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s.pcap", dir ? dir : ".", name);
	return pcap_load(path, pf);
}

void pcap_free(struct pcap_file *pf)
{
	free(pf->buf);
	free(pf->frames);
	memset(pf, 0, sizeof(*pf));
}
