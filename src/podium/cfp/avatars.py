"""Avatar images: check an upload really is a small image, shrink it, store it under a random name.

The size is checked from the header before decoding (decompression bombs); re-encoding with
Pillow, with its ``info`` emptied, drops metadata (EXIF location, comments, ICC profiles, text
chunks) and anything smuggled after the image data; the stored name is random so it reveals
nothing and cannot collide or traverse paths.
"""

from __future__ import annotations

import io
import re
import secrets
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from flask_babel import gettext as _

if TYPE_CHECKING:
    from PIL import Image

# Pillow is imported by the two functions that decode: a web worker that never receives an
# upload (most of them, serving the program) is 2 MB smaller without it.

MAX_AVATAR_BYTES = 2 * 1024 * 1024
# Pixels allowed, checked from the header before anything is decoded. A decoded pixel costs
# 3-4 bytes (more while converting), so 16 MP stays near 100 MB at worst; a highly
# compressible PNG of 6300x6300 is 150 KB on the wire and 40 MP decoded.
MAX_AVATAR_PIXELS = 16_000_000
# JPEG decodes at 1/2..1/8 scale straight from the DCT (``Image.draft``), so camera photos up
# to this size cost a few MB whatever their resolution.
MAX_JPEG_PIXELS = 64_000_000
AVATAR_BOX = (512, 512)
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "GIF", "WEBP"})
AVATAR_NAME = re.compile(r"^[0-9a-f]{32}\.(?:png|jpg)$")


class AvatarError(ValueError):
    """An upload that is not an acceptable image; the message is shown on the avatar field."""


def avatar_folder(upload_folder: str) -> Path:
    """The folder avatars live in: ``<UPLOAD_FOLDER>/avatars`` (created when missing)."""
    folder = Path(upload_folder) / "avatars"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _check_pixels(image: Image.Image) -> None:
    """Refuse by the header's size, before decoding (``Image.open`` reads only the header)."""
    limit = MAX_JPEG_PIXELS if image.format == "JPEG" else MAX_AVATAR_PIXELS
    pixels = image.width * image.height
    if pixels > limit:
        raise AvatarError(
            _(
                "The image is %(width)sx%(height)s pixels (%(megapixels)s megapixels); the "
                "limit is %(limit)s megapixels. Upload a smaller copy.",
                width=image.width,
                height=image.height,
                megapixels=format(pixels / 1e6, ".0f"),
                limit=limit // 1_000_000,
            )
        )


def _decode(data: bytes) -> Image.Image:
    """Open, size-check and decode ``data``; every Pillow complaint becomes an AvatarError."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow only warns below 2x its own MAX_IMAGE_PIXELS; a warning is a refusal here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise AvatarError(_("Upload a JPEG, PNG, GIF or WebP image."))
            _check_pixels(image)
            if image.format == "JPEG":
                image.draft("RGB", (AVATAR_BOX[0] * 2, AVATAR_BOX[1] * 2))
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise AvatarError(_("Upload a JPEG, PNG, GIF or WebP image.")) from None
    except AvatarError:
        raise
    except ValueError:
        # Pillow refuses text chunks that decompress beyond ImageFile.MAX_TEXT_CHUNK (1 MB).
        raise AvatarError(_("The image carries too much embedded text or metadata.")) from None
    except (OSError, SyntaxError, EOFError):
        raise AvatarError(_("The image file is damaged.")) from None
    return image


def process_avatar(data: bytes) -> tuple[bytes, str]:
    """Validate and shrink an uploaded image to fit 512x512 pixels, without its metadata.

    The pixel count is checked from the header before decoding; the stored image is a new
    encoding without EXIF, comments, ICC profile or text chunks.

    Returns:
        ``(encoded bytes, extension)``: PNG when the image has transparency, else JPEG.

    Raises:
        AvatarError: empty, larger than 2 MiB, not JPEG/PNG/GIF/WebP, more than
            :data:`MAX_AVATAR_PIXELS` (JPEG: :data:`MAX_JPEG_PIXELS`) pixels, oversized
            embedded text, or damaged.
    """
    if not data:
        raise AvatarError(_("The file is empty."))
    if len(data) > MAX_AVATAR_BYTES:
        raise AvatarError(
            _(
                "The image is %(size)s MiB; the limit is %(limit)s MiB.",
                size=format(len(data) / 1024 / 1024, ".1f"),
                limit=MAX_AVATAR_BYTES // 1024 // 1024,
            )
        )
    from PIL import ImageOps

    image = _decode(data)
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail(AVATAR_BOX)
    # Pillow copies comments and ICC profiles from ``info`` into the saved file.
    image.info = {}
    out = io.BytesIO()
    if has_alpha:
        image.save(out, format="PNG", optimize=True)
        return out.getvalue(), "png"
    image.save(out, format="JPEG", quality=85)
    return out.getvalue(), "jpg"


def store_avatar(upload_folder: str, encoded: bytes, extension: str) -> str:
    """Write ``encoded`` under a new random name in the avatar folder; return the name."""
    name = f"{secrets.token_hex(16)}.{extension}"
    (avatar_folder(upload_folder) / name).write_bytes(encoded)
    return name


def delete_avatar(upload_folder: str, name: str | None) -> None:
    """Remove a stored avatar; unknown or malformed names are ignored."""
    if name and AVATAR_NAME.match(name):
        (Path(upload_folder) / "avatars" / name).unlink(missing_ok=True)
