/* pcap_reader.h - tiny reader for classic pcap files (tests and tools only). */
#ifndef TD_PCAP_READER_H
#define TD_PCAP_READER_H

#include <stdint.h>

struct pcap_frame {
	const uint8_t *data;
	uint32_t caplen, origlen;
};

struct pcap_file {
	uint8_t *buf;               /* whole file */
	uint32_t n_frames;
	struct pcap_frame *frames;
};

/* Loads path (both byte orders, microsecond or nanosecond magic). Returns 0 or -1. */
int pcap_load(const char *path, struct pcap_file *pf);
/* Loads "$DPS_PCAP_DIR/<name>.pcap"; returns 0 or -1. */
int pcap_load_named(const char *name, struct pcap_file *pf);
void pcap_free(struct pcap_file *pf);

#endif
