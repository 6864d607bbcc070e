"""The documentation says what the product does."""

import re
from pathlib import Path

from boardlab.kernel import kernel, magics  # noqa: F401 - importing kernel registers the magics

DOCS = Path(__file__).parent.parent / "docs"


def test_the_magics_page_shows_every_magics_own_help():
    page = (DOCS / "magics.md").read_text(encoding="utf-8")
    start = page.index("\n", page.index(magics.REFERENCE_START)) + 1
    end = page.index(magics.REFERENCE_END)
    assert page[start:end] == magics.reference() + "\n", (
        "docs/magics.md is out of date: see its section 'Keeping this page in sync'")


def test_the_readme_table_of_magics_has_every_magic():
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    missing = [m.title for m in magics.MAGICS.values()
               if not re.search("`" + re.escape(m.title) + r"[ `]", readme)]
    assert missing == []
