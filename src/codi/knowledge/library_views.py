"""Pages of the knowledge library (articles, lessons, manuals) and the question-and-answer board."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.knowledge import km_ai, km_summary, related, selectors, services
from codi.knowledge.models import ARTICLE_SOURCE, QUESTION_SOURCE, SECTION_SOURCE, ArticleKind, ArticleStatus
from codi.projects.models import ProjectStatus
from codi.projects.selectors import project_get, project_reports
from codi.search.selectors import index_progress
from codi.search.tasks import embed_task

PAGE_SIZE = 20


def _require_share(request: HttpRequest) -> None:
    if not user_has_perm(request.user, Perm.KNOWLEDGE_SHARE):
        raise PermissionDenied


@login_required
def library(request: HttpRequest) -> HttpResponse:
    _require_share(request)
    query = request.GET.get("q", "")[:300]
    kind = request.GET.get("kind", "")
    area = request.GET.get("area", "")[:6]
    articles = selectors.article_list(
        actor=request.user, query=query, kind=kind if kind in ArticleKind.values else "", area_code=area
    )
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "knowledge/library.html",
        {"page": page, "query": query, "kind": kind, "area": area, "kinds": ArticleKind.choices},
    )


@login_required
def article_new(request: HttpRequest) -> HttpResponse:
    _require_share(request)
    values = {"kind": ArticleKind.PRACTICE, "title": "", "summary": "", "body": "", "topics": "", "area": ""}
    error = ""
    suggestions: list[km_ai.TopicSuggestion] = []
    if request.method == "POST" and "suggest" in request.POST:
        # Suggestions only: nothing is saved until the author ticks the ones they accept and saves.
        values = {key: request.POST.get(key, "") for key in values}
        known = set(km_ai.split_tags(values["topics"]))
        suggestions = [
            s
            for s in km_ai.suggest_topics(f"{values['title']}\n{values['summary']}\n{values['body']}")
            if s.topic not in known
        ]
        if not suggestions:
            error = str(_("No topic could be suggested for this text; please write the topics yourself."))
        return render(
            request,
            "knowledge/article_form.html",
            {"values": values, "error": error, "kinds": ArticleKind.choices, "suggestions": suggestions},
        )
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        values["topics"] = km_ai.merge_tags(values["topics"], request.POST.getlist("accept"))
        try:
            article = services.article_create(
                actor=request.user,
                kind=values["kind"],
                title=values["title"],
                summary=values["summary"],
                body=values["body"],
                topics=values["topics"],
                subdistrict_code=values["area"].strip(),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if article.status == ArticleStatus.PENDING:
                messages.info(
                    request, _("Thank you. A knowledge officer will review the article before it is shown.")
                )
            return redirect("knowledge_article", article_id=article.pk)
    return render(
        request,
        "knowledge/article_form.html",
        {"values": values, "error": error, "kinds": ArticleKind.choices},
        status=422 if error else 200,
    )


@login_required
def article_page(request: HttpRequest, article_id: int) -> HttpResponse:
    _require_share(request)
    article = selectors.article_get(actor=request.user, article_id=article_id)
    if article is None:
        raise Http404
    about = f"{article.title}\n{article.summary or article.body[:300]}"
    return render(
        request,
        "knowledge/article.html",
        {
            "article": article,
            "related": related.similar_articles(actor=request.user, text=about, exclude_id=article.pk),
            "related_questions": related.similar_questions(actor=request.user, text=about, limit=3),
            "can_publish": user_has_perm(request.user, Perm.KNOWLEDGE_MANAGE),
        },
    )


@login_required
@require_POST
def article_publish(request: HttpRequest, article_id: int) -> HttpResponse:
    _require_share(request)
    article = selectors.article_get(actor=request.user, article_id=article_id)
    if article is None:
        raise Http404
    services.article_publish(actor=request.user, article=article)
    messages.success(request, _("The article is published."))
    return redirect("knowledge_article", article_id=article.pk)


@login_required
def questions(request: HttpRequest) -> HttpResponse:
    _require_share(request)
    query = request.GET.get("q", "")[:300]
    area = request.GET.get("area", "")[:6]
    values = {"title": "", "body": "", "topics": "", "area": ""}
    error = ""
    asked_before: list[related.Similar] | None = None
    suggestions: list[km_ai.TopicSuggestion] = []
    if request.method == "POST" and "check" in request.POST:
        # "Has someone asked this before?": nothing is posted; the form comes back as it was typed,
        # with the topic tags the author may tick (the board's own tags among them).
        values = {key: request.POST.get(key, "") for key in values}
        text = f"{values['title']}\n{values['body']}"
        asked_before = related.similar_questions(actor=request.user, text=text)
        chosen = set(km_ai.split_tags(values["topics"]))
        suggestions = [
            s
            for s in km_ai.suggest_topics(text, known=selectors.question_topic_tags())
            if s.topic not in chosen
        ]
    elif request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        values["topics"] = km_ai.merge_tags(values["topics"], request.POST.getlist("accept"))
        try:
            question = services.question_post(
                actor=request.user,
                title=values["title"],
                body=values["body"],
                topics=values["topics"],
                subdistrict_code=values["area"].strip(),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("knowledge_question", question_id=question.pk)
    page = Paginator(
        selectors.question_list(actor=request.user, query=query, area_code=area), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "knowledge/questions.html",
        {
            "page": page,
            "query": query,
            "area": area,
            "values": values,
            "error": error,
            "asked_before": asked_before,
            "suggestions": suggestions,
        },
        status=422 if error else 200,
    )


@login_required
def questions_similar(request: HttpRequest) -> JsonResponse:
    """The questions already asked that mean the same as the one being typed (for the board's form)."""
    _require_share(request)
    text = request.GET.get("q", "")[: related.MAX_TEXT_CHARS]
    found = related.similar_questions(actor=request.user, text=text)
    return JsonResponse(
        {
            "questions": [
                {
                    "title": s.item.title,
                    "url": reverse("knowledge_question", args=[s.item.pk]),
                    "answers": s.item.answer_count,
                    "accepted": bool(s.item.accepted_count),
                    "by": s.by,
                }
                for s in found
            ]
        }
    )


@login_required
def question_page(request: HttpRequest, question_id: int) -> HttpResponse:
    _require_share(request)
    question = selectors.question_get(actor=request.user, question_id=question_id)
    if question is None:
        raise Http404
    error, body = "", ""
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            services.answer_post(actor=request.user, question=question, body=body)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("knowledge_question", question_id=question.pk)
    return render(
        request,
        "knowledge/question.html",
        {
            "question": question,
            "answers": selectors.question_answers(actor=request.user, question=question),
            "asked_before": related.similar_questions(
                actor=request.user, text=f"{question.title}\n{question.body}", exclude_id=question.pk, limit=3
            ),
            "can_accept": question.author_id == request.user.pk
            or user_has_perm(request.user, Perm.KNOWLEDGE_MANAGE),
            "error": error,
            "body": body,
        },
        status=422 if error else 200,
    )


@login_required
@require_POST
def answer_accept(request: HttpRequest, question_id: int, answer_id: int) -> HttpResponse:
    _require_share(request)
    question = selectors.question_get(actor=request.user, question_id=question_id)
    answer = question.answers.filter(pk=answer_id).first() if question else None
    if answer is None:
        raise Http404
    services.answer_accept(actor=request.user, answer=answer)
    return redirect("knowledge_question", question_id=question_id)


@login_required
def regulations(request: HttpRequest) -> HttpResponse:
    """CODI's own regulations in the assistant's library; knowledge officers upload new ones here."""
    if not user_has_perm(request.user, Perm.KNOWLEDGE_VIEW):
        raise PermissionDenied
    can_upload = user_has_perm(request.user, Perm.KNOWLEDGE_MANAGE)
    error, title = "", ""
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        title = request.POST.get("title", "")
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a file to upload.")
        else:
            try:
                act = services.regulation_upload(
                    actor=request.user, data=upload.read(), filename=upload.name or "", title=title
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("The regulation was imported and can now be cited."))
                return redirect("knowledge_act", act_id=act.act_id)
    return render(
        request,
        "knowledge/regulations.html",
        {
            "regulations": selectors.regulation_list(actor=request.user),
            "can_upload": can_upload,
            "error": error,
            "title": title,
        },
        status=422 if error else 200,
    )


INDEX_SOURCES = (
    (SECTION_SOURCE, gettext_lazy("Acts and regulations")),
    (ARTICLE_SOURCE, gettext_lazy("Knowledge articles")),
    (QUESTION_SOURCE, gettext_lazy("Questions and answers")),
)


@login_required
def index_status(request: HttpRequest) -> HttpResponse:
    """How far indexing has come (words and meaning vectors); knowledge officers can queue the rest."""

    if not user_has_perm(request.user, Perm.KNOWLEDGE_MANAGE):
        raise PermissionDenied
    if request.method == "POST":
        for source, _label in INDEX_SOURCES:
            embed_task.enqueue(source)
        messages.success(request, _("Indexing was queued; this page shows its progress."))
        return redirect("knowledge_index_status")
    rows = []
    is_done = True
    for source, label in INDEX_SOURCES:
        progress = index_progress(source=source)
        percent = round(100 * progress.embedded / progress.chunks) if progress.chunks else 100
        rows.append({"label": str(label), "progress": progress, "percent": percent})
        is_done = is_done and (progress.dense_ready or not progress.chunks)
    return render(request, "knowledge/index_status.html", {"rows": rows, "is_done": is_done})


SUMMARY_PROBLEMS = {
    km_summary.PROBLEM_EMPTY: gettext_lazy(
        "The project has no final report text to summarise; please write the summary yourself."
    ),
    km_summary.PROBLEM_NOT_THAI: gettext_lazy(
        "The final report is not in Thai, so no summary could be suggested; please write the summary yourself."
    ),
    km_summary.PROBLEM_TOO_SHORT: gettext_lazy(
        "The final report is too short to summarise; please write the summary yourself."
    ),
}


@login_required
def lesson_from_project(request: HttpRequest, project_id: int) -> HttpResponse:
    """A closed project's final report and evaluation drafted as a lesson, with a suggested summary.

    The page shows the draft: the summary is the final report's most central sentences
    (``km_summary``), which the author keeps or edits before saving. A project has one lesson;
    asking again opens it.
    """

    _require_share(request)
    project = project_get(actor=request.user, project_id=project_id)
    if project is None:
        raise Http404
    existing = selectors.lesson_for_project(project_id=project.pk)
    if existing is not None:
        return redirect("knowledge_article", article_id=existing.pk)
    if project.status != ProjectStatus.CLOSED:
        messages.error(request, _("Only a closed project can become a lesson."))
        return redirect("projects:project_detail", project_id=project.pk)
    final = next((r for r in project_reports(project=project) if r.is_final), None)
    report = final.narrative if final is not None else ""
    suggestion = km_summary.summarise_report(report)
    parts = [project.objectives, report, project.evaluation]
    defaults = {
        "title": _("Lesson: %(title)s") % {"title": project.title},
        "summary": suggestion.text,
        "body": "\n\n".join(part for part in parts if part) or project.title,
        "topics": project.program.name_th,
    }
    values, error = defaults, ""
    if request.method == "POST":
        # A field the form did not send keeps its drafted value (one action from the project page still works).
        values = {key: request.POST.get(key, default) for key, default in defaults.items()}
        values["topics"] = km_ai.merge_tags(values["topics"], request.POST.getlist("accept"))
        try:
            article = services.lesson_from_project(
                actor=request.user,
                project_id=project.pk,
                title=values["title"],
                summary=values["summary"],
                body=values["body"],
                topics=values["topics"],
                program_kind=project.program.kind,
                subdistrict_code=project.subdistrict_id,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("knowledge_article", article_id=article.pk)
    return render(
        request,
        "knowledge/lesson_form.html",
        {
            "project": project,
            "values": values,
            "suggestion": suggestion,
            "summary_problem": SUMMARY_PROBLEMS.get(suggestion.problem, ""),
            # Topic tags the author may tick (those already in the topics field are not offered again).
            "suggestions": [
                s
                for s in km_ai.suggest_topics("\n".join(parts))
                if s.topic not in km_ai.split_tags(values["topics"])
            ],
            "error": error,
        },
        status=422 if error else 200,
    )
