"""Models of electronic correspondence (saraban): the register of letters, routing, notes, files.

Follows the Regulation of the Prime Minister's Office on Official Correspondence
B.E. 2526 (ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ): every unit keeps a register
of letters received (หนังสือรับ) and sent (หนังสือส่ง) and numbers internal memos
(บันทึกข้อความ); numbers run per unit per year and are never reused.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from codi.identity.models import OrgUnit


class LetterKind(models.TextChoices):
    INCOMING = "incoming", _("Incoming letter")
    OUTGOING = "outgoing", _("Outgoing letter")
    MEMO = "memo", _("Internal memo")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    VERY_URGENT = "very_urgent", _("Very urgent")
    MOST_URGENT = "most_urgent", _("Most urgent")


class Secrecy(models.TextChoices):
    NORMAL = "normal", _("Not classified")
    CONFIDENTIAL = "confidential", _("Confidential")
    SECRET = "secret", _("Secret")
    TOP_SECRET = "top_secret", _("Top secret")


SECRET_LEVELS = frozenset({Secrecy.CONFIDENTIAL, Secrecy.SECRET, Secrecy.TOP_SECRET})


class LetterStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class YearBasis(models.TextChoices):
    CALENDAR = "calendar", _("Calendar year")
    FISCAL = "fiscal", _("Fiscal year")


class RegisterBook(models.Model):
    """A unit's saraban settings: the code in its letter numbers and how its numbers run."""

    org_unit = models.OneToOneField(OrgUnit, on_delete=models.PROTECT, related_name="register_book")
    # The unit's code in letter numbers, e.g. "พอช ๑๒.๓" (as it is printed; Thai or Arabic digits).
    letter_code = models.CharField(_("letter number code"), max_length=40)
    year_basis = models.CharField(
        _("numbers restart each"), max_length=10, choices=YearBasis.choices, default=YearBasis.CALENDAR
    )
    thai_digits = models.BooleanField(_("print numbers and dates in Thai digits"), default=True)

    def __str__(self) -> str:
        return self.letter_code


class Registrar(models.Model):
    """A person who keeps a unit's register (เจ้าหน้าที่สารบรรณ): registers, numbers and routes letters."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="registrars")
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "org_unit"], name="unique_registrar_per_unit")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.org_unit}"


class RunningNumber(models.Model):
    """The last number given in one series (unit, kind, year); locked by each allocation."""

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=LetterKind.choices)
    year = models.PositiveIntegerField()  # Buddhist Era, calendar or fiscal per the unit's book
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "kind", "year"], name="unique_running_number_series")
        ]

    def __str__(self) -> str:
        return f"{self.org_unit_id}/{self.kind}/{self.year}: {self.last_number}"


class Letter(models.Model):
    """One entry in a unit's register: a letter received, a letter sent, or an internal memo."""

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("letter kind"), max_length=10, choices=LetterKind.choices)
    year = models.PositiveIntegerField(_("register year (B.E.)"))
    register_number = models.PositiveIntegerField(_("register number"))
    # Outgoing letters and memos: our number ("พอช ๑๒.๓/๔๕"); incoming: the sender's number.
    document_number = models.CharField(_("letter number"), max_length=80, blank=True)
    letter_date = models.DateField(_("letter date"))
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    sender = models.CharField(_("from"), max_length=300, blank=True)
    recipient = models.CharField(_("to"), max_length=300, blank=True)
    subject = models.CharField(_("subject"), max_length=500)
    salutation = models.CharField(_("salutation"), max_length=300, blank=True)
    reference = models.CharField(_("referring to"), max_length=500, blank=True)
    enclosures = models.CharField(_("enclosures"), max_length=500, blank=True)
    body = models.TextField(_("body"), blank=True)
    closing = models.CharField(_("closing"), max_length=100, blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(_("signer's name"), max_length=200, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=200, blank=True)
    contact = models.CharField(_("contact unit and telephone"), max_length=300, blank=True)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    secrecy = models.CharField(_("secrecy"), max_length=12, choices=Secrecy.choices, default=Secrecy.NORMAL)
    status = models.CharField(
        _("status"), max_length=12, choices=LetterStatus.choices, default=LetterStatus.REGISTERED
    )
    pdf = models.FileField(_("letter PDF"), upload_to="correspondence/letters/%Y/", blank=True)
    pdf_signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        ordering = ["-year", "-register_number", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "kind", "year", "register_number"], name="unique_letter_register_number"
            )
        ]
        indexes = [models.Index(fields=["org_unit", "kind", "year"])]

    def __str__(self) -> str:
        return f"{self.document_number or self.register_number} {self.subject}"

    @property
    def is_secret(self) -> bool:
        return self.secrecy in SECRET_LEVELS


class Routing(models.Model):
    """The letter sent on to a unit or a named person, with an instruction; acknowledged on receipt."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="routings")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    to_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    instruction = models.TextField(_("instruction"), blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_unit__isnull=False) | models.Q(to_user__isnull=False),
                name="routing_has_a_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.letter_id} → {self.to_user_id or self.to_unit_id}"


class NoteKind(models.TextChoices):
    INSTRUCTION = "instruction", _("Instruction")
    COMMENT = "comment", _("Comment")


class Note(models.Model):
    """A minute written on the letter (เกษียนหนังสือ): an instruction or a comment; never edited."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        _("minute type"), max_length=12, choices=NoteKind.choices, default=NoteKind.COMMENT
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:50]


class Attachment(models.Model):
    """A file kept with the letter (scan of the original, enclosure, reply draft)."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="correspondence/attachments/%Y/")
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # A link by id to a document in the document store (codi.documents), when it also lives there.
    document_id = models.PositiveBigIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.filename
