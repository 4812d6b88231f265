"""Each member state's accession date in place of its year: the site replays membership by day."""

import datetime

import django.core.validators
from django.db import migrations, models

# The enlargements, by the year the former field held.
ACCESSION_DATES = {
    1958: datetime.date(1958, 1, 1),
    1973: datetime.date(1973, 1, 1),
    1981: datetime.date(1981, 1, 1),
    1986: datetime.date(1986, 1, 1),
    1995: datetime.date(1995, 1, 1),
    2004: datetime.date(2004, 5, 1),
    2007: datetime.date(2007, 1, 1),
    2013: datetime.date(2013, 7, 1),
}
HELP = (
    "The day it joined (1958-01-01 for the six founders): before it, the site shows it as not "
    "yet a member and the Council counts without it."
)


def fill_dates(apps, schema_editor):
    for name in ("MemberState", "HistoricalMemberState"):
        model = apps.get_model("stances", name)
        for year, day in ACCESSION_DATES.items():
            model.objects.filter(accession_year=year).update(accession_date=day)
        # A year that was no enlargement (edited by hand) falls back to its first day.
        for row in model.objects.filter(accession_date__isnull=True):
            row.accession_date = datetime.date(row.accession_year, 1, 1)
            row.save(update_fields=["accession_date"])


def fill_years(apps, schema_editor):
    for name in ("MemberState", "HistoricalMemberState"):
        model = apps.get_model("stances", name)
        for row in model.objects.all():
            row.accession_year = row.accession_date.year
            row.save(update_fields=["accession_year"])


def date_field(null):
    return models.DateField(
        null=null,
        help_text=HELP,
        validators=[django.core.validators.MinValueValidator(datetime.date(1958, 1, 1))],
    )


class Migration(migrations.Migration):
    dependencies = [("stances", "0006_revision_notify")]

    operations = [
        migrations.AddField("memberstate", "accession_date", date_field(null=True)),
        migrations.AddField("historicalmemberstate", "accession_date", date_field(null=True)),
        migrations.AlterField(
            "memberstate", "accession_year", models.PositiveSmallIntegerField(null=True)
        ),
        migrations.AlterField(
            "historicalmemberstate", "accession_year", models.PositiveSmallIntegerField(null=True)
        ),
        migrations.RunPython(fill_dates, fill_years),
        migrations.AlterField("memberstate", "accession_date", date_field(null=False)),
        migrations.AlterField("historicalmemberstate", "accession_date", date_field(null=False)),
        migrations.RemoveField("memberstate", "accession_year"),
        migrations.RemoveField("historicalmemberstate", "accession_year"),
    ]
