import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from stances.models import Question, Stance, StanceChange
from stances.transfer.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_loads_both_questions_with_27_stances_each():
    assert load_demo() is True
    assert Question.objects.published().count() == 2
    for question in Question.objects.all():
        assert question.stances.count() == 27
        assert question.positions.filter(key="no-public-position").exists()


def test_the_demo_says_only_what_its_sources_support():
    load_demo()
    occupied = Question.objects.get(slug="occupied-territories-vote-2024")
    federation = Question.objects.get(slug="putin-re-election-2024")
    assert set(occupied.stances.values_list("position__key", flat=True)) == {"does-not-recognise"}
    assert set(occupied.stances.values_list("confidence", flat=True)) == {"inferred"}
    assert set(federation.stances.values_list("position__key", flat=True)) == {"no-public-position"}
    for change in StanceChange.objects.all():
        publishers = {s.publisher for s in change.sources.all()}
        assert publishers <= {"Adnkronos", "European Commission"}
        assert publishers


def test_the_demo_is_loaded_only_into_an_empty_database():
    load_demo()
    assert load_demo() is False
    assert Stance.objects.count() == 54


def test_the_command_creates_a_local_editor_only_on_the_local_sqlite_default(
    settings, capsys, monkeypatch
):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    settings.PRODUCTION = False
    call_command("load_demo")
    out = capsys.readouterr().out
    editor = get_user_model().objects.get(username="editor")
    assert editor.groups.filter(name="Editors").exists()
    password = out.split("password: ")[1].split()[0]
    assert editor.check_password(password)
    call_command("load_demo")
    assert "password" not in capsys.readouterr().out


def test_the_sign_in_hint_names_the_address_the_server_uses(settings, capsys, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    settings.PRODUCTION = False
    call_command("load_demo", site="http://127.0.0.1:8123")
    assert "Sign in at http://127.0.0.1:8123/admin/" in capsys.readouterr().out


def test_the_command_never_creates_an_account_in_production(settings, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    settings.PRODUCTION = True
    call_command("load_demo")
    assert not get_user_model().objects.exists()
    assert Question.objects.count() == 2


def test_the_command_never_creates_an_account_on_postgresql(settings, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "postgresql")
    settings.PRODUCTION = False
    call_command("load_demo")
    assert not get_user_model().objects.exists()


def test_each_demo_source_is_the_item_itself_or_says_it_is_not(db):
    from stances.models import Source
    from stances.transfer.demo import load_demo

    load_demo()
    adnkronos = Source.objects.get(publisher="Adnkronos")
    assert adnkronos.url.startswith(
        "https://www.adnkronos.com/internazionale/esteri/elezioni-russia"
    )
    commission = Source.objects.get(publisher="European Commission")
    assert commission.url == "https://ec.europa.eu/commission/presscorner/home/en"
    assert "address is not verified" in commission.title
