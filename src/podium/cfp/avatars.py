"""Avatar images: check an upload really is a small image, shrink it, store it under a random name.

Re-encoding with Pillow drops metadata (EXIF location) and anything smuggled after the image
data; the stored name is random so it reveals nothing and cannot collide or traverse paths.
"""

from __future__ import annotations

import io
import re
import secrets
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_AVATAR_BYTES = 2 * 1024 * 1024
MAX_AVATAR_PIXELS = 40_000_000  # decoded size guard against decompression bombs
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


def process_avatar(data: bytes) -> tuple[bytes, str]:
    """Validate and shrink an uploaded image to fit 512x512 pixels.

    Returns:
        ``(encoded bytes, extension)``: PNG when the image has transparency, else JPEG.

    Raises:
        AvatarError: empty, larger than 2 MiB, not JPEG/PNG/GIF/WebP, or too many pixels.
    """
    if not data:
        raise AvatarError("The file is empty.")
    if len(data) > MAX_AVATAR_BYTES:
        raise AvatarError(
            f"The image is {len(data) / 1024 / 1024:.1f} MiB; the limit is "
            f"{MAX_AVATAR_BYTES // 1024 // 1024} MiB."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise AvatarError("Upload a JPEG, PNG, GIF or WebP image.")
            if image.width * image.height > MAX_AVATAR_PIXELS:
                raise AvatarError("The image has too many pixels.")
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise AvatarError("Upload a JPEG, PNG, GIF or WebP image.") from None
    except OSError:
        raise AvatarError("The image file is damaged.") from None
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail(AVATAR_BOX)
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
