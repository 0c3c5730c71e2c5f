"""Draw the installable app's icons (static/img/icon-*.png) from the favicon's shapes: a white mortarboard on the
portal's blue. Pure Python (zlib), so no imaging library is needed; run it again only to change the icons.

    .venv/bin/python scripts/make_icons.py
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

BLUE = (13, 110, 253)
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "img"

# The favicon's paths on its 32 × 32 grid (curves as short polylines).
CAP = [(6, 12), (16, 7), (26, 12), (16, 17)]
BAND = [(10, 15), (10, 21), (11, 22.2), (13, 23.3), (16, 24), (19, 23.3), (21, 22.2), (22, 21), (22, 15), (16, 18)]


def inside(x: float, y: float, polygon) -> bool:
    hit = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            hit = not hit
    return hit


def in_rounded_square(x: float, y: float, radius: float) -> bool:
    cx = min(max(x, radius), 32 - radius)
    cy = min(max(y, radius), 32 - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2


def draw(size: int, *, maskable: bool) -> bytes:
    # Maskable icons fill the square and keep their drawing inside the central 80 % circle.
    scale, offset = (0.72, 16 * (1 - 0.72)) if maskable else (1.0, 0.0)
    samples = 3 if size <= 192 else 2
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(samples):
                for sx in range(samples):
                    x = (px + (sx + 0.5) / samples) * 32 / size
                    y = (py + (sy + 0.5) / samples) * 32 / size
                    if not maskable and not in_rounded_square(x, y, 6):
                        continue
                    u, v = (x - offset) / scale, (y - offset) / scale
                    colour = WHITE if inside(u, v, CAP) or inside(u, v, BAND) else BLUE
                    acc[0] += colour[0]
                    acc[1] += colour[1]
                    acc[2] += colour[2]
                    acc[3] += 255
            n = samples * samples
            alpha = acc[3] // n
            row += bytes([*(acc[i] // max(1, acc[3] // 255) if acc[3] else 0 for i in range(3)), alpha])
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def main() -> None:
    for name, size, maskable in (
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("icon-maskable-512.png", 512, True),
        ("apple-touch-icon.png", 180, True),
    ):
        (OUT / name).write_bytes(draw(size, maskable=maskable))
        print(OUT / name)


if __name__ == "__main__":
    main()
