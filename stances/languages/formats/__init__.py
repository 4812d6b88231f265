"""Date and number formats for the languages Django has none for (FORMAT_MODULE_PATH).

Django looks here first for every language and falls back to its own modules; only Maltese
needs one. The patterns follow CLDR's (through Babel): "6 ta’ Diċembru 2026".
"""
