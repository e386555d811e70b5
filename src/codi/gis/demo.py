"""Demo settlements (``manage.py load_gis_demo``): informal settlements around Khon Kaen's demo
organizations, recorded by the demo Khon Kaen officer through the services (checked and audited)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from codi.areas import selectors as area_selectors
from codi.communities import selectors as community_selectors
from codi.gis import services
from codi.gis.geometry import GeometryError
from codi.gis.layers import area_points
from codi.gis.models import INFRASTRUCTURE, EvictionRisk, LandOwner, Settlement, Tenure
from codi.identity.models import User

DEMO_USER = "demo_officer"
PROVINCE = "40"
MAX_SETTLEMENTS = 40
NAMES = ("ชุมชนริมบึง", "ชุมชนหลังสถานีรถไฟ", "ชุมชนริมคลอง", "ชุมชนใต้สะพาน", "ชุมชนหลังตลาด", "ชุมชนริมทาง")


@dataclass
class DemoSummary:
    created: int = 0
    skipped: int = 0
    already: bool = False


def gis_demo_load() -> DemoSummary:
    summary = DemoSummary()
    if Settlement.objects.filter(is_demo=True).exists():
        summary.already = True
        return summary
    officer = User.objects.filter(username=DEMO_USER).first()
    if officer is None:
        return summary
    rng = random.Random(2569)  # noqa: S311 — demo data, not security
    orgs = community_selectors.organization_list(actor=officer, province_code=PROVINCE).order_by("id")
    points = area_points("subdistrict")
    for org in orgs[: MAX_SETTLEMENTS * 2]:
        if summary.created >= MAX_SETTLEMENTS:
            break
        code = org.subdistrict_id
        if (
            org.longitude is not None
            and org.latitude is not None
            and area_selectors.subdistrict_contains(
                code=code, lon=float(org.longitude), lat=float(org.latitude)
            )
        ):
            lon, lat = float(org.longitude) + 0.002, float(org.latitude)
        elif code in points:
            lon, lat = points[code]
        else:
            summary.skipped += 1
            continue
        half = 0.0008 + rng.random() * 0.0008
        ring = [
            [lon - half, lat - half],
            [lon + half, lat - half],
            [lon + half, lat + half],
            [lon - half, lat + half],
        ]
        households = rng.randint(20, 400)
        data = {
            "name": f"{rng.choice(NAMES)} {summary.created + 1}",
            "subdistrict": code,
            "households": households,
            "population": households * rng.randint(3, 4),
            "land_owner": rng.choice(LandOwner.values),
            "tenure": rng.choice(Tenure.values),
            "eviction_risk": rng.choice(EvictionRisk.values),
            "infrastructure": rng.sample(list(INFRASTRUCTURE), rng.randint(1, 5)),
            "year_surveyed": rng.choice((2566, 2567, 2568)),
            "organization": org.pk,
        }
        try:
            services.settlement_create(
                actor=officer, data=data, geometry={"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
                source="demo", is_demo=True,
            )  # fmt: skip
        except GeometryError:
            summary.skipped += 1
            continue
        summary.created += 1
    return summary
