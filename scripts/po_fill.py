"""Fill empty English translations in locale/en/LC_MESSAGES/django.po from scripts/en_translations.tsv.

The TSV holds one `Vietnamese<TAB>English` pair per line, the Vietnamese exactly as it appears in the
msgid (escapes included). Wrapped msgids are joined before lookup; plural entries get the English text
in every form. Run after `manage.py makemessages -l en`; `make` compiles the catalogue.
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
TSV = ROOT / "scripts" / "en_translations.tsv"
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _joined(lines: list[str]) -> str:
    return "".join(m.group(1) for line in lines for m in [_STRING.search(line)] if m)


def _fill_block(block: str, pairs: dict) -> tuple[str, bool]:
    lines = block.split("\n")
    keys = [i for i, line in enumerate(lines) if re.match(r"(msgid|msgid_plural|msgstr(\[\d+\])?) ", line)]
    fields = {}
    for n, start in enumerate(keys):
        end = keys[n + 1] if n + 1 < len(keys) else len(lines)
        name = lines[start].split(" ", 1)[0]
        fields[name] = (start, end, _joined(lines[start:end]))
    if "msgid" not in fields or not fields["msgid"][2]:
        return block, False
    msgid = fields["msgid"][2]
    english = pairs.get(msgid)
    if english is None:
        return block, False
    english = re.sub(r'(?<!\\)"', r'\\"', english)  # the TSV keeps the msgid's escapes; quote bare quotes
    targets = [k for k in fields if k.startswith("msgstr")]
    fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
    if any(fields[k][2] for k in targets) and not fuzzy:
        return block, False  # already translated
    for k in sorted(targets, key=lambda k: fields[k][0], reverse=True):
        start, end, _ = fields[k]
        lines[start:end] = [f'{k} "{english}"']
    if fuzzy:  # makemessages guessed from a similar string: the pair replaces the guess
        lines = [_unfuzzy(line) for line in lines if not line.startswith("#| ")]
        lines = [line for line in lines if line != "#,"]
    return "\n".join(lines), True


def _unfuzzy(line: str) -> str:
    if not line.startswith("#,"):
        return line
    flags = [f.strip() for f in line[2:].split(",") if f.strip() and f.strip() != "fuzzy"]
    return "#, " + ", ".join(flags) if flags else "#,"


def main() -> int:
    pairs = {}
    for line in TSV.read_text(encoding="utf-8").splitlines():
        if "\t" in line and not line.startswith("#"):
            vi, en = line.split("\t", 1)
            pairs[vi] = en
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    filled = 0
    for i, block in enumerate(blocks):
        blocks[i], changed = _fill_block(block, pairs)
        filled += changed
    blocks[0] = blocks[0].replace("#, fuzzy\n", "", 1)  # the header
    text = "\n\n".join(blocks)
    PO.write_text(text, encoding="utf-8")
    print(f"filled {filled} entries from {len(pairs)} known strings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
