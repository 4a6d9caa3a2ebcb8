"""Prints the folding constants of ../crc32c_amd64.s.

A 128-bit chunk X of the message, read little-endian so that bit i stands
for x^(127-i), is carried D bits further along as X·x^D mod P. Split into
its halves, X = H·x^64 + L, that is H·(x^(D+64) mod P) + L·(x^D mod P).
PCLMULQDQ on bit-reflected operands yields the product divided by x, so
each constant is x^(D+63) or x^(D-1) mod P, bit-reflected into the top
half of a quadword. Run it with python3 and compare with the DATA lines.
"""

P = 0x11EDC6F41  # CRC-32C (Castagnoli) with its x^32 term


def xpow_mod(e):
    r = 1
    for _ in range(e):
        r <<= 1
        if r >> 32 & 1:
            r ^= P
    return r


def reflect32(v):
    return int(f"{v:032b}"[::-1], 2)


def fold_constants(d):
    return reflect32(xpow_mod(d + 63)) << 32, reflect32(xpow_mod(d - 1)) << 32


for d in (2048, 512, 384, 256, 128):
    hi, lo = fold_constants(d)
    print(f"fold by {d:4d} bits: H constant {hi:#018x}, L constant {lo:#018x}")
