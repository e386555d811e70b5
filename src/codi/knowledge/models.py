"""Thai statutes split into sections, and the assistant's conversations and feedback.

Statutes are national law: they carry no area, so reading them needs only the
``knowledge.view`` permission. Conversations belong to the person who asked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from codi.knowledge.official import official_source

SECTION_SOURCE = "knowledge.section"


class ActKind(models.TextChoices):
    ACT = "act", _("Act")
    REGULATION = "regulation", _("CODI regulation, order or manual")
    EXCERPT = "excerpt", _("Excerpts and summaries quoted in CODI's plan")


class Act(models.Model):
    """A Thai Act (sections: มาตรา) or one of CODI's own regulations (clauses: ข้อ)."""

    act_id = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=20, choices=ActKind.choices, default=ActKind.ACT)
    title = models.CharField(max_length=500)
    year_be = models.PositiveSmallIntegerField(null=True, blank=True)
    groups = models.CharField(max_length=200, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["act_id"]

    def __str__(self) -> str:
        return self.title

    @property
    def marker(self) -> str:
        """The word that numbers its parts: มาตรา in an Act, ข้อ in a regulation, หัวข้อ in an excerpt."""
        if self.kind == ActKind.EXCERPT:
            return "หัวข้อ"
        return "ข้อ" if self.kind == ActKind.REGULATION else "มาตรา"


class Section(models.Model):
    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(max_length=20)  # Arabic digits, sub-sections "26/1"
    ordinal = models.PositiveIntegerField()
    chapter = models.CharField(max_length=500, blank=True)
    body = models.TextField()

    class Meta:
        ordering = ["act_id", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["act", "number"], name="knowledge_section_unique")]

    def __str__(self) -> str:
        return f"{self.act.title}, {self.act.marker} {self.number}"

    @property
    def search_id(self) -> str:
        return section_search_id(self.act.act_id, self.number)

    @property
    def anchor(self) -> str:
        return "s-" + self.number.replace("/", "-")


def section_search_id(act_id: str, number: str) -> str:
    return f"{act_id}:{number}"


class Conversation(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class AnswerStatus(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    WEAK = "weak", _("Weak support")
    REFUSED = "refused", _("Question not accepted")


class Turn(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="turns")
    question = models.TextField()
    status = models.CharField(max_length=10, choices=AnswerStatus.choices)
    answer = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.question[:80]

    @property
    def sources(self) -> list[dict[str, str | bool | int]]:
        """The Acts of the consolidated corpus this turn cites, each with where to check its official text."""
        seen: dict[str, dict[str, str | bool | int]] = {}
        for p in (self.answer or {}).get("passages", []):
            # Turns stored before "statute" was recorded show no source line (their kind is unknown).
            statute = p.get("statute", False)
            if statute and p.get("act_id") and p["act_id"] not in seen:
                seen[p["act_id"]] = official_source(p["act_id"], p.get("act_title", "")).as_dict()
        return list(seen.values())


class FeedbackKind(models.TextChoices):
    HELPFUL = "up", _("Helpful")
    NOT_HELPFUL = "down", _("Not helpful")
    WRONG_CITATION = "wrong_citation", _("This citation is wrong")


class Feedback(models.Model):
    turn = models.ForeignKey(Turn, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=FeedbackKind.choices)
    citation = models.CharField(max_length=64, blank=True)  # "act_id:number" for WRONG_CITATION
    note = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} on {self.turn_id}"


# --- knowledge management: articles, lessons, manuals, and the question-and-answer board ------

ARTICLE_SOURCE = "knowledge.article"
QUESTION_SOURCE = "knowledge.question"


class ArticleKind(models.TextChoices):
    PRACTICE = "practice", _("Good practice")
    LESSON = "lesson", _("Lesson learned")
    MANUAL = "manual", _("Manual")


class ArticleStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    PUBLISHED = "published", _("Published")


class Article(models.Model):
    """A piece of shared knowledge, tagged by topic, program and area so it can be found again.

    Staff publish directly; what a community leader writes waits for a knowledge officer.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ArticleKind.choices)
    title = models.CharField(_("title"), max_length=300)
    summary = models.CharField(_("summary"), max_length=600, blank=True)
    body = models.TextField(_("text"))
    topics = models.CharField(_("topics"), max_length=300, blank=True)  # comma-separated tags
    program_kind = models.CharField(_("program"), max_length=20, blank=True)
    subdistrict = models.ForeignKey(
        "areas.Subdistrict", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The project a lesson was drawn from (an id, not a key: knowledge outlives project rows).
    source_project_id = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=ArticleStatus.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="article_status_created")]

    def __str__(self) -> str:
        return self.title

    @property
    def topic_list(self) -> list[str]:
        return [t.strip() for t in self.topics.split(",") if t.strip()]


class Question(models.Model):
    title = models.CharField(_("question"), max_length=300)
    body = models.TextField(_("details"), blank=True)
    topics = models.CharField(_("topics"), max_length=300, blank=True)
    subdistrict = models.ForeignKey(
        "areas.Subdistrict", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    body = models.TextField(_("answer"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_accepted = models.BooleanField(_("accepted answer"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_accepted", "created_at", "id"]

    def __str__(self) -> str:
        return self.body[:80]
