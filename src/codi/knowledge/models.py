"""Thai statutes split into sections, and the assistant's conversations and feedback.

Statutes are national law: they carry no area, so reading them needs only the
``knowledge.view`` permission. Conversations belong to the person who asked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SECTION_SOURCE = "knowledge.section"


class Act(models.Model):
    act_id = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=500)
    year_be = models.PositiveSmallIntegerField(null=True, blank=True)
    groups = models.CharField(max_length=200, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["act_id"]

    def __str__(self) -> str:
        return self.title


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
        return f"{self.act.title}, มาตรา {self.number}"

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
