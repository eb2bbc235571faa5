"""A record's other names, each with its language (BCP 47) and script (ISO 15924), kept as a JSON list.

A list on the record (not rows of their own) so that a version in the history holds the names it had,
and a restore brings them back with the record. As text, in the admin and in the CSVs, it is one name a
line followed by its language tag, `LG유플러스 [ko]`: no tag means undetermined, and the script is written
(`Telekom Srbija [sr-Latn]`) only where it is not the one the name's letters are written in.
"""

import collections
import re

import langcodes
import pycountry
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from fontTools import unicodedata

UNDETERMINED = "und"
TAG_EXAMPLES = "e.g. ko, ja, en, zh-Hant"
# The trailing language tag of a line: `name [tag]`.
TRAILING_TAG = re.compile(r"^(?P<name>.*\S)\s+\[(?P<tag>[^\[\]]*)\]$")
# Unicode's catch-all scripts: punctuation, digits and combining marks say nothing about the writing system.
NEUTRAL_SCRIPTS = {"Zyyy", "Zinh", "Zzzz"}
HELP = (
    "Other names (former names, names in other scripts, legal names), one per line, each followed by its "
    f"language tag in brackets ({TAG_EXAMPLES}): “LG유플러스 [ko]”. Without a tag the language is undetermined; "
    "the script is worked out from the letters unless the tag gives it (“Telekom Srbija [sr-Latn]”)."
)


def script_of(name):
    """The ISO 15924 script most of the name's letters are in; Korean and Japanese mixes get their own codes."""
    counts = collections.Counter(unicodedata.script(character) for character in name)
    scripts = set(counts) - NEUTRAL_SCRIPTS
    if not scripts:
        return "Zyyy"
    if scripts & {"Hira", "Kana"} and scripts <= {"Hira", "Kana", "Hani", "Latn"}:
        return "Jpan"
    if {"Hang", "Hani"} <= scripts and scripts <= {"Hang", "Hani", "Latn"}:
        return "Kore"
    return max(sorted(scripts), key=lambda script: counts[script])


def alias(name, language=UNDETERMINED, script=""):
    """One alias as stored, its language tag in standard form and its script filled in when left empty."""
    name = " ".join(str(name).split())
    if not name:
        raise ValidationError("An alias needs a name.")
    try:
        parsed = langcodes.Language.get(language or UNDETERMINED)
        valid = langcodes.tag_is_valid(language or UNDETERMINED)
    except (ValueError, LookupError):
        valid = False
    if not valid:
        raise ValidationError(f"“{language}” is not a BCP 47 language tag ({TAG_EXAMPLES}; “und” if unknown).")
    script = script or parsed.script or script_of(name)
    if pycountry.scripts.get(alpha_4=script.title()) is None:
        raise ValidationError(f"“{script}” is not an ISO 15924 script code (e.g. Latn, Hang, Jpan, Hani).")
    return {"name": name, "language": parsed.update_dict({"script": None}).to_tag(), "script": script.title()}


def parse_line(line):
    match = TRAILING_TAG.match(line.strip())
    if not match:
        return alias(line)
    tag = match["tag"].strip()
    script = langcodes.Language.get(tag).script if langcodes.tag_is_valid(tag) else None
    return alias(match["name"], tag, script or "")


def parse(text):
    """Aliases from their text form, one a line; a bad line is an error that says which."""
    aliases, errors = [], []
    lines = [line for line in str(text or "").splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        try:
            aliases.append(parse_line(line))
        except ValidationError as error:
            errors.append(f"Line {number} (“{line.strip()}”): {' '.join(error.messages)}")
    if errors:
        raise ValidationError(errors)
    return aliases


def line(entry):
    """An alias as one line of text, which `parse_line` reads back into the same alias."""
    language = entry["language"]
    if entry["script"] != script_of(entry["name"]):
        language = langcodes.Language.get(language).update_dict({"script": entry["script"]}).to_tag()
    if language != UNDETERMINED or TRAILING_TAG.match(entry["name"]):
        return f"{entry['name']} [{language}]"
    return entry["name"]


def as_text(aliases):
    return "\n".join(line(entry) for entry in aliases or [])


def normalised(value):
    """A stored list in standard form, or the text form read into one."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return parse(value)
    if not isinstance(value, list):
        raise ValidationError("Aliases are a list of names with their language and script.")
    aliases = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) - {"name", "language", "script"}:
            raise ValidationError("Each alias has a name, a language and a script, and nothing else.")
        aliases.append(alias(entry.get("name") or "", entry.get("language") or "", entry.get("script") or ""))
    return aliases


class AliasNames(models.Func):
    """The aliases' names, one a line, as text to search (PostgreSQL: a function migration 0018 defines)."""

    function = "carriers_alias_names"
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        names = "group_concat(json_extract(value, '$.name'), char(10))"
        template = f"(SELECT coalesce({names}, '') FROM json_each(%(expressions)s))"
        return self.as_sql(compiler, connection, template=template, **extra_context)


class AliasesFormField(forms.CharField):
    """Aliases edited as text, one a line; a bad language tag is an error that names the line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        return as_text(value) if isinstance(value, list) else value

    def to_python(self, value):
        return parse(super().to_python(value))


class AliasesField(models.JSONField):
    """A list of {"name", "language", "script"}, validated and put in standard form before it is saved."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("help_text", HELP)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalised(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = normalised(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        # Past JSONField's, which would hand its JSON encoder to a text field.
        return models.Field.formfield(self, **{"form_class": AliasesFormField, **kwargs})


class Named:
    """A record with aliases: the name it goes by in its own language, beside the English one."""

    @property
    def native_alias(self):
        """The first alias in a language of its own (not English, not undetermined), if any."""
        return next((entry for entry in self.aliases if entry["language"].split("-")[0] not in {"en", "und"}), None)

    @property
    def alias_names(self):
        return [entry["name"] for entry in self.aliases]
