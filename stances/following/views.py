"""The follow pages: ask, confirm, leave, manage. None of them is cached, and none says whether
an address is known: the answer to a request is the same either way (no enumeration)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from stances.clients import client_address
from stances.following import subscribing, tasks, throttle
from stances.following.forms import FollowForm
from stances.following.subscribing import Subject
from stances.following.tokens import BadLink
from stances.models import Frequency

FORM = "stances/following/_form.html"


@csrf_exempt  # on cached pages shared by all readers: no per-reader token can be in the form
@require_POST
def follow(request):
    """Ask for a confirmation mail. Errors come back in the form; success says "check your
    mail" whether or not the address already follows this."""
    form = FollowForm(request.POST)
    if form.is_bot:
        return _asked(request, str(form.data.get(form.add_prefix("email"), "")))
    if not form.is_valid():
        return _form(request, form, status=400)
    email, subject = form.cleaned_data["email"], form.cleaned_data["subject"]
    if throttle.too_many(email=email, network=client_address(request)):
        response = _form(request, form, status=429, throttled=True)
        response["Retry-After"] = str(throttle.WINDOW_SECONDS)
        return response
    # The mails go out in the language the reader asked in.
    language = get_language() or subscribing.DEFAULT_LANGUAGE
    tasks.send_confirmation.enqueue(email, subject.key, form.cleaned_data["frequency"], language)
    return _asked(request, email, subject)


def _form(request, form, *, status, throttled=False):
    subject = Subject.from_key(str(form.data.get(form.add_prefix("subject"), "")))
    context = {"follow_form": form, "throttled": throttled, "subject": subject}
    template = FORM if request.htmx else "stances/following/form.html"
    return render(request, template, context, status=status)


def _asked(request, email, subject=None):
    template = "stances/following/asked.html" + ("#asked" if request.htmx else "")
    return render(request, template, {"email": email, "subject": subject})


def bad_link(request, error: BadLink):
    return render(
        request,
        "stances/following/bad_link.html",
        {"expired": error.expired},
        status=410 if error.expired else 400,
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button, POST confirms: mail scanners that open links confirm nothing."""
    try:
        asked = subscribing.read_confirmation(token)
    except BadLink as error:
        return bad_link(request, error)
    if request.method == "GET":
        return render(request, "stances/following/confirm.html", {"asked": asked})
    subscription, new = subscribing.confirm(asked)
    context = {"subscription": subscription, "new": new, "asked": asked}
    return render(request, "stances/following/confirmed.html", context)


@csrf_exempt  # RFC 8058: the mail client POSTs without any token of ours
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks, POST leaves; a mail client's one-click POST gets a plain 200."""
    try:
        subscriptions = subscribing.subscriptions_to_leave(token)
    except BadLink as error:
        return bad_link(request, error)
    context = {"subscriptions": subscriptions, "token": token}
    if request.method == "GET":
        return render(request, "stances/following/unsubscribe.html", context)
    subscribing.leave(subscriptions)
    if request.POST.get("List-Unsubscribe") == "One-Click":
        return HttpResponse(_("Unsubscribed."), content_type="text/plain; charset=utf-8")
    return render(request, "stances/following/left.html", context)


@require_http_methods(["GET", "POST"])
def manage(request, token):
    """Everything an address follows: change how often, leave one, or delete it all."""
    try:
        follower = subscribing.follower_to_manage(token)
    except BadLink as error:
        return bad_link(request, error)
    if follower is None:
        return render(request, "stances/following/forgotten.html", {"gone": True})
    if request.method == "POST":
        if "delete_everything" in request.POST:
            subscribing.forget(follower)
            return render(request, "stances/following/forgotten.html", {"gone": False})
        _apply_changes(follower, request.POST)
    subscriptions = follower.subscriptions.select_related("question", "member_state")
    saved = request.method == "POST"
    context = {"follower": follower, "subscriptions": subscriptions, "saved": saved}
    return render(request, "stances/following/manage.html", context)


def _apply_changes(follower, data) -> None:
    """Each subscription's frequency as chosen, and those ticked to leave gone."""
    leaving = []
    for subscription in follower.subscriptions.all():
        if data.get(f"leave-{subscription.pk}"):
            leaving.append(subscription)
            continue
        frequency = data.get(f"frequency-{subscription.pk}")
        if frequency in Frequency.values and frequency != subscription.frequency:
            subscription.frequency = frequency
            subscription.save(update_fields=["frequency"])
    if leaving:
        subscribing.leave(leaving)
