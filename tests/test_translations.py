"""English is available beside Vietnamese: every catalogue entry is translated for real (no empty or
fuzzy entry, which gettext would skip), and each translation keeps its msgid's placeholders, or the
English page would fail where the Vietnamese one works."""
import re
from pathlib import Path

PO = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


def _entries():
    for block in PO.read_text(encoding="utf-8").split("\n\n")[1:]:
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        fields, current = {}, None
        for line in lines:
            match = re.match(r"(msgid|msgid_plural|msgstr(?:\[\d+\])?) ", line)
            if match:
                current = match.group(1)
                fields[current] = ""
            if current and _STRING.search(line):
                fields[current] += _STRING.search(line).group(1)
        if fields.get("msgid"):
            flags = " ".join(line for line in lines if line.startswith("#,"))
            yield fields, flags


def test_every_entry_of_the_english_catalogue_is_translated():
    entries = list(_entries())
    assert len(entries) > 1000
    untranslated = [f["msgid"] for f, flags in entries
                    if "fuzzy" in flags or not all(v for k, v in f.items() if k.startswith("msgstr"))]
    assert untranslated == []


def test_translations_keep_their_placeholders():
    mismatched = []
    for fields, flags in _entries():
        if "python-format" not in flags and "python-brace-format" not in flags:
            continue
        wanted = {m for m in _PLACEHOLDER.findall(fields["msgid"])}
        for key, value in fields.items():
            if key.startswith("msgstr") and {m for m in _PLACEHOLDER.findall(value)} != wanted:
                mismatched.append((fields["msgid"], value))
    assert mismatched == []
