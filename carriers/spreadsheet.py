"""The one rule that keeps CSV cells from running as spreadsheet formulas, in Python and in SQL.

OWASP's CSV-injection guidance: a spreadsheet may run a cell that starts, after any leading
whitespace, with one of the trigger characters (including their fullwidth forms, which some
spreadsheets normalise). Such a cell gets a leading apostrophe. Leading apostrophes already in
the data are looked through, so the escaping can always be undone exactly: the importer strips
one apostrophe only where the exporter added one.
"""

from django.db.models import Func, TextField

FORMULA_TRIGGERS = "=+-@\t\r\n\uff1d\uff0b\uff0d\uff20"
# What a spreadsheet skips before reading a cell as a formula.
LEADING_WHITESPACE = " \t\r\n\u00a0\u3000"
APOSTROPHE = "'"


def _runs_as_formula(text):
    text = text.lstrip(APOSTROPHE)
    first, first_visible = text[:1], text.lstrip(LEADING_WHITESPACE)[:1]
    return any(character and character in FORMULA_TRIGGERS for character in (first, first_visible))


def escape(value):
    """Text a spreadsheet could run gets a leading apostrophe; None becomes ''; other values pass as they are."""
    if value is None:
        return ""
    if isinstance(value, str) and _runs_as_formula(value):
        return APOSTROPHE + value
    return value


def unescape(value):
    """Exactly undo `escape`: a genuine leading apostrophe in the data survives."""
    if isinstance(value, str) and value.startswith(APOSTROPHE) and _runs_as_formula(value[1:]):
        return value[1:]
    return value


def _chr(characters, separator):
    return separator.join(f"CHR({ord(character)})" for character in characters)


def escape_sql(text):
    """The SQL (PostgreSQL) twin of `escape` for the text expression `text`; '' becomes NULL, as COPY writes it."""
    looked_through = f"LTRIM({text}, {_chr(APOSTROPHE, '')})"
    visible = f"LTRIM({looked_through}, {_chr(LEADING_WHITESPACE, ' || ')})"
    triggers = _chr(FORMULA_TRIGGERS, ", ")
    # Most cells start with none of these: one comparison settles them, and only the rest are trimmed.
    may_run = _chr(sorted(set(FORMULA_TRIGGERS + APOSTROPHE + LEADING_WHITESPACE)), ", ")
    return (
        f"CASE WHEN LEFT({text}, 1) NOT IN ({may_run}) THEN NULLIF({text}, '') "
        f"WHEN LEFT({looked_through}, 1) IN ({triggers}) OR LEFT({visible}, 1) IN ({triggers}) "
        f"THEN {_chr(APOSTROPHE, '')} || {text} ELSE NULLIF({text}, '') END"
    )


class Escaped(Func):
    """`escape` applied in the database, for PostgreSQL's COPY."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra):
        text, params = compiler.compile(self.source_expressions[0])
        sql = escape_sql("__text__")
        return sql.replace("__text__", text), params * sql.count("__text__")
