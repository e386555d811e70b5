"""Community organizations, their members, and the file imports that fill them.

Every organization and every person is tied to a subdistrict (tambon) code;
that code is what area scoping filters on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from codi.areas.models import Subdistrict
from codi.communities.crypto import EncryptedTextField, blind_index


class OrgType(models.TextChoices):
    COMMUNITY_ORGANIZATION = "community_org", _("Community organization")
    NETWORK = "network", _("Community network")
    COUNCIL = "council", _("Subdistrict community council")
    WELFARE_FUND = "welfare_fund", _("Community welfare fund")
    SAVINGS_GROUP = "savings_group", _("Savings group")
    HOUSING_COOP = "housing_coop", _("Housing cooperative / Baan Mankong group")
    ENTERPRISE = "enterprise", _("Community enterprise")
    OTHER = "other", _("Other")


class OrgStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DISSOLVED = "dissolved", _("Dissolved")


class LocationFlag(models.TextChoices):
    """What the check of an organization's point against its subdistrict's boundary found."""

    NONE = "", _("No problem found")
    OUTSIDE_SUBDISTRICT = "outside_subdistrict", _("Point outside its subdistrict")
    NO_BOUNDARY = "no_boundary", _("Not checked: no boundary for the subdistrict")


class Organization(models.Model):
    name_th = models.CharField(_("Thai name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    org_type = models.CharField(_("type"), max_length=20, choices=OrgType.choices)
    registration_no = models.CharField(_("registration number"), max_length=50, blank=True, db_index=True)
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="organizations")
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=OrgStatus.choices, default=OrgStatus.ACTIVE)
    address = models.TextField(_("address"), blank=True)
    # Decimal degrees with 6 places (~11 cm): exact in the database, never a float.
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    location_flag = models.CharField(
        _("location check"), max_length=20, choices=LocationFlag.choices, blank=True, default=""
    )
    phone = EncryptedTextField(_("phone"), blank=True, default="")  # a contact person's number: personal data
    email = models.EmailField(_("email"), blank=True)
    line_id = models.CharField(_("LINE ID"), max_length=50, blank=True)
    parent_network = models.ForeignKey(
        "self",
        verbose_name=_("parent network"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="network_members",
        limit_choices_to={"org_type": OrgType.NETWORK},
    )
    # Thai words of the names, space-separated, for prefix search (see codi.communities.search).
    name_search = models.TextField(blank=True, default="", editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["subdistrict", "id"], name="org_subdistrict_id")]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_no"],
                condition=~Q(registration_no=""),
                name="org_registration_no_unique",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="org_location_both_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return self.name_th


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other gender")


class Person(models.Model):
    """A member of one or more community organizations. Personal data (PDPA).

    The national ID is stored encrypted, found through ``national_id_index``
    (a keyed hash, unique: one row per person), and shown masked.
    """

    national_id = EncryptedTextField(_("national ID"))
    national_id_index = models.CharField(max_length=64, unique=True, editable=False)
    national_id_masked = models.CharField(_("national ID"), max_length=17, editable=False)
    title_th = models.CharField(_("title"), max_length=30, blank=True)
    first_name_th = models.CharField(_("first name"), max_length=100)
    last_name_th = models.CharField(_("last name"), max_length=100)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)  # Gregorian
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True, default="")
    address = EncryptedTextField(_("address"), blank=True, default="")
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="persons")
    # Keyed hash of the fields above (see ``person_fingerprint``): a re-import tells unchanged
    # rows without decrypting them. A stale value only costs a comparison, never a wrong write.
    record_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["subdistrict", "id"], name="person_subdistrict_id")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.title_th}{self.first_name_th} {self.last_name_th}".strip()

    @property
    def birth_year_be(self) -> int | None:
        return None if self.birth_year is None else self.birth_year + 543


PERSON_FIELDS = (
    "title_th",
    "first_name_th",
    "last_name_th",
    "birth_year",
    "gender",
    "phone",
    "address",
    "subdistrict_id",
)

# An organization's contact details are often a person's own (the leader's phone, e-mail, LINE,
# home address): the audit trail masks them like a person's.
ORG_PERSONAL_FIELDS = ("phone", "email", "line_id", "address")


def person_fingerprint(values: tuple[object, ...]) -> str:
    """Keyed hash of a person's ``PERSON_FIELDS`` values, in that order."""

    return blind_index("\x1f".join("" if v is None else str(v) for v in values))


class MemberRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    COMMITTEE = "committee", _("Committee member")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    """One person's place in one organization; ended memberships are kept, with their end date."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "organization"], name="membership_person_org_unique"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["organization", "role"], name="membership_org_role")]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.organization_id} ({self.role})"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None or self.ended_on >= timezone.localdate()


class ImportKind(models.TextChoices):
    ORGANIZATIONS = "organizations", _("Organizations")
    MEMBERS = "members", _("Members")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be checked")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked: ready to import")
    INVALID = "invalid", _("Errors found: nothing imported")
    COMMIT_QUEUED = "commit_queued", _("Waiting to import")
    COMMITTING = "committing", _("Importing")
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", _("Failed: nothing imported")
    CANCELLED = "cancelled", _("Cancelled")


class ImportJob(models.Model):
    """One uploaded file: checked (dry run) first, then imported in one transaction on request.

    The file is kept encrypted (it holds national IDs) until it is imported or
    cancelled. Counters are written while the background task runs so the
    page can show progress; ``errors`` keeps the first ``MAX_STORED_ERRORS``.
    """

    MAX_STORED_ERRORS = 20_000

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(max_length=10)  # "xlsx" or "csv", from the content
    file_size = models.BigIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=255, blank=True)  # in the default storage, encrypted
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    phase = models.CharField(max_length=20, blank=True)  # "reading" or "writing" while a task runs
    total_rows = models.PositiveIntegerField(null=True, blank=True)
    processed_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)  # e.g. memberships created, header row
    message_th = models.TextField(blank=True)
    message_en = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["created_by", "-id"], name="importjob_user_id")]

    def __str__(self) -> str:
        return f"import #{self.pk} {self.kind} {self.status}"

    @property
    def is_running(self) -> bool:
        return self.status in {
            ImportStatus.QUEUED,
            ImportStatus.CHECKING,
            ImportStatus.COMMIT_QUEUED,
            ImportStatus.COMMITTING,
        }

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
