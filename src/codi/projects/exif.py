"""Where and when a field photo was taken, read from its EXIF data with Pillow (imported lazily).

``photo_metadata`` never raises on odd EXIF: what cannot be read is left ``None``. A photo
without any EXIF is reported with ``has_exif=False`` (accepted, but shown flagged).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils import timezone

EXIF_IFD = 0x8769
GPS_IFD = 0x8825
DATETIME_ORIGINAL = 36867
OFFSET_TIME_ORIGINAL = 36881
DATETIME = 306
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON = 1, 2, 3, 4
SIX_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class PhotoMetadata:
    has_exif: bool
    taken_at: datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def _rational(value: Any) -> Decimal:
    numerator = getattr(value, "numerator", None)
    denominator = getattr(value, "denominator", None)
    if numerator is not None and denominator:
        return Decimal(int(numerator)) / Decimal(int(denominator))
    if isinstance(value, tuple) and len(value) == 2 and value[1]:
        return Decimal(int(value[0])) / Decimal(int(value[1]))
    return Decimal(str(float(value)))


def _coordinate(parts: Any, ref: Any, *, limit: int) -> Decimal | None:
    try:
        degrees, minutes, seconds = (_rational(p) for p in parts)
    except (TypeError, ValueError, InvalidOperation, ZeroDivisionError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "ignore")
    if str(ref).strip().upper() in {"S", "W"}:
        value = -value
    if abs(value) > limit:
        return None
    return value.quantize(SIX_PLACES)


def _taken_at(raw: Any, offset: Any) -> datetime | None:
    if isinstance(raw, bytes):
        raw = raw.decode("ascii", "ignore")
    if not isinstance(raw, str):
        return None
    try:
        naive = datetime.strptime(raw.strip().rstrip("\x00"), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if isinstance(offset, str) and len(offset) == 6 and offset[0] in "+-":
        try:
            hours, minutes = int(offset[1:3]), int(offset[4:6])
        except ValueError:
            hours = minutes = -1
        if hours >= 0:
            sign = 1 if offset[0] == "+" else -1
            return naive.replace(tzinfo=dt_timezone(sign * timedelta(hours=hours, minutes=minutes)))
    # No offset recorded: a camera in Thailand, local time.
    return timezone.make_aware(naive, timezone.get_default_timezone())


def photo_metadata(file: IO[bytes]) -> PhotoMetadata:
    """Read EXIF from an image file object (its position is restored)."""
    from PIL import Image, UnidentifiedImageError  # heavy: Pillow is loaded only when a photo is read

    position = file.tell()
    try:
        with Image.open(file) as image:
            exif = image.getexif()
    except (UnidentifiedImageError, OSError, ValueError):
        return PhotoMetadata(has_exif=False)
    finally:
        file.seek(position)
    if not exif:
        return PhotoMetadata(has_exif=False)
    exif_ifd = exif.get_ifd(EXIF_IFD)
    taken_at = _taken_at(
        exif_ifd.get(DATETIME_ORIGINAL) or exif.get(DATETIME), exif_ifd.get(OFFSET_TIME_ORIGINAL)
    )
    gps = exif.get_ifd(GPS_IFD)
    latitude = longitude = None
    if gps.get(GPS_LAT) and gps.get(GPS_LON):
        latitude = _coordinate(gps[GPS_LAT], gps.get(GPS_LAT_REF, "N"), limit=90)
        longitude = _coordinate(gps[GPS_LON], gps.get(GPS_LON_REF, "E"), limit=180)
        if latitude is None or longitude is None:
            latitude = longitude = None
    return PhotoMetadata(has_exif=True, taken_at=taken_at, latitude=latitude, longitude=longitude)
