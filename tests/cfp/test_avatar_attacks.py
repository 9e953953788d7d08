"""Attacks through the avatar upload: decompression bombs, metadata that should not be
published, and text chunks that make Pillow raise.

Each upload goes through the speaker profile form; what is stored is read back from the
upload folder.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from flask import Flask
from lxml import html
from PIL import Image, ImageCms, PngImagePlugin

from podium.cfp.avatars import AvatarError, process_avatar
from podium.cfp.models import SpeakerProfile
from podium.extensions import db
from tests.support.auth import login
from tests.support.factories import UserFactory


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    )


def png_bomb(side: int = 6300) -> bytes:
    """A grey PNG of ``side`` x ``side`` pixels that is all zeros: tiny on the wire.

    The real-world pattern: the "decompression bomb" uploads that image services refuse
    (a few hundred KB that decode to hundreds of MB). Built row by row so that the test itself
    never holds the decoded image.
    """
    compressor = zlib.compressobj(9)
    row = b"\x00" * (side + 1)  # filter byte + one byte per pixel
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def _icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (50.0, 50.0, 0.0)}  # GPS position
    return exif.tobytes()


def _upload(app: Flask, data: bytes):  # type: ignore[no-untyped-def]
    user = UserFactory()
    client = login(app.test_client(), user)
    response = client.post(
        "/speaker/profile",
        data={"name": "Ada", "biography": "", "avatar": (io.BytesIO(data), "me.img")},
        content_type="multipart/form-data",
    )
    return user, response


def _stored(app: Flask, user) -> Image.Image:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    profile = db.session.query(SpeakerProfile).filter_by(user_id=user.id).one()
    path = Path(app.config["UPLOAD_FOLDER"]) / "avatars" / profile.avatar_filename
    image = Image.open(io.BytesIO(path.read_bytes()))
    image.load()
    return image


def _field_error(response) -> list[str]:  # type: ignore[no-untyped-def]
    page = html.fromstring(response.get_data(as_text=True))
    return [text.strip() for text in page.xpath("//p[@id='avatar-error']//text()") if text.strip()]


def test_a_png_bomb_is_refused_from_its_header_with_a_form_error(app: Flask) -> None:
    bomb = png_bomb()
    assert len(bomb) < 200_000
    user, response = _upload(app, bomb)
    assert response.status_code == 400
    assert _field_error(response) == [
        "The image is 6300x6300 pixels (40 megapixels); the limit is 16 megapixels. "
        "Upload a smaller copy."
    ]
    assert db.session.query(SpeakerProfile).filter_by(user_id=user.id).first() is None


def test_the_pixel_check_happens_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[tuple[int, int]] = []
    real_load = Image.Image.load

    def spying_load(self):  # type: ignore[no-untyped-def]
        decoded.append(self.size)
        return real_load(self)

    monkeypatch.setattr(Image.Image, "load", spying_load)
    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", spying_load)
    with pytest.raises(AvatarError):
        process_avatar(png_bomb(4001))
    assert decoded == []


def test_jpeg_metadata_is_not_stored(app: Flask) -> None:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 10, 10)).save(
        out, "JPEG", comment=b"home address", exif=_exif(), icc_profile=_icc()
    )
    user, response = _upload(app, out.getvalue())
    assert response.status_code == 302
    stored = _stored(app, user)
    assert (stored.format, stored.size) == ("JPEG", (512, 384))
    assert sorted(stored.info) == ["jfif", "jfif_density", "jfif_unit", "jfif_version"]
    assert [marker for marker, _ in stored.applist] == ["APP0"]
    assert dict(stored.getexif()) == {}


def test_png_metadata_is_not_stored(app: Flask) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Ada's real name")
    info.add_text("Comment", "zipped secret", zip=True)
    info.add_itxt("Location", "international secret")
    out = io.BytesIO()
    Image.new("RGBA", (64, 64), (0, 90, 200, 128)).save(
        out, "PNG", pnginfo=info, icc_profile=_icc(), exif=_exif()
    )
    user, response = _upload(app, out.getvalue())
    assert response.status_code == 302
    stored = _stored(app, user)
    assert (stored.format, stored.mode, stored.size) == ("PNG", "RGBA", (64, 64))
    assert stored.info == {}
    assert dict(stored.getexif()) == {}


@pytest.mark.parametrize("where", ["before image data", "after image data"])
def test_an_oversize_text_chunk_is_a_form_error_not_a_500(app: Flask, where: str) -> None:
    # A zTXt chunk that inflates to 8 MB: Pillow refuses anything over 1 MB with ValueError.
    text = _chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * 8_000_000, 9))
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (1, 2, 3)).save(out, "PNG")
    plain = out.getvalue()
    split = plain.index(b"IDAT") - 4 if where == "before image data" else plain.index(b"IEND") - 4
    _user, response = _upload(app, plain[:split] + text + plain[split:])
    assert response.status_code == 400
    assert _field_error(response) == ["The image carries too much embedded text or metadata."]
