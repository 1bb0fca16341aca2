"""The map's tiles are the search page's only outside request: its Content-Security-Policy
allows the tile server for images, no other page's does, and the page itself names no
outside address to load (the tile URL is data for the script, used once the member asks)."""

import re

from django.test import Client

TILES = "https://tile.openstreetmap.org"


def img_src(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    return next(part for part in policy.split(";") if part.strip().startswith("img-src"))


def test_only_the_search_page_allows_the_tile_server(imported, member):
    client = Client()
    client.force_login(member.user)
    search = client.get("/n/riverside/directory/search/")
    assert TILES in img_src(search)
    policy = search.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert TILES not in img_src(client.get("/n/riverside/asks/"))


def test_the_page_loads_nothing_from_outside_by_itself(imported, member):
    client = Client()
    client.force_login(member.user)
    page = client.get("/n/riverside/directory/search/").content.decode()
    loaded = re.findall(r'<(?:script|link|img)[^>]*(?:src|href)="([^"]+)"', page)
    assert loaded and all(url.startswith("/") for url in loaded), loaded
    # No inline script: the results' places are a JSON data block, the map a static script.
    scripts = re.findall(r"<script([^>]*)>", page)
    assert all(
        "src=" in attributes or 'type="application/json"' in attributes for attributes in scripts
    )
    assert "style=" not in page
    # The button that opens the map is hidden until the script shows it (no script, no map).
    assert re.search(r'<p id="map-opener" hidden>\s*<button[^>]*id="show-map"', page)
