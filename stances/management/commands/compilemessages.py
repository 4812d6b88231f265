"""`manage.py compilemessages`: Django's, or, where GNU gettext's msgfmt is not installed,
the same catalogues compiled by Babel (pure Python), so that `make install` needs nothing
from the system. Only the project's catalogues (stances/locale/) are compiled then."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.commands import compilemessages
from django.core.management.utils import find_command


class Command(compilemessages.Command):
    def handle(self, **options):
        if find_command(self.program):
            return super().handle(**options)
        for path in settings.LOCALE_PATHS:
            for po in sorted(Path(path).glob("*/LC_MESSAGES/*.po")):
                with po.open("rb") as source:
                    catalog = read_po(source)
                with po.with_suffix(".mo").open("wb") as target:
                    write_mo(target, catalog, use_fuzzy=options.get("use_fuzzy", False))
                if options["verbosity"] > 0:
                    self.stdout.write(f"processing file {po.name} in {po.parent}")
