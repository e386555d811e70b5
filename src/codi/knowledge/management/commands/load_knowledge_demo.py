"""Load the demo knowledge library (articles and questions), once; marked as demo."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.identity.models import User
from codi.knowledge import services
from codi.knowledge.models import Answer, Article, Question
from codi.projects.models import Project, ProjectStatus

DATA = Path(__file__).resolve().parents[2] / "data" / "km_demo.json"


class Command(BaseCommand):
    help = "Load the demo knowledge articles and questions (skipped when already loaded)."

    def handle(self, *args: Any, **options: Any) -> None:
        data = json.loads(DATA.read_text(encoding="utf-8"))
        users = {u.username: u for u in User.objects.filter(username__startswith="demo_")}
        if Article.objects.filter(is_demo=True).exists():
            self.stdout.write("demo knowledge already loaded")
            if users:
                self._project_lessons(data, users)
            return
        if not users:
            raise CommandError("load the demo accounts first: manage.py load_demo")
        for item in data["articles"]:
            article = services.article_create(
                actor=users[item["author"]],
                kind=item["kind"],
                title=item["title"],
                summary=item["summary"],
                body=item["body"],
                topics=item["topics"],
                program_kind=item["program_kind"],
                subdistrict_code=item["area"],
            )
            Article.objects.filter(pk=article.pk).update(is_demo=True)
        for item in data["questions"]:
            question = services.question_post(
                actor=users[item["author"]],
                title=item["title"],
                body=item["body"],
                topics=item["topics"],
                subdistrict_code=item["area"],
            )
            Question.objects.filter(pk=question.pk).update(is_demo=True)
            for reply in item["answers"]:
                answer = services.answer_post(
                    actor=users[reply["author"]], question=question, body=reply["body"]
                )
                if reply["accepted"]:
                    Answer.objects.filter(pk=answer.pk).update(is_accepted=True)
        self.stdout.write(f"loaded {len(data['articles'])} articles and {len(data['questions'])} questions")
        self._project_lessons(data, users)

    def _project_lessons(self, data: dict[str, Any], users: dict[str, User]) -> None:
        """A published lesson from each closed demo project that taught one (``projects.demo_lessons``);
        skipped for projects not loaded, and for those that have their lesson already."""
        made = 0
        for item in data.get("project_lessons", []):
            project = Project.objects.filter(code=item["project_code"], status=ProjectStatus.CLOSED).first()
            if project is None or Article.objects.filter(source_project_id=project.pk).exists():
                continue
            lesson = services.lesson_from_project(
                actor=users[item["author"]],
                project_id=project.pk,
                title=item["title"],
                body=item["body"],
                summary=item["summary"],
                topics=item["topics"],
                program_kind=item["program_kind"],
                subdistrict_code=project.subdistrict_id or "",
            )
            Article.objects.filter(pk=lesson.pk).update(is_demo=True)
            made += 1
        if made:
            self.stdout.write(f"drew {made} lessons from closed demo projects")
