"""Thai OCR: Tesseract (``tha+eng``, Debian's ``tesseract-ocr-tha``) run as a subprocess, output normalised.

Tesseract's Thai model puts a space between many Thai characters and now and
then writes a tone mark before its vowel; :func:`normalise_ocr_text` removes
the spaces between Thai characters and lets PyThaiNLP put marks in their
canonical order. Images go to Tesseract as PGM bytes on standard input, so no
temporary file is left behind. Heavy libraries (Pillow, PyThaiNLP) load inside
the functions that use them.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

from django.conf import settings

TESSERACT = "tesseract"
DEFAULT_LANGUAGES = "tha+eng"
DEFAULT_DPI = 300
DEFAULT_PAGE_TIMEOUT = 120
_BETWEEN_THAI = re.compile(r"(?<=[\u0e00-\u0e7f]) +(?=[\u0e00-\u0e7f])")
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class OcrUnavailableError(RuntimeError):
    """Tesseract (or its Thai data) is not installed."""


class OcrFailedError(RuntimeError):
    """Tesseract ran and failed (or timed out) on a page."""


@dataclass(frozen=True)
class OcrSettings:
    languages: str
    dpi: int
    page_timeout: int


def ocr_settings() -> OcrSettings:
    return OcrSettings(
        languages=str(getattr(settings, "DOCUMENTS_OCR_LANGUAGES", DEFAULT_LANGUAGES)),
        dpi=int(getattr(settings, "DOCUMENTS_OCR_DPI", DEFAULT_DPI)),
        page_timeout=int(getattr(settings, "DOCUMENTS_OCR_PAGE_TIMEOUT", DEFAULT_PAGE_TIMEOUT)),
    )


def tesseract_path() -> str | None:
    return shutil.which(TESSERACT)


def normalise_ocr_text(text: str) -> str:
    """Spaces Tesseract puts between Thai characters removed, marks reordered, blank runs collapsed."""
    from pythainlp.util import normalize  # heavy: PyThaiNLP loads its dictionaries on import

    lines = []
    for line in text.replace("\r", "").split("\n"):
        line = _SPACES.sub(" ", line).strip()
        line = _BETWEEN_THAI.sub("", line)
        lines.append(normalize(line))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def ocr_image(image: Any, *, languages: str | None = None, timeout: int | None = None) -> str:
    """The normalised text Tesseract reads in one Pillow image."""
    program = tesseract_path()
    if program is None:
        raise OcrUnavailableError("tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-tha)")
    conf = ocr_settings()
    buffer = io.BytesIO()
    # Uncompressed PGM: encoding a page as PNG costs ~70 ms, as PGM ~1 ms (Tesseract reads both).
    image.convert("L").save(buffer, format="PPM")
    # One thread per Tesseract: on a small shared machine OpenMP threads only spin against each other.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(  # noqa: S603  (fixed program, arguments from settings, no shell)
            [
                program,
                "stdin",
                "stdout",
                "-l",
                languages or conf.languages,
                "--psm",
                "6",
                "--dpi",
                str(conf.dpi),
            ],
            input=buffer.getvalue(),
            capture_output=True,
            timeout=timeout or conf.page_timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrFailedError(f"tesseract took longer than {exc.timeout} s on a page") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        if "Failed loading language" in done.stderr.decode("utf-8", "replace"):
            raise OcrUnavailableError(message[0])
        raise OcrFailedError(f"tesseract failed: {message[0]}")
    return normalise_ocr_text(done.stdout.decode("utf-8", "replace"))


def character_error_rate(reference: str, hypothesis: str) -> float:
    """Levenshtein distance over characters / reference length, whitespace ignored on both sides.

    Thai writes no spaces between words, and where Tesseract puts or drops a
    space between phrases is layout, not reading; so spaces and line breaks are
    left out of both texts before they are compared.
    """
    ref = "".join(reference.split())
    hyp = "".join(hypothesis.split())
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1] / len(ref)
