"""Render the Thai letters in tests/documents/data/ocr_letters_th.txt as degraded "scans" for the OCR test.

Each letter (paragraphs separated by a line "===") is drawn with the shipped
Sarabun font at about 300 dpi (Pillow with libraqm shapes Thai marks), then
degraded the way a desk scanner and an office copier do: a slight rotation,
Gaussian blur, salt-and-pepper and Gaussian noise, and JPEG compression. A fixed
seed makes the output byte-for-byte reproducible on the same Pillow/numpy.

    PYTHONPATH=src .venv/bin/python scripts/make_ocr_samples.py   # rewrites tests/documents/data/scan_*.jpg
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
TEXT = ROOT / "tests/documents/data/ocr_letters_th.txt"
OUT = ROOT / "tests/documents/data"
FONT = ROOT / "src/codi/web/static/codi/fonts/Sarabun-Regular.ttf"
SEED = 6
FONT_PX = 40  # ~14 pt at 200 dpi: the size of an official letter's body text
MARGIN = 60
LINE_GAP = 1.7
# Degradation per sample: (rotation degrees, blur radius, noise sigma, speckle share, JPEG quality)
DEGRADATIONS = [
    (0.6, 0.6, 8.0, 0.002, 60),
    (-0.9, 0.8, 10.0, 0.003, 50),
    (1.2, 0.7, 12.0, 0.002, 45),
    (-0.4, 1.0, 9.0, 0.004, 55),
]


def letters(path: Path = TEXT) -> list[str]:
    return [part.strip() for part in path.read_text(encoding="utf-8").split("===") if part.strip()]


def render(text: str) -> Image.Image:
    font = ImageFont.truetype(str(FONT), FONT_PX, layout_engine=ImageFont.Layout.RAQM)
    lines = text.splitlines()
    width = max(int(font.getlength(line, language="th")) for line in lines) + 2 * MARGIN
    height = int(len(lines) * FONT_PX * LINE_GAP) + 2 * MARGIN
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((MARGIN, MARGIN + i * FONT_PX * LINE_GAP), line, font=font, fill=0, language="th")
    return image


def degrade(
    image: Image.Image, rng: np.random.Generator, spec: tuple[float, float, float, float, int]
) -> bytes:
    angle, blur, sigma, speckle, quality = spec
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(blur))
    pixels = np.asarray(image, dtype=np.float32)
    pixels += rng.normal(0.0, sigma, pixels.shape)
    dots = rng.random(pixels.shape)
    pixels[dots < speckle / 2] = 0
    pixels[dots > 1 - speckle / 2] = 255
    noisy = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
    buffer = io.BytesIO()
    noisy.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rng = np.random.default_rng(SEED)
    texts = letters()
    for number, (text, spec) in enumerate(zip(texts, DEGRADATIONS, strict=True), start=1):
        data = degrade(render(text), rng, spec)
        path = args.out / f"scan_{number}.jpg"
        path.write_bytes(data)
        print(f"{path.relative_to(ROOT)}: {len(data):,} bytes")


if __name__ == "__main__":
    main()
