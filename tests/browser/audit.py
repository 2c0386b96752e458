"""What every page of a browser journey must pass, checked where the journey stands:

- axe-core (vendored in tests/browser/vendor/axe-core): no serious or critical violation;
- the Nu HTML checker (vnu.jar, pinned in package.json, installed by scripts/bootstrap.sh): no error, the
  htmx `hx-*` attributes aside;
- on a phone (390 px) the page as a whole does not scroll sideways (wide tables scroll in their own region);
- no English or raw text in the Vietnamese interface: Django's untranslated blank choice, raw constraint
  messages, "---------" and snake_case field names in history rows.

`PageAudit.visit(page)` records the page; `PageAudit.problems()` runs the checker once over all of them.
"""
import json
import re
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

OFFENDERS = ("- Select an option -", "Select an option", "---------", "is violated", "Constraint “", "Constraint \"")
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
AXE_RUN = """() => axe.run(document, {resultTypes: ["violations"]}).then(result => result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")))"""


def vnu_errors(files: dict[str, Path]) -> dict[str, list[str]]:
    """{name: [error, ...]} for HTML files, in one run of the checker (a JVM start costs a second or two)."""
    if not VNU.exists():
        raise AssertionError(f"{VNU} is missing: run scripts/bootstrap.sh (npm ci --ignore-scripts)")
    by_path = {str(path.resolve()): name for name, path in files.items()}
    done = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *by_path],
                          capture_output=True, text=True, timeout=300, check=True)
    out: dict[str, list[str]] = {name: [] for name in files}
    for message in json.loads(done.stderr or done.stdout)["messages"]:
        if message.get("type") != "error":
            continue
        text = message.get("message", "")
        if re.search(r"“hx-[a-z-]+”|\bhx-[a-z-]+\b", text):
            continue  # htmx attributes are not HTML's
        name = by_path.get(str(Path(message.get("url", "").removeprefix("file:")).resolve()), "?")
        out.setdefault(name, []).append(f"{message.get('lastLine')}: {text} [{message.get('extract', '').strip()[:80]}]")
    return out


class PageAudit:
    def __init__(self, *, phone: bool = True):
        self.phone = phone
        self.found: dict[str, list[str]] = {}
        self.html: dict[str, str] = {}

    def visit(self, page, name: str | None = None) -> None:
        name = name or page.url
        page.wait_for_load_state("load")
        problems = []
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
        problems += [f"axe {v}" for v in page.evaluate(AXE_RUN)]
        if self.phone:
            width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if width[0] > width[1]:
                problems.append(f"scrolls sideways: {width[0]} px wide in a {width[1]} px viewport")
        text = page.inner_text("body")
        problems += [f"English or raw text: {o!r}" for o in OFFENDERS if o in text]
        for row in page.locator(".activity-history li, .activity-history tr").all_inner_texts():
            problems += [f"snake_case field name in a history row: {w!r}" for w in SNAKE_CASE.findall(row)]
        self.found[name] = problems
        # the HTML as served (not the DOM after scripts) is what the checker reads
        self.html[name] = page.context.request.get(page.url).text()

    def problems(self) -> dict[str, list[str]]:
        with tempfile.TemporaryDirectory() as tmp:
            files = {}
            for i, (name, html) in enumerate(self.html.items()):
                files[name] = Path(tmp) / f"page-{i}.html"
                files[name].write_text(html, encoding="utf-8")
            for name, errors in vnu_errors(files).items():
                self.found.setdefault(name, []).extend(f"vnu {e}" for e in errors)
        return {name: problems for name, problems in self.found.items() if problems}

    def assert_clean(self) -> None:
        found = self.problems()
        assert not found, "\n".join(f"{name}: {p}" for name, problems in found.items() for p in problems)
