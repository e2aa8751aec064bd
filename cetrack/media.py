"""Certificate file types: recognised by their content, never by their name, and named by
the type they really are."""

from __future__ import annotations

from pathlib import PurePosixPath

# media type -> (the bytes a file of the type starts with, its file-name extensions; first = usual)
TYPES = {
    "application/pdf": (b"%PDF-", (".pdf",)),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",)),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg")),
}


def sniff(data: bytes) -> str | None:
    """The media type the bytes really are, or None."""
    for media_type, (signature, _) in TYPES.items():
        if data.startswith(signature):
            return media_type
    return None


def extension(media_type: str) -> str:
    return TYPES[media_type][1][0]


def named_as(filename: str, media_type: str) -> str:
    """The file name with the extension of its real type: a PDF uploaded as `setup.exe` or
    `certificate.html` is `setup.pdf`, `certificate.pdf`."""
    path = PurePosixPath(filename)
    if path.suffix.lower() in TYPES[media_type][1]:
        return f"{path.stem}{path.suffix.lower()}"
    return f"{path.stem if path.suffix else path.name}{extension(media_type)}"
