"""Fill empty msgstr entries of locale/en/LC_MESSAGES/django.po from scripts/en_translations.tsv.

The TSV has one `Vietnamese<TAB>English` pair per line. Run after `manage.py makemessages -l en`.
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
TSV = ROOT / "scripts" / "en_translations.tsv"


def main() -> int:
    pairs = {}
    for line in TSV.read_text(encoding="utf-8").splitlines():
        if "\t" in line and not line.startswith("#"):
            vi, en = line.split("\t", 1)
            pairs[vi] = en
    text = PO.read_text(encoding="utf-8")
    filled = 0

    def repl(match):
        nonlocal filled
        msgid = match.group(1)
        key = msgid.encode().decode("unicode_escape").encode("latin-1").decode("utf-8") if "\\" in msgid else msgid
        if key in pairs:
            filled += 1
            en = pairs[key].replace('"', '\\"')
            return f'msgid "{msgid}"\nmsgstr "{en}"'
        return match.group(0)

    text = re.sub(r'msgid "((?:[^"\\]|\\.)+)"\nmsgstr ""(?!\n")', repl, text)
    text = text.replace("#, fuzzy\n", "", 1)
    PO.write_text(text, encoding="utf-8")
    print(f"filled {filled} of {len(pairs)} known strings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
