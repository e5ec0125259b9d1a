"""Screenshots of the built website: the home page and one release, at desktop and phone widths, full page.

Usage: python docs/site/screenshots.py SITE_DIR OUT_DIR   (`make site` builds _site/ and runs this into docs/site/)

Writes home-1280.png, home-390.png, release-1280.png and release-390.png into OUT_DIR. playwright drives Debian's
/usr/bin/chromium (`make browser` installs it); it never downloads a browser of its own.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
PAGES = {"home": "index.html", "release": "releases/ev-2023-12-13-handover.html"}
# Width -> the viewport height before the full-page capture (a common desktop, and a common phone).
WIDTHS = {1280: 800, 390: 844}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site (amaz-detainees site --out SITE_DIR)")
    parser.add_argument("out", type=Path, help="where to write the PNG files")
    args = parser.parse_args()

    missing = [page for page in PAGES.values() if not (args.site / page).is_file()]
    if missing:
        print(f"screenshots: {args.site} has no {', '.join(missing)}: build the site first", file=sys.stderr)
        return 1
    if not Path(CHROMIUM).exists():
        print(f"screenshots: {CHROMIUM} is missing: `make browser` installs it", file=sys.stderr)
        return 1

    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            for width, height in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto((args.site / path).resolve().as_uri(), wait_until="load")
                    target = args.out / f"{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(f"screenshots: wrote {target}")
                context.close()
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
