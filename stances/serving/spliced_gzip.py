"""Gzip a page in which a few short strings change from one request to the next, without
compressing the whole page again: its fixed pieces are compressed once, and each request's
strings are put between them as deflate's stored (uncompressed) blocks.

This is valid gzip (RFC 1951, 1952): each fixed piece is compressed on its own and ends on a
byte boundary (a sync flush), so the blocks of the pieces and of the strings follow each other
in one deflate stream, closed by an empty final block; the trailer's checksum and length are
those of the whole page. For a signed-in editor's map page (94 KB) this costs a checksum, not
the 5 ms of compressing it again.
"""

import struct
import zlib

# Magic, deflate, no flags, no time, no extra flags, unknown system.
HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
LAST_BLOCK = b"\x01\x00\x00\xff\xff"  # final, stored, empty
STORED_MAX = 0xFFFF
LEVEL = 6  # as Django's GZipMiddleware


def deflated(piece: bytes, level: int = LEVEL) -> bytes:
    """`piece` as raw deflate blocks that end on a byte boundary, with no final block."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(piece) + compressor.flush(zlib.Z_SYNC_FLUSH)


def stored(data: bytes) -> bytes:
    """`data` as stored blocks, not final (each holds at most 65,535 bytes)."""
    blocks = []
    for start in range(0, len(data), STORED_MAX):
        chunk = data[start : start + STORED_MAX]
        blocks.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(blocks)


def gzipped(parts) -> bytes:
    """One gzip member from (raw, deflated) pairs, deflated None for what is stored as is."""
    body, crc, size = [HEADER], 0, 0
    for raw, compressed in parts:
        body.append(stored(raw) if compressed is None else compressed)
        crc = zlib.crc32(raw, crc)
        size += len(raw)
    body.append(LAST_BLOCK)
    body.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return b"".join(body)
