"""The site's addresses: each wing's, served as the serving wing says, and the admin's.

This is where the wings are put together, so it is the one module that knows them all.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from stances.following import admin as following_admin  # noqa: F401 - registers the admin pages
from stances.following import urls as following
from stances.languages.addresses import language_patterns
from stances.languages.switcher import choose_language
from stances.maps.share_image import question_share_png
from stances.pages import urls as pages
from stances.published import urls as published
from stances.reports import admin as reports_admin  # noqa: F401 - registers the admin pages
from stances.reports import urls as reports
from stances.serving import second_factor_views
from stances.serving.addresses import framed, public
from stances.transfer import import_views


def admin_urls():
    """The admin's own addresses, and the CSV import among the stance changes' pages."""
    urls, app_name, namespace = admin.site.urls
    importing = path(
        "stances/stancechange/import/",
        admin.site.admin_view(import_views.import_changes),
        name="stances_stancechange_import",
    )
    return [importing, *urls], app_name, namespace


handler404 = "stances.published.api.page_not_found"
handler403 = "stances.serving.security_events.permission_denied"

# The pages people read, in English at these addresses and in the Union's other languages
# under /bg/, /cs/, ... (stances/languages/).
urlpatterns = language_patterns(
    *public(pages.reader_urls),
    *framed(public(pages.embed_urls)),
    *pages.editor_urls,
    *public(published.page_urls),
    # Following and readers' reports: each answer is one reader's, never cached.
    *following.urlpatterns,
    *reports.urlpatterns,
)

urlpatterns += [
    # Downloads, feeds and the API say the same to everyone, signed in or not; ?lang= names
    # the language of what they say in words.
    *public(published.urlpatterns, same_for_everyone=True),
    # The card link previews show: the same for everyone, cached like the pages.
    *public(
        [path("questions/<slug:slug>/share.png", question_share_png, name="question_share_png")],
        same_for_everyone=True,
    ),
    # The language switcher's choice: a cookie, then the same page in that language.
    path("language/<str:code>/", choose_language, name="choose_language"),
    # Sign-in and sign-out only: passwords are changed in the admin, and resets by an admin
    # (no mail is sent from here).
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/second-step/", second_factor_views.second_step, name="second_step"),
    path("accounts/second-step/enrol/", second_factor_views.enrol, name="second_step_enrol"),
    path(
        "accounts/second-step/recovery-codes/",
        second_factor_views.recovery_codes,
        name="second_step_recovery_codes",
    ),
    path("admin/", admin_urls()),
]
