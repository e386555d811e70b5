from django.urls import include, path
from django.views.generic import RedirectView
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from codi.website import views

app_name = "website"

urlpatterns = [
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
    path("feeds/news.rss", views.NewsFeed(), name="news_rss"),
    path("feeds/news.atom", views.NewsAtomFeed(), name="news_atom"),
    path("website/cookies/", views.cookie_consent, name="cookie_consent"),
    path("search/", views.site_search, name="search"),
    path("website/language/", views.choose_language, name="language"),
    path("website/feedback/", views.feedback_form, name="feedback"),
]

# Outside the namespace: Wagtail reverses its own names (wagtailadmin_*, wagtaildocs_*).
# Wagtail's own sign-in page sends people to the platform's (MFA, lockout, single sign-on).
cms_urlpatterns = [
    path("cms/login/", RedirectView.as_view(url="/accounts/login/", query_string=True)),
    path("cms/", include(wagtailadmin_urls)),
    path("website/documents/", include(wagtaildocs_urls)),
]
