"""What a PDF says, read back with poppler (pdftotext, pdffonts) as a person's PDF reader would."""
import shutil
import subprocess
import tempfile
import unicodedata

import pytest

needs_poppler = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdffonts")),
                                   reason="poppler-utils (pdftotext, pdffonts) not installed")


def response_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _poppler(args: list[str], data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        return subprocess.run([*args, fh.name] + (["-"] if args[0] == "pdftotext" else []), capture_output=True,
                              check=True).stdout.decode("utf-8")


def pdf_lines(data: bytes) -> list[str]:
    """Each line of the laid-out text, NFC, with runs of white space made one space."""
    out = _poppler(["pdftotext", "-layout", "-enc", "UTF-8"], data)
    return [" ".join(unicodedata.normalize("NFC", line).split()) for line in out.splitlines()]


def pdf_text(data: bytes) -> str:
    """The whole text in reading order as one line (a paragraph or a table cell may wrap anywhere)."""
    out = _poppler(["pdftotext", "-enc", "UTF-8"], data)
    return " ".join(unicodedata.normalize("NFC", out).split())


def pdf_fonts(data: bytes) -> dict[str, bool]:
    """Font name (subset prefix dropped) → embedded."""
    fonts = {}
    for line in _poppler(["pdffonts"], data).splitlines()[2:]:
        parts = line.split()
        # name type [type2] encoding emb sub uni object ID: "emb" is the fifth field from the end
        fonts[parts[0].split("+", 1)[-1]] = parts[-5] == "yes"
    return fonts
