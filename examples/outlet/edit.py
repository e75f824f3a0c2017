"""Play the outlet's editor: fix the ferry story and add a correction note to it.

The story said "two outer islands"; there are three. The fix and the note go into the
working copy that serve.py serves (``./outlet-site`` by default).

    python examples/outlet/edit.py
    python examples/outlet/edit.py --dir /tmp/outlet
"""

from __future__ import annotations

import argparse
from pathlib import Path

NOTE = (
    "<p>Correction: An earlier version of this story misstated the number of outer islands "
    "the ferry will serve. There are three, not two.</p>"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", default="outlet-site", help="the working copy serve.py uses")
    args = parser.parse_args()
    page = Path(args.dir) / "news" / "ferry-route-approved.html"
    if not page.exists():
        raise SystemExit(f"{page} does not exist: start examples/outlet/serve.py first.")
    html = page.read_text(encoding="utf-8")
    if "Correction:" in html:
        raise SystemExit("The story is corrected already.")
    html = html.replace("the two outer islands", "the three outer islands")
    html = html.replace("<!-- correction -->", NOTE)
    page.write_text(html, encoding="utf-8")
    print(f"Edited {page}: two islands became three, with a correction note.")


if __name__ == "__main__":
    main()
