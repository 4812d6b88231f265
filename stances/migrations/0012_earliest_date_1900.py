"""Dates from 1 January 1900: the database's checks say the new limit (on SQLite, with the
triggers set aside while the tables are rebuilt: see _sqlite_triggers)."""

import datetime

from django.conf import settings
from django.db import migrations, models

from stances.migrations._sqlite_triggers import put_back, set_aside


class Migration(migrations.Migration):

    dependencies = [
        ('stances', '0011_change_days'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(set_aside, put_back),
        migrations.RemoveConstraint(
            model_name='question',
            name='question_opened_on_sane',
        ),
        migrations.RemoveConstraint(
            model_name='source',
            name='source_published_on_sane',
        ),
        migrations.RemoveConstraint(
            model_name='stance',
            name='stance_since_sane',
        ),
        migrations.RemoveConstraint(
            model_name='stancechange',
            name='change_effective_on_sane',
        ),
        migrations.AddConstraint(
            model_name='question',
            constraint=models.CheckConstraint(condition=models.Q(('opened_on__gte', datetime.date(1900, 1, 1))), name='question_opened_on_sane'),
        ),
        migrations.AddConstraint(
            model_name='source',
            constraint=models.CheckConstraint(condition=models.Q(('published_on__isnull', True), ('published_on__gte', datetime.date(1900, 1, 1)), _connector='OR'), name='source_published_on_sane'),
        ),
        migrations.AddConstraint(
            model_name='stance',
            constraint=models.CheckConstraint(condition=models.Q(('since__gte', datetime.date(1900, 1, 1))), name='stance_since_sane'),
        ),
        migrations.AddConstraint(
            model_name='stancechange',
            constraint=models.CheckConstraint(condition=models.Q(('effective_on__gte', datetime.date(1900, 1, 1))), name='change_effective_on_sane'),
        ),
        migrations.RunPython(put_back, set_aside),
    ]
