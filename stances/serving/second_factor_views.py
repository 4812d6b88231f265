"""The second step's pages: enrol an authenticator app, see the recovery codes once, and give
a code at each later sign-in."""

import base64
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from stances.models import SecurityEvent
from stances.serving.second_factor import needs_second_factor, safe_next
from stances.serving.security_events import record

RECOVERY_CODES = 10
SHOWN_CODES = "stances_recovery_codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next(request) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


THROTTLED = gettext_lazy(
    "Too many wrong codes in a row: wait a few seconds, then type the current one."
)


def _throttled(devices) -> bool:
    """django-otp doubles the wait after each wrong code; a code tried too soon is not looked at."""
    return any(not device.verify_is_allowed()[0] for device in devices)


def _refuse(request, form, message):
    form.add_error("code", message)
    record(SecurityEvent.Kind.SECOND_FACTOR_FAILED, request, request.user.get_username())


@never_cache
@login_required
def second_step(request):
    """A code from the app, or one of the recovery codes."""
    if not needs_second_factor(request.user) or request.user.is_verified():
        return redirect(_next(request))
    if not user_has_device(request.user):
        return redirect(f"{reverse('second_step_enrol')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].replace(" ", "")
        # Six digits are the app's; anything else a recovery code. Trying a code on the wrong
        # kind would count a failure against the other and make the next try wait.
        kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
        devices = [d for d in devices_for_user(request.user) if isinstance(d, kind)]
        if _throttled(devices):
            return _refused(request, form, THROTTLED)
        for device in devices:
            if device.verify_token(code):
                otp_login(request, device)
                return redirect(_next(request))
        return _refused(request, form, _("That code is not right (or was already used)."))
    return _code_page(request, form)


def _refused(request, form, message):
    _refuse(request, form, message)
    return _code_page(request, form)


def _code_page(request, form):
    return render(request, "registration/second_step.html", {"form": form, "next": _next(request)})


def _pending_device(user) -> TOTPDevice:
    """The device being enrolled: the same key on each visit until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def _recovery_codes(user) -> list[str]:
    """Ten new recovery codes; any old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    device.token_set.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@never_cache
@login_required
def enrol(request):
    """The QR code and the key written out; the first code confirms the app has it."""
    if not needs_second_factor(request.user) or user_has_device(request.user):
        return redirect(f"{reverse('second_step')}?{request.GET.urlencode()}")
    device = _pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _throttled([device]):
        _refuse(request, form, THROTTLED)
    elif request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _recovery_codes(request.user)
            otp_login(request, device)
            request.session[SHOWN_CODES] = codes
            record(SecurityEvent.Kind.SECOND_FACTOR_ENROLLED, request, request.user.get_username())
            query = urlencode({"next": _next(request)})
            return redirect(f"{reverse('second_step_recovery_codes')}?{query}")
        _refuse(request, form, _("That code is not right. Type the 6 digits the app shows now."))
    context = {
        "form": form,
        "next": _next(request),
        "secret": base64.b32encode(device.bin_key).decode(),
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=True),
    }
    return render(request, "registration/second_step_enrol.html", context)


@never_cache
@login_required
def recovery_codes(request):
    """Shown once: the codes leave the session as they are shown."""
    codes = request.session.pop(SHOWN_CODES, None)
    if not codes:
        return redirect(_next(request))
    context = {"codes": codes, "next": _next(request)}
    return render(request, "registration/second_step_recovery_codes.html", context)
