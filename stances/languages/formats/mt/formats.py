# Maltese, after CLDR's "d 'ta'’ MMMM y" (long) and "dd/MM/y" (short). Month names come from
# Babel where a date is written out (stances/templatetags/days.py): Django has no Maltese.
DATE_FORMAT = "j \\t\\a’ F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j \\t\\a’ F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j \\t\\a’ F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
