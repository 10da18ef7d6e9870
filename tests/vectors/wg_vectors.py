#!/usr/bin/env python3
"""Writes tests/vectors/wg.json: WireGuard transport data messages built
from the message format alone (the WireGuard paper, section 5.4.6), with
Python's `cryptography` package as the AEAD, independently of ncbench's C
code. Run from the repository root: python3 tests/vectors/wg_vectors.py
The output is deterministic (keys are SHA-256 of a label)."""
import hashlib
import json
import struct
import sys

import cryptography
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305

REJECT_AFTER_MESSAGES = 2**64 - 2**13 - 1


def checksum(h):
    s = sum(struct.unpack("!%dH" % (len(h) // 2), h))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def udp_body(n, seed):
    return bytes((seed + 7 * i) & 0xFF for i in range(n))


def ipv4(total):
    """An IPv4 + UDP packet of total bytes, 192.0.2.1 -> 192.0.2.2."""
    udp = struct.pack("!HHHH", 51820, 5001, total - 20, 0) + udp_body(total - 28, 4)
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 0x1234, 0x4000, 64, 17, 0,
                    bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2]))
    h = h[:10] + struct.pack("!H", checksum(h)) + h[12:]
    return h + udp


def ipv6(total):
    """An IPv6 + UDP packet of total bytes, 2001:db8::1 -> 2001:db8::2."""
    plen = total - 40
    udp = struct.pack("!HHHH", 51820, 5001, plen, 0) + udp_body(plen - 8, 6)
    src = bytes.fromhex("20010db8000000000000000000000001")
    dst = bytes.fromhex("20010db8000000000000000000000002")
    return struct.pack("!IHBB", 0x60000000, plen, 17, 64) + src + dst + udp


def message(aead, key, index, counter, inner):
    assert counter < REJECT_AFTER_MESSAGES
    padded = inner + bytes(-len(inner) % 16)
    nonce = bytes(4) + struct.pack("<Q", counter)
    sealed = aead(key).encrypt(nonce, padded, b"")
    header = struct.pack("<B3xIQ", 4, index, counter)
    return nonce, padded, sealed[:-16], sealed[-16:], header + sealed


CASES = [
    # name, algorithm, inner kind, inner length, receiver index, counter
    ("keepalive-counter-0", "ChaCha20-Poly1305", "keepalive", 0, 0x00000001, 0),
    ("ipv4-37-counter-1", "ChaCha20-Poly1305", "ipv4", 37, 0x0A1B2C3D, 1),
    ("ipv6-100-counter-2^63-5", "ChaCha20-Poly1305", "ipv6", 100, 0xFFFFFFFE, 2**63 - 5),
    ("ipv4-1420-counter-2^32", "ChaCha20-Poly1305", "ipv4", 1420, 0x00000002, 2**32),
    ("ipv6-1280-last-counter", "ChaCha20-Poly1305", "ipv6", 1280, 0x80000000,
     REJECT_AFTER_MESSAGES - 1),
    ("ipv4-65-aes-256-gcm-nonstandard", "AES-256-GCM", "ipv4", 65, 0x00000003, 7),
]


def main():
    vectors = []
    for name, alg, kind, n, index, counter in CASES:
        key = hashlib.sha256(("ncbench wg vector " + name).encode()).digest()
        aead = ChaCha20Poly1305 if alg == "ChaCha20-Poly1305" else AESGCM
        inner = {"keepalive": lambda _: b"", "ipv4": ipv4, "ipv6": ipv6}[kind](n)
        assert len(inner) == n
        nonce, padded, ct, tag, pkt = message(aead, key, index, counter, inner)
        vectors.append({
            "name": name,
            "algorithm": alg,
            "standard": alg == "ChaCha20-Poly1305",
            "inner": kind,
            "key": key.hex(),
            "receiver_index": "%08x" % index,
            "counter": "%016x" % counter,
            "nonce": nonce.hex(),
            "plaintext": inner.hex(),
            "padded_plaintext": padded.hex(),
            "ciphertext": ct.hex(),
            "tag": tag.hex(),
            "packet": pkt.hex(),
        })
    doc = {
        "family": "wg",
        "source": "constructed for ncbench by tests/vectors/wg_vectors.py with python "
                  "cryptography %s (ChaCha20Poly1305, AESGCM), from the message format "
                  "of the WireGuard paper (J. A. Donenfeld, NDSS 2017) section 5.4.6; "
                  "no ncbench code involved" % cryptography.__version__,
        "construction": {
            "packet": "type 4 (1) || 3 zero bytes || receiver_index (4, little-endian) "
                      "|| counter (8, little-endian) || ciphertext || tag (16)",
            "nonce": "4 zero bytes || counter (8, little-endian)",
            "aad": "empty",
            "padded_plaintext": "plaintext || zero bytes up to a multiple of 16",
            "plaintext": "the inner IP packet (IPv4 or IPv6 + UDP, documentation "
                         "addresses), or empty for a keepalive; its IP length field "
                         "says how much of the padded plaintext it is",
        },
        "fields": {
            "key": "the direction's transport key (32 octets)",
            "receiver_index": "receiver index as a number, most significant first "
                              "(little-endian on the wire)",
            "counter": "counter as a number, most significant first (little-endian "
                       "on the wire)",
            "standard": "false: the WireGuard layout with an AEAD WireGuard does not "
                        "define (non-standard, as ncbench marks it)",
        },
        "count": len(vectors),
        "vectors": vectors,
    }
    json.dump(doc, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
