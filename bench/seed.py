"""Child process: migrate a fresh database, load the areas, add organizations and an API client.

Run as ``python -m bench.seed --orgs 10000 --region northeast`` with ``CODI_VAR_DIR`` (and
``DATABASE_URL``) pointing at a throw-away location; prints one JSON line with the raw API key.
"""

from __future__ import annotations

import argparse
import json
import random

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--region", default="northeast")
    parser.add_argument("--seed", type=int, default=2569)
    args = parser.parse_args()

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_areas", verbosity=0)

    from codi.areas.models import Subdistrict
    from codi.communities.models import Organization, OrgType
    from codi.communities.selectors import organization_list
    from codi.identity.models import RoleAssignment, User
    from codi.identity.services import api_key_create

    rng = random.Random(args.seed)
    codes = list(Subdistrict.objects.order_by("code").values_list("code", flat=True))
    types = list(OrgType.values)
    orgs = [
        Organization(
            name_th=f"องค์กรชุมชนทดสอบ {i:05d}",
            name_en=f"Bench community organization {i:05d}",
            org_type=types[i % len(types)],
            registration_no=f"B{i:06d}",
            subdistrict_id=rng.choice(codes),
        )
        for i in range(args.orgs)
    ]
    Organization.objects.bulk_create(orgs, batch_size=1000)

    user = User.objects.create_user(username="bench_officer", name_th="เจ้าหน้าที่ทดสอบ")
    RoleAssignment.objects.create(
        user=user, role="project_officer", scope_level="region", scope_code=args.region
    )
    _key, raw = api_key_create(actor=None, user=user, name="bench", rate_limit_per_minute=10**9)
    in_scope = organization_list(actor=user).count()
    print(json.dumps({"api_key": raw, "orgs": Organization.objects.count(), "in_scope": in_scope}))


if __name__ == "__main__":
    main()
