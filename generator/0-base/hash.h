/* hash: a fast 64-bit fingerprint of bytes, for telling changed inputs and
 * outputs from unchanged ones (not for security). Chain calls by passing
 * the previous result as h; start from HASH_SEED. */
#ifndef KK_HASH_H
#define KK_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_SEED UINT64_C(0x9e3779b97f4a7c15)

uint64_t hash_bytes(uint64_t h, const void *data, size_t n);
/* s and its end (so "ab" + "c" differs from "a" + "bc"); NULL hashes as a marker of its own. */
uint64_t hash_str(uint64_t h, const char *s);
uint64_t hash_u64(uint64_t h, uint64_t v);

#endif
