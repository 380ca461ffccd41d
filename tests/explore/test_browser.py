"""`augment explore` in a real browser: Playwright drives Debian's Chromium against the command
started as a user would, moves a slider, sees the copies change, shows a bad value beside its
control, plays an audio copy, exports the YAML and checks that `augment images` with it writes
exactly the copies on the page (PNG bytes and pixels).

`make test` installs chromium where it runs as root with apt-get; elsewhere these tests skip,
naming the missing binary. AUGSYNTH_SCREENSHOT=1 saves the pages to docs/explore.png and
docs/explore-audio.png.
"""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
START = "import typer; from augment.cli.explore import {} as c; typer.run(c)"
START_EXPLORE = START.format("explore_command")
START_SYNTH = START.format("synth_explore_command")


def _chromium() -> str:
    """Debian's chromium, or a skip/fail saying exactly what is missing."""
    if Path(CHROMIUM).is_file():
        return CHROMIUM
    can_install = os.geteuid() == 0 and shutil.which("apt-get")
    if can_install:
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it apt-get installs chromium)")
    pytest.skip(f"{CHROMIUM} is missing (Debian package chromium); not root with apt-get here")


@pytest.fixture(scope="module")
def browser() -> Iterator:
    executable = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the playwright package is missing: pip install -e '.[dev]' (make test does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def serve():
    """Start `augment explore IN --port 0`; yields the address it prints; stops it after."""
    started: list[subprocess.Popen] = []

    def start(in_dir: Path | None, *options: str) -> str:
        """Started beside IN and given its bare name, as a user would type it."""
        program = [START_SYNTH] if in_dir is None else [START_EXPLORE, in_dir.name]
        command = [sys.executable, "-c", *program, "--port", "0", *options]
        cwd = None if in_dir is None else in_dir.parent
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=cwd)
        started.append(process)
        for line in process.stdout:
            match = re.search(r"open (http://127\.0\.0\.1:\d+/)", line)
            if match:
                return match.group(1)
        raise AssertionError(f"augment explore exited {process.wait()} without an address")

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def _copies(page) -> list[str]:
    return page.eval_on_selector_all(".copy img", "imgs => imgs.map(i => i.src)")


def _wait_for_change(page, before: list[str]) -> list[str]:
    page.wait_for_function(
        "old => { const now = [...document.querySelectorAll('.copy img')].map(i => i.src);"
        " return now.length === old.length && now.every((s, i) => s !== old[i]); }",
        arg=before,
        timeout=10000,
    )
    return _copies(page)


def _png(data_url: str) -> bytes:
    return base64.b64decode(data_url.split(",", 1)[1])


def test_tune_export_and_replay_with_the_cli(browser, serve, image_dir: Path, tmp_path: Path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    address = serve(image_dir, "--seed", "7", "-n", "3")
    page.goto(address)
    page.wait_for_function("document.querySelectorAll('.copy img').length === 27")
    rotate = page.locator('.step[data-name="Rotate"] .control[data-arg="degrees"]')
    before = _copies(page)

    rotate.locator("input.hi").focus()
    page.keyboard.press("End")  # the upper handle to the slider's top
    after_slider = _wait_for_change(page, before)
    assert float(rotate.locator("input.hi-value").input_value()) > 5.0

    rotate.locator("input.lo-value").fill("100")  # above the high end: refused, shown there
    rotate.locator("input.lo-value").press("Enter")
    page.wait_for_function("document.querySelector('.control.bad') !== null")
    assert "low 100 is above high" in rotate.locator(".error").text_content()
    rotate.locator("input.lo-value").fill("-30")
    rotate.locator("input.lo-value").press("Enter")
    shown = _wait_for_change(page, after_slider)
    assert rotate.locator(".error").text_content() == ""

    page.locator(".copy img").nth(4).click()
    assert '"angle"' in page.locator("#params").text_content()
    page.locator("#export").click()
    page.wait_for_function("document.querySelector('#yaml-out').value.includes('Rotate')")
    exported = page.locator("#yaml-out").input_value()
    assert "--seed 7 -n 3" in page.locator("#command").text_content()
    screenshot = ROOT / "docs" / "explore.png" if os.environ.get("AUGSYNTH_SCREENSHOT") else None
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=screenshot or tmp_path / "explore.png")

    config = tmp_path / "exported.yaml"
    config.write_text(exported)
    out = tmp_path / "out"
    argv = [str(BIN / "augment"), "images", str(image_dir), "-o", str(out), "--config"]
    subprocess.run([*argv, str(config), "--seed", "7", "-n", "3"], check=True, capture_output=True)
    tasks = page.eval_on_selector_all(".copy img", "imgs => imgs.map(i => +i.dataset.task)")
    assert tasks == list(range(27))
    # everything the page loaded came from the local server (or is inline data)
    assert all(url.startswith((address, "data:", "blob:")) for url in requested), requested
    assert any(url.endswith("/static/app.js") for url in requested)
    for task, data_url in zip(tasks, shown, strict=True):
        written = out / "abc"[task // 9] / f"{task:07d}.png"
        assert _png(data_url) == written.read_bytes()
        page_pixels = np.asarray(Image.open(io.BytesIO(_png(data_url))))
        assert page_pixels.tobytes() == np.asarray(Image.open(written)).tobytes()
    page.close()


def test_steps_add_remove_reorder_and_reroll(browser, serve, image_dir: Path):
    page = browser.new_page()
    page.goto(serve(image_dir))
    page.wait_for_function("document.querySelectorAll('.copy img').length === 36")
    names = "els => els.map(e => e.dataset.name)"
    assert page.eval_on_selector_all(".step", names) == ["Rotate", "Scale", "GridWarp", "Contrast"]
    before = _copies(page)
    page.locator("#add-name").select_option("Invert")
    page.locator("#add").click()
    before = _wait_for_change(page, before)
    page.locator('.step[data-name="Invert"] button.up').click()
    page.locator('.step[data-name="Rotate"] button.remove').click()
    expected = ["Scale", "GridWarp", "Invert", "Contrast"]
    page.wait_for_function(f"[...document.querySelectorAll('.step')].length === {len(expected)}")
    assert page.eval_on_selector_all(".step", names) == expected
    before = _wait_for_change(page, before)
    page.locator("#reroll").click()
    _wait_for_change(page, before)
    assert page.locator("#seed").input_value() != "0"
    page.close()


def test_audio_copies_play(browser, serve, tmp_path: Path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(serve(ROOT / "examples" / "speech", "-n", "3"))
    page.wait_for_function("document.querySelectorAll('.copy audio').length === 18")
    player = page.locator(".copy audio").first
    player.evaluate("a => a.play()")
    page.wait_for_function("document.querySelector('.copy audio').currentTime > 0.1", timeout=10000)
    assert page.locator(".original img").first.evaluate("i => i.naturalWidth") > 0
    page.locator(".copy img").nth(1).click()
    assert '"snr_db"' in page.locator("#params").text_content()
    shots = ROOT / "docs" if os.environ.get("AUGSYNTH_SCREENSHOT") else tmp_path
    page.screenshot(path=shots / "explore-audio.png")
    page.close()


def test_nested_steps_have_their_own_controls_and_errors(browser, serve, image_dir: Path):
    preset = ROOT / "synth" / "run" / "presets" / "photo.yaml"
    page = browser.new_page()
    page.goto(serve(image_dir, "--config", str(preset), "-n", "2"))
    page.wait_for_function("document.querySelectorAll('.copy img').length === 18")
    field = "pipeline[0].Maybe.transform.Rotate.degrees"
    degrees = page.locator(f'.control[data-field="{field}"]')
    degrees.locator("input.lo-value").fill("100")
    degrees.locator("input.lo-value").press("Enter")
    page.wait_for_function("document.querySelector('.control.bad') !== null")
    assert degrees.locator(":scope > .error").text_content().startswith(field)
    degrees.locator("input.lo-value").fill("-7")
    degrees.locator("input.lo-value").press("Enter")
    page.wait_for_function("document.querySelector('.control.bad') === null")
    before = _copies(page)
    page.locator(
        '.control[data-field="pipeline[0].Maybe.transform"] select.step-type'
    ).select_option("Invert")
    p = page.locator('.control[data-field="pipeline[0].Maybe.p"] input.single')
    p.focus()
    page.keyboard.press("End")  # p = 1: every copy inverted
    page.wait_for_function(
        "old => { const n = [...document.querySelectorAll('.copy img')].map(i => i.src);"
        " return n.some((s, i) => s !== old[i]); }",
        arg=before,
    )
    page.locator("#export").click()
    page.wait_for_function("document.querySelector('#yaml-out').value.includes('Invert')")
    assert (
        page.locator("#yaml-out")
        .input_value()
        .startswith("- Maybe:\n    transform:\n      Invert:")
    )
    page.close()


def test_synth_explore_render_options_and_replay(browser, serve, tmp_path: Path):
    page = browser.new_page()
    page.goto(serve(None, "--charset", "digits", "--size", "24", "--rows", "3", "-n", "2"))
    page.wait_for_function("document.querySelectorAll('.copy img').length === 6")
    before = _copies(page)
    dark = page.locator('.control[data-field="render.p_dark_text"] input.single')
    dark.focus()
    # p_dark_text = 0: light text wherever it reaches the contrast (with seed 0, copies of
    # '0' and '9' turn light; no shown copy changes at p = 1)
    page.keyboard.press("Home")
    shown = page.wait_for_function(
        "old => { const n = [...document.querySelectorAll('.copy img')].map(i => i.src);"
        " return n.some((s, i) => s !== old[i]) && n; }",
        arg=before,
    ).json_value()
    page.locator("#export").click()
    page.wait_for_function("document.querySelector('#yaml-out').value.includes('p_dark_text')")
    config = tmp_path / "synth.yaml"
    config.write_text(page.locator("#yaml-out").input_value())
    command = page.locator("#command").text_content()
    assert command.endswith("--charset digits --size 24x24 --per-class 2 --seed 0")
    out = tmp_path / "out"
    argv = [str(BIN / "synth"), "ocr", "-o", str(out), "--config", str(config), "--charset"]
    options = ["digits", "--size", "24", "--per-class", "2", "--seed", "0"]
    subprocess.run([*argv, *options], check=True, capture_output=True)
    tasks = page.eval_on_selector_all(".copy img", "imgs => imgs.map(i => +i.dataset.task)")
    rows = page.eval_on_selector_all(".row", "rows => rows.map(r => +r.dataset.input)")
    assert rows == [0, 4, 9]
    assert tasks == [k * 10 + c for c in rows for k in range(2)]
    for task, data_url in zip(tasks, shown, strict=True):
        assert _png(data_url) == (out / str(task % 10) / f"{task:07d}.png").read_bytes()
    page.close()
