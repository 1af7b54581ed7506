"""A fix for whoosh-ng 5.4.0's reading of phrase positions, applied when kb's analyzer loads.

Whoosh tells its two encodings of a posting's positions apart by a trailing "." (the pickle STOP
of the legacy form), but the current varint form also ends in "." whenever the last position gap
is 46: about one posting in 128 is then read as a pickle and any phrase query that touches it
raises UnpicklingError (seen on the LawRefBook index; small indexes rarely meet one). Reading the
varint form whenever it accounts for every byte, and the legacy form otherwise, is exact for both.
"""
from __future__ import annotations

from whoosh import formats
from whoosh.system import _INT_SIZE, unpack_uint


def _varint_positions(value: bytes) -> list[int] | None:
    """Positions of the varint encoding, or None when the bytes are not one."""
    if len(value) < _INT_SIZE:
        return None
    count = unpack_uint(value[:_INT_SIZE])[0]
    at, position, out = _INT_SIZE, 0, []
    for _ in range(count):
        code = shift = 0
        while True:
            if at >= len(value):
                return None
            byte = value[at]
            at += 1
            code |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        position += code
        out.append(position)
    return out if at == len(value) else None


def _decode_positions(self, valuestring):
    positions = _varint_positions(valuestring)
    return positions if positions is not None else self._decode_positions_legacy(valuestring)


formats.Positions.decode_positions = _decode_positions
