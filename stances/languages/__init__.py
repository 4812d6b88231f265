"""The site in the Union's 24 official languages: which they are, how an address names one,
the member states' names in each (country_names.py), and the switcher between them.

Only this package knows the list; settings.LANGUAGES is OFFICIAL_LANGUAGES.
"""

ENGLISH = "en"

# Each official language of the Union, named in itself, in the order of their codes, as the
# EU's own sites list them.
OFFICIAL_LANGUAGES = [
    ("bg", "български"),
    ("cs", "čeština"),
    ("da", "dansk"),
    ("de", "Deutsch"),
    ("el", "ελληνικά"),
    ("en", "English"),
    ("es", "español"),
    ("et", "eesti"),
    ("fi", "suomi"),
    ("fr", "français"),
    ("ga", "Gaeilge"),
    ("hr", "hrvatski"),
    ("hu", "magyar"),
    ("it", "italiano"),
    ("lt", "lietuvių"),
    ("lv", "latviešu"),
    ("mt", "Malti"),
    ("nl", "Nederlands"),
    ("pl", "polski"),
    ("pt", "português"),
    ("ro", "română"),
    ("sk", "slovenčina"),
    ("sl", "slovenščina"),
    ("sv", "svenska"),
]
CODES = frozenset(code for code, _ in OFFICIAL_LANGUAGES)
NAMES = dict(OFFICIAL_LANGUAGES)

# Babel's locale for each language where the plain code would pick another variety:
# Portuguese as written in Portugal (and in the Union's texts), not in Brazil.
BABEL_LOCALES = {"pt": "pt_PT"}

# What Django's own table lacks (it has no Maltese), for get_language_info().
EXTRA_LANG_INFO = {
    "mt": {"bidi": False, "code": "mt", "name": "Maltese", "name_local": "Malti"},
}


def babel_locale(language: str) -> str:
    return BABEL_LOCALES.get(language, language)
