"""The key test pattern: byte i of seed is workloads/keys.c's
pattern_byte(seed, i), what ncbench uses for keys when the test hook
NCBENCH_TEST_KEY_BYTE=seed is set (tests/e2e/keys.sh, peer.sh)."""
M = (1 << 64) - 1


def pattern(seed, n):
    out = bytearray()
    for i in range(n):
        x = ((seed << 32 | i) * 0x9e3779b97f4a7c15) & M
        x ^= x >> 29
        x = (x * 0xbf58476d1ce4e5b9) & M
        x ^= x >> 32
        out.append(x & 0xff)
    return bytes(out)
