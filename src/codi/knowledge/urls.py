from django.urls import path, re_path

from codi.knowledge import library_views, views

urlpatterns = [
    path("knowledge/", views.assistant_page, name="knowledge_assistant"),
    path(
        "knowledge/conversations/<int:conversation_id>/",
        views.conversation_page,
        name="knowledge_conversation",
    ),
    path("knowledge/answers/<int:turn_id>/feedback/", views.feedback_submit, name="knowledge_feedback"),
    path("knowledge/acts/<str:act_id>/", views.act_page, name="knowledge_act"),
    path("knowledge/library/", library_views.library, name="knowledge_library"),
    path("knowledge/library/new/", library_views.article_new, name="knowledge_article_new"),
    path("knowledge/library/<int:article_id>/", library_views.article_page, name="knowledge_article"),
    path(
        "knowledge/library/<int:article_id>/publish/",
        library_views.article_publish,
        name="knowledge_article_publish",
    ),
    path("knowledge/regulations/", library_views.regulations, name="knowledge_regulations"),
    path("knowledge/index/", library_views.index_status, name="knowledge_index_status"),
    path(
        "knowledge/lessons/from-project/<int:project_id>/",
        library_views.lesson_from_project,
        name="knowledge_lesson_from_project",
    ),
    path("knowledge/questions/", library_views.questions, name="knowledge_questions"),
    path("knowledge/questions/similar/", library_views.questions_similar, name="knowledge_questions_similar"),
    path("knowledge/questions/<int:question_id>/", library_views.question_page, name="knowledge_question"),
    path(
        "knowledge/questions/<int:question_id>/answers/<int:answer_id>/accept/",
        library_views.answer_accept,
        name="knowledge_answer_accept",
    ),
    re_path(
        r"^knowledge/acts/(?P<act_id>[\w-]+)/sections/(?P<number>\d{1,4}(?:/\d{1,3})?)/$",
        views.section_page,
        name="knowledge_section",
    ),
]
