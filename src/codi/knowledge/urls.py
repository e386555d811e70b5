from django.urls import path, re_path

from codi.knowledge import views

urlpatterns = [
    path("knowledge/", views.assistant_page, name="knowledge_assistant"),
    path(
        "knowledge/conversations/<int:conversation_id>/",
        views.conversation_page,
        name="knowledge_conversation",
    ),
    path("knowledge/answers/<int:turn_id>/feedback/", views.feedback_submit, name="knowledge_feedback"),
    path("knowledge/acts/<str:act_id>/", views.act_page, name="knowledge_act"),
    re_path(
        r"^knowledge/acts/(?P<act_id>[\w-]+)/sections/(?P<number>\d{1,4}(?:/\d{1,3})?)/$",
        views.section_page,
        name="knowledge_section",
    ),
]
