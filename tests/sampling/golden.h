/* golden.h - helpers for hand-written expected encodings in the sampling tests. */
#ifndef TEST_GOLDEN_H
#define TEST_GOLDEN_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

/* One XDR word, big-endian, spelled out in the expected byte arrays. */
#define U32(v) (uint8_t)((uint32_t)(v) >> 24), (uint8_t)((uint32_t)(v) >> 16), \
	       (uint8_t)((uint32_t)(v) >> 8), (uint8_t)(uint32_t)(v)

static inline void assert_bytes(const uint8_t *got, size_t got_len, const uint8_t *want,
				size_t want_len)
{
	for (size_t i = 0; i < got_len && i < want_len; i++) {
		if (got[i] != want[i]) {
			print_error("first difference at byte %zu (word %zu): got 0x%02x want 0x%02x\n",
				    i, i / 4, got[i], want[i]);
			fail();
		}
	}
	assert_int_equal(got_len, want_len);
}

/* cmocka 1.1 prints its summary ("[  PASSED  ] n test(s).") on stderr; the test logs are
 * read from stdout, so send both there, unbuffered enough to keep the order. */
static inline void cmocka_output_to_stdout(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	dup2(STDOUT_FILENO, STDERR_FILENO);
}

static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#endif
