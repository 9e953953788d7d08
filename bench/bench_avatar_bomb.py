"""Benchmark: peak memory of an avatar upload that is a decompression bomb.

Builds a 6300x6300 all-zero greyscale PNG (about 40 KB on the wire, 40 megapixels decoded),
hands it to ``podium.cfp.avatars.process_avatar`` in a fresh Python process, and prints that
process's peak resident memory (``ru_maxrss``) next to a baseline process that only imports
Podium and builds the file. Also prints the same for an ordinary 12-megapixel camera JPEG
(4000x3000), which must still be accepted.

Measured on the 2-core CI machine (Pillow 13, 7 Dec 2026): before the header check the bomb
was accepted and took 223 MB peak (+189 MB while processing: decoded, converted, shrunk); now
it is refused from its header, 34 MB peak (+0 MB). The 12 MP JPEG took +43 MB before and now
+0 MB above what building it cost (JPEG draft decoding at reduced scale).

    .venv/bin/python bench/bench_avatar_bomb.py
"""

from __future__ import annotations

import subprocess
import sys

CHILD = r"""
import io, resource, struct, sys, zlib
from PIL import Image
from podium.cfp.avatars import AvatarError, process_avatar

def chunk(kind, payload):
    return (struct.pack(">I", len(payload)) + kind + payload
            + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF))

def bomb(side=6300):
    compressor = zlib.compressobj(9)
    row = b"\x00" * (side + 1)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat)
            + chunk(b"IEND", b""))

def camera_jpeg():
    out = io.BytesIO()
    # Built as a small image scaled up so that the builder itself stays light.
    Image.new("RGB", (400, 300), (90, 140, 200)).resize((4000, 3000)).save(out, "JPEG")
    return out.getvalue()

case = sys.argv[1]
data = bomb() if case == "bomb" else camera_jpeg() if case == "jpeg" else b""
if case == "jpeg":
    import gc; gc.collect()
start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
outcome = "built only"
if case != "baseline":
    try:
        encoded, ext = process_avatar(data)
        outcome = f"accepted as {ext}, {len(encoded)} bytes"
    except AvatarError as exc:
        outcome = f"refused: {exc}"
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{len(data)}|{start}|{peak}|{outcome}")
"""


def _run(case: str) -> tuple[int, int, int, str]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, case], capture_output=True, text=True, check=True
    )
    size, start, peak, outcome = result.stdout.strip().split("|", 3)
    return int(size), int(start), int(peak), outcome


def main() -> None:
    for case, label in (("bomb", "6300x6300 PNG bomb"), ("jpeg", "12 MP camera JPEG")):
        size, start, peak, outcome = _run(case)
        print(
            f"{label}: {size / 1024:.0f} KB upload, peak RSS {peak / 1024:.0f} MB "
            f"(+{(peak - start) / 1024:.0f} MB while processing): {outcome}"
        )


if __name__ == "__main__":
    main()
