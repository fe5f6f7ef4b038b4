/* hash: eight bytes a step, each word multiplied and rotated into the state
 * (in the manner of MurmurHash3's 64-bit mixing), finished by an avalanche. */
#include "hash.h"

#include <string.h>

#define M1 UINT64_C(0x87c37b91114253d5)
#define M2 UINT64_C(0x4cf5ad432745937f)

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static uint64_t step(uint64_t h, uint64_t k)
{
    k *= M1;
    k = rotl(k, 31);
    k *= M2;
    h ^= k;
    return rotl(h, 27) * 5 + 0x52dce729;
}

static uint64_t avalanche(uint64_t x)
{
    x ^= x >> 33;
    x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x *= UINT64_C(0xc4ceb9fe1a85ec53);
    x ^= x >> 33;
    return x;
}

uint64_t hash_bytes(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t k;
        memcpy(&k, p + i, 8);
        h = step(h, k);
    }
    uint64_t tail = 0;
    for (size_t j = 0; i + j < n; j++)
        tail |= (uint64_t)p[i + j] << (8 * j);
    h = step(h, tail ^ ((uint64_t)(n & 7) << 59));
    return avalanche(h ^ (uint64_t)n);
}

uint64_t hash_str(uint64_t h, const char *s)
{
    if (!s)
        return hash_u64(h, UINT64_C(0x6e756c6c)); /* "null" */
    return hash_bytes(h, s, strlen(s));
}

uint64_t hash_u64(uint64_t h, uint64_t v) { return avalanche(step(h, v) ^ 8); }
