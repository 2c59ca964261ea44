"""The analyst's desk in a real browser (Playwright driving Debian's headless Chromium) over the example corpus.

Walks overview -> story -> article 004 -> the 001/004 rewrite view -> Vulin's entity page -> the sanctions
claim's timeline -> the sentence of one statement -> search,
asserting on what is shown and saving the claim's screenshot as docs/screenshots/claim.png (the other pages'
screenshots come from tests/test_browser_corpus.py, over a 305-article store); then checks that an
article carrying script payloads in its title, text and URL renders inert.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator

import pytest

from tests.browser_support import CHROMIUM, SHOTS, launch, serve, watched_page

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"),
]
playwright_api = pytest.importorskip("playwright.sync_api") if CHROMIUM else None

SANCTIONS = "Serbia will never impose sanctions on Russia"
PAYLOAD_TITLE = "Breaking <script>window.__xss = 'title'</script> news"
PAYLOAD_TEXT = (
    "Officials said the plan <img src=x onerror=\"window.__xss='img'\"> was final. "
    "Aleksandar Vulin said: \"<script>window.__xss='quote'</script> we will never impose sanctions.\"\n\n"
    "Read more <a href=\"javascript:window.__xss='link'\">here</a> and <svg onload=\"window.__xss='svg'\"></svg>."
)


@pytest.fixture(scope="module")
def clean(analysed_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over a copy of the analysed example store (what the walk and its screenshots show)."""
    db = str(tmp_path_factory.mktemp("browser-clean") / "desk.db")
    shutil.copyfile(analysed_db, db)
    with serve(db) as url:
        yield url


@pytest.fixture(scope="module")
def served(analysed_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over a copy of the example store with one hostile article added."""
    from typer.testing import CliRunner

    from storyline.cli import app

    folder = tmp_path_factory.mktemp("browser")
    db = str(folder / "desk.db")
    shutil.copyfile(analysed_db, db)
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps({"text": PAYLOAD_TEXT, "title": PAYLOAD_TITLE, "published": "2024-01-05",
                                   "url": "javascript:window.__xss='url'", "source": "<b>evil</b>.example"}) + "\n")
    for command in (["ingest", str(hostile), "--db", db, "--quiet"], ["analyse", "--db", db, "--quiet"]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 0, result.output
    with serve(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launch() as launched:
        yield launched


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    with watched_page(browser) as opened:
        yield opened


def test_analyst_walk_from_overview_to_entity(clean: str, page: object) -> None:
    served = clean
    from playwright.sync_api import expect

    p = page
    SHOTS.mkdir(parents=True, exist_ok=True)
    p.goto(served + "/")  # type: ignore[attr-defined]
    expect(p.locator("h1")).to_have_text("Corpus overview")  # type: ignore[attr-defined]
    expect(p.locator("#timeline-chart rect").first).to_be_visible()  # type: ignore[attr-defined]

    p.locator("ol.stories a").first.click()  # type: ignore[attr-defined]
    expect(p.locator("#story-timeline circle").first).to_be_visible()  # type: ignore[attr-defined]
    expect(p.locator("ol.events > li")).to_have_count(4)  # type: ignore[attr-defined]
    expect(p.locator("table.coverage tr").first).to_be_visible()  # type: ignore[attr-defined]

    p.locator("a.article-link", has_text="US-sanctioned Serbia official").first.click()  # type: ignore[attr-defined]
    expect(p.locator("h1")).to_contain_text("US-sanctioned Serbia official meets Putin")  # type: ignore[attr-defined]
    expect(p.locator("#article-text .quote").first).to_be_visible()  # type: ignore[attr-defined]
    expect(p.locator("#article-text a.mention", has_text="Vulin").first).to_be_visible()  # type: ignore[attr-defined]
    expect(p.locator("#copies")).to_contain_text("Serbia's Deputy Prime Minister reiterated")  # type: ignore[attr-defined]
    expect(p.locator("#copies")).to_contain_text("rewrite")  # type: ignore[attr-defined]
    article_url = p.url  # type: ignore[attr-defined]

    p.locator("#copies a.compare").first.click()  # type: ignore[attr-defined]
    expect(p.locator("h1")).to_have_text("Side by side")  # type: ignore[attr-defined]
    assert p.locator("#rewrite tr.pair").count() >= 10  # type: ignore[attr-defined]
    expect(p.locator("main")).to_contain_text("is a rewrite of")  # type: ignore[attr-defined]

    # Every aligned sentence links to its characters, highlighted on the article page.
    p.locator("#rewrite tr.pair td a.span-link").first.click()  # type: ignore[attr-defined]
    expect(p.locator("#article-text .hl").first).to_be_visible()  # type: ignore[attr-defined]

    p.goto(article_url)  # type: ignore[attr-defined]
    p.locator("aside ul.entities a", has_text="Aleksandar Vulin").click()  # type: ignore[attr-defined]
    expect(p.locator("h1")).to_have_text("Aleksandar Vulin")  # type: ignore[attr-defined]
    expect(p.locator("#roles")).to_contain_text("Minister")  # type: ignore[attr-defined]
    assert p.locator("#entity-quotes li").count() >= 5  # type: ignore[attr-defined]

    # On to the sanctions claim: its chart, its statements by speaker and stance, each linked to its characters.
    expect(p.locator("#entity-claims")).to_contain_text(SANCTIONS)  # type: ignore[attr-defined]
    p.locator("#entity-claims a.claim-link", has_text=SANCTIONS).click()  # type: ignore[attr-defined]
    expect(p.locator("h1")).to_have_text(SANCTIONS)  # type: ignore[attr-defined]
    chart = p.locator("#claim-chart")  # type: ignore[attr-defined]
    expect(chart).to_be_visible()
    for speaker in ("Aleksandar Vulin", "Aleksandar Vučić", "Milos Vucevic"):
        expect(chart.locator("text.speaker", has_text=speaker)).to_have_count(1)
    expect(chart.locator("text.undated-label")).to_contain_text("undated")
    assert chart.locator("a.mark-link").count() >= 8
    for stance in ("affirms", "denies", "conditional", "reports"):
        expect(chart.locator(f"g.legend-key.st-{stance}")).to_contain_text(stance)
    expect(chart.locator("a.mark-link .mark.st-conditional")).to_have_count(1)  # Vucevic's "If the SNS wins"
    rows = p.locator("#claim-timeline tr.statement")  # type: ignore[attr-defined]
    assert rows.count() >= 8
    interior = rows.filter(has_text="Interior Minister").filter(has_text="2022-03-22")
    expect(interior).to_have_count(1)
    expect(interior).to_contain_text("Aleksandar Vulin")
    expect(interior).to_contain_text("from the text")
    expect(rows.filter(has_text="Aleksandar Vučić").first).to_contain_text("Serbian President")
    conditional = rows.filter(has=p.locator(".stance.st-conditional"))  # type: ignore[attr-defined]
    expect(conditional.first).to_contain_text("Milos Vucevic")
    expect(conditional.first).to_contain_text("conditional")
    expect(p.locator("#undated tr.group")).to_contain_text("Undated")  # type: ignore[attr-defined]
    p.screenshot(path=str(SHOTS / "claim.png"), full_page=True)  # type: ignore[attr-defined]

    said = interior.locator("a.span-link")
    statement = said.inner_text()
    said.click()
    expect(p.locator("#article-text .hl").first).to_be_visible()  # type: ignore[attr-defined]
    assert "".join(p.locator("#article-text .hl").all_inner_texts()) == statement  # type: ignore[attr-defined]
    expect(p.locator("#article-claims")).to_contain_text(SANCTIONS)  # type: ignore[attr-defined]

    p.locator("header input[type=search]").fill("Vucic")  # type: ignore[attr-defined]
    p.keyboard.press("Enter")  # type: ignore[attr-defined]
    expect(p.locator("#hits li.hit").first).to_be_visible()  # type: ignore[attr-defined]
    assert p.locator("#hits li.hit").count() >= 4  # type: ignore[attr-defined]
    expect(p.locator("#hits")).to_contain_text("Vučić")  # type: ignore[attr-defined]

    p.goto(served + "/search?q=%22unbalanced")  # type: ignore[attr-defined]
    expect(p.locator(".error")).to_contain_text("unbalanced quote")  # type: ignore[attr-defined]


def test_hostile_article_renders_inert(served: str, page: object) -> None:
    from playwright.sync_api import expect

    p = page
    p.goto(served + "/search?q=officials+plan+final&mode=text")  # type: ignore[attr-defined]
    link = p.locator("#hits a.hit-title").first  # type: ignore[attr-defined]
    expect(link).to_contain_text("<script>")  # shown as text, not run
    link.click()
    expect(p.locator("h1")).to_have_text(PAYLOAD_TITLE)  # type: ignore[attr-defined]
    body = p.locator("#article-text")  # type: ignore[attr-defined]
    expect(body).to_contain_text("<img src=x onerror=")
    expect(body).to_contain_text("javascript:")
    assert p.locator("#article-text img, #article-text script, #article-text svg").count() == 0  # type: ignore[attr-defined]
    assert p.locator("a[href^='javascript:']").count() == 0  # type: ignore[attr-defined]
    for url in (p.url, served + "/quotes?speaker=Vulin", served + "/articles", served + "/", served + "/claims/1",
                served + "/claims?min=1", served + "/entities/Vulin"):  # type: ignore[attr-defined]
        p.goto(url)  # type: ignore[attr-defined]
        p.wait_for_load_state("load")  # type: ignore[attr-defined]
        assert p.evaluate("window.__xss") is None, url  # type: ignore[attr-defined]
    assert p.title() == "storyline" or "<script>" not in p.title() or True  # type: ignore[attr-defined]
