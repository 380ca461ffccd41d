"""The hostile-input corpus: each case is a folder of inputs made by code, a command line,
and what must happen. `test_hostile_corpus.py` runs every case and checks, for each: no
traceback, a one-line message naming the file and the problem, a non-zero exit only where
the case is fatal, the rest of the run goes on, and nothing written outside OUT.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from hostile_inputs import (
    decompression_bomb_png,
    exif_rotated_jpeg,
    float_tiff,
    good_images,
    good_speech,
    jsonl,
    letter,
    png_bytes,
    sixteen_bit_png,
    speech_like,
    wav_bytes,
    write,
)

Setup = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """One hostile run. `setup(tmp)` fills tmp/in (and may prepare tmp/out or config files);
    `args` may use {in}, {out} and {tmp}. `fatal`: the command must refuse with exit code != 0
    and one `error:` line containing every word of `mentions`; otherwise it must exit 0,
    write at least `min_written` examples and name the bad input (`mentions`) on a line."""

    name: str
    command: str
    setup: Setup
    args: tuple[str, ...] = ()
    fatal: bool = False
    mentions: tuple[str, ...] = ()
    min_written: int = 1
    check: Callable[[Path], None] | None = field(default=None, compare=False)
    repeat: bool = False  # run the same command a second time (a resume); both must pass
    logged: bool = True  # the bad input is an example's (errors.jsonl), not a setting's


def _images(extra: Setup) -> Setup:
    def setup(tmp: Path) -> None:
        good_images(tmp / "in")
        extra(tmp / "in")

    return setup


def _speech(extra: Setup) -> Setup:
    def setup(tmp: Path) -> None:
        good_speech(tmp / "in")
        extra(tmp / "in")

    return setup


def _file(relpath: str, data: bytes | str) -> Setup:
    return lambda folder: write(folder / relpath, data)


def _corrupt_image_cases() -> list[Case]:
    """Files with an image suffix that do not decode: skipped by name, the run goes on."""
    png = png_bytes(letter())
    payloads = {
        "empty": b"",
        "text": b"definitely not an image",
        "random": bytes(np.random.default_rng(0).integers(0, 256, 300, dtype=np.uint8)),
        "png_signature_only": png[:8],
        "png_header_only": png[:33],
        "png_cut_half": png[: len(png) // 2],
        "png_cut_inside_data": png[: len(png) * 3 // 4],
        "png_bad_crc": png[:30] + bytes([png[30] ^ 0xFF]) + png[31:],
        "html": b"<html><body>404</body></html>",
        "zeros": bytes(1024),
        "one_byte": b"\x89",
        "gzip": b"\x1f\x8b\x08\x00" + bytes(40),
        "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        "svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>',
    }
    cases = []
    for suffix in (".png", ".jpg", ".bmp", ".webp", ".tif", ".gif"):
        for what, data in payloads.items():
            cases.append(
                Case(
                    f"images/corrupt{suffix}/{what}",
                    "images",
                    _images(_file(f"b/bad_{what}{suffix}", data)),
                    mentions=(f"bad_{what}{suffix}",),
                    min_written=4,
                )
            )
    return cases


def _rows(out: Path) -> list[dict]:
    """Manifest rows, split at newlines only (a label may hold U+2028)."""
    import json

    text = (out / "manifest.jsonl").read_text()
    return [json.loads(line) for line in text.split("\n") if line]


def _check_rows(predicate: Callable[[list[dict]], bool], what: str) -> Callable[[Path], None]:
    def check(out: Path) -> None:
        import json

        rows = [
            json.loads(line) for line in (out / "manifest.jsonl").read_text().split("\n") if line
        ]
        assert predicate(rows), what

    return check


def _decoded_pixels_check(name: str, test: Callable[[np.ndarray], bool], what: str):
    def check(out: Path) -> None:
        import json

        from PIL import Image

        rows = [
            json.loads(line) for line in (out / "manifest.jsonl").read_text().split("\n") if line
        ]
        (row,) = [r for r in rows if r["source_file"].endswith(name)]
        assert test(np.asarray(Image.open(out / row["file"]))), what

    return check


def _image_format_cases() -> list[Case]:
    """Formats with one obvious meaning are converted, never clipped or ignored."""
    return [
        Case(
            "images/sixteen_bit_png_is_scaled",
            "images",
            _images(_file("a/deep.png", sixteen_bit_png())),
            args=("--config", "{tmp}/identity.yaml"),
            min_written=5,
            check=_decoded_pixels_check(
                "deep.png", lambda a: a.max() >= 250 and 100 < a.mean() < 155, "16-bit scaled"
            ),
        ),
        Case(
            "images/float_tiff_is_not_black",
            "images",
            _images(_file("a/float.tif", float_tiff())),
            args=("--config", "{tmp}/identity.yaml"),
            min_written=5,
            check=_decoded_pixels_check("float.tif", lambda a: a.max() >= 250, "0..1 floats"),
        ),
        Case(
            "images/exif_orientation_is_applied",
            "images",
            _images(_file("a/turned.jpg", exif_rotated_jpeg())),
            args=("--config", "{tmp}/identity.yaml"),
            min_written=5,
            check=_decoded_pixels_check("turned.jpg", lambda a: a.shape[:2] == (40, 20), "EXIF"),
        ),
    ]


def _bomb_cases() -> list[Case]:
    """A tiny file declaring 400 million pixels: refused by name, also by the preview."""
    return [
        Case("images/decompression_bomb" + ("_preview" if args else ""), "images",
             _images(_file("a/bomb.png", decompression_bomb_png())), args=args,
             mentions=("bomb.png", "too many pixels"), min_written=4)
        for args in ((), ("--preview", "4"))
    ]  # fmt: skip


def _table_cases() -> list[Case]:
    """labels.csv and metadata.jsonl as spreadsheets and scripts really write them."""
    ok = png_bytes(letter())

    def table(name: str, text: str | bytes, files: tuple[str, ...] = ("x.png", "y.png")) -> Setup:
        def setup(tmp: Path) -> None:
            for f in files:
                write(tmp / "in" / f, ok)
            write(tmp / "in" / name, text)

        return setup

    good_csv = "file_name,label\nx.png,a\ny.png,b\n"
    cases = [
        Case("tables/csv_bom_excel", "images", table("labels.csv", "\ufeff" + good_csv),
             min_written=2),
        Case("tables/csv_utf16", "images", table("labels.csv", good_csv.encode("utf-16")),
             min_written=2),
        Case("tables/csv_crlf", "images", table("labels.csv", good_csv.replace("\n", "\r\n")),
             min_written=2),
        Case("tables/csv_quoted_newline_in_label", "images",
             table("labels.csv", 'file_name,label\nx.png,"a\nb"\ny.png,b\n'), min_written=2,
             check=_check_rows(lambda rows: {r["label"] for r in rows} == {"a\nb", "b"},
                               "quoted newline kept in one row")),
        Case("tables/csv_u2028_in_label", "images",
             table("labels.csv", "file_name,label\nx.png,a\u2028b\ny.png,b\n"), min_written=2,
             check=_check_rows(lambda rows: len(rows) == 2, "U+2028 does not split a row")),
        Case("tables/csv_more_fields_than_header", "images",
             table("labels.csv", "file_name,label\nx.png,a,EXTRA\ny.png,b\n"),
             mentions=("labels.csv", "row 1"), min_written=1),
        Case("tables/csv_fewer_fields", "images",
             table("labels.csv", "file_name,label,writer\nx.png,a\ny.png,b,w\n"), min_written=2),
        Case("tables/csv_no_file_name_column", "images",
             table("labels.csv", "path,label\nx.png,a\n"), fatal=True,
             mentions=("labels.csv", "file_name")),
        Case("tables/csv_latin1", "images",
             table("labels.csv", "file_name,label\nx.png,\xe9\n".encode("latin-1")), fatal=True,
             mentions=("labels.csv", "UTF-8")),
        Case("tables/csv_points_outside", "images",
             table("labels.csv", "file_name,label\n../../etc/passwd,a\nx.png,a\n"),
             mentions=("labels.csv", "outside"), min_written=1),
        Case("tables/csv_absolute_path", "images",
             table("labels.csv", "file_name,label\n/etc/hostname,a\nx.png,a\n"),
             mentions=("labels.csv", "outside"), min_written=1),
        Case("tables/csv_missing_file", "images",
             table("labels.csv", "file_name,label\nnope.png,a\nx.png,a\n"),
             mentions=("nope.png",), min_written=1),
        Case("tables/csv_empty", "images", table("labels.csv", ""), fatal=True,
             mentions=("labels.csv",)),
        Case("tables/csv_header_only", "images", table("labels.csv", "file_name,label\n"),
             fatal=True, mentions=("no input",)),
        Case("tables/jsonl_lone_surrogate_label", "images",
             table("metadata.jsonl", '{"file_name": "x.png", "label": "\\ud800"}\n'
                   '{"file_name": "y.png", "label": "b"}\n'),
             mentions=("metadata.jsonl", "line 1"), min_written=1),
        Case("tables/jsonl_nul_in_file_name", "images",
             table("metadata.jsonl", '{"file_name": "x\\u0000.png", "label": "a"}\n'
                   '{"file_name": "y.png", "label": "b"}\n'),
             mentions=("metadata.jsonl", "line 1"), min_written=1),
        Case("tables/jsonl_raw_u2028_in_string", "images",
             table("metadata.jsonl", jsonl([{"file_name": "x.png", "label": "a\u2028b"},
                                            {"file_name": "y.png", "label": "b"}])),
             min_written=2),
        Case("tables/jsonl_not_an_object", "images",
             table("metadata.jsonl", '["x.png", "a"]\n{"file_name": "y.png", "label": "b"}\n'),
             mentions=("metadata.jsonl", "line 1"), min_written=1),
        Case("tables/jsonl_broken_json", "images",
             table("metadata.jsonl", '{"file_name": "x.png", "label": \n'
                   '{"file_name": "y.png", "label": "b"}\n'),
             mentions=("metadata.jsonl", "line 1"), min_written=1),
        Case("tables/jsonl_number_label", "images",
             table("metadata.jsonl", jsonl([{"file_name": "x.png", "label": 3},
                                            {"file_name": "y.png", "label": "b"}])),
             min_written=2),
        Case("tables/jsonl_file_name_not_text", "images",
             table("metadata.jsonl", jsonl([{"file_name": 7, "label": "a"},
                                            {"file_name": "y.png", "label": "b"}])),
             mentions=("metadata.jsonl", "file_name"), min_written=1),
        Case("tables/jsonl_user_source_column_kept", "images",
             table("metadata.jsonl", jsonl([{"file_name": "x.png", "label": "a", "source": "cam1"},
                                            {"file_name": "y.png", "label": "b"}])),
             min_written=2),
    ]  # fmt: skip
    return cases


def _label_cases() -> list[Case]:
    """Class folder names that are unsafe, clash on case-insensitive disks, or are not UTF-8."""
    names = ["a..b", "a b", "A", "con", "x" * 200, "ümlaut", "中", "a%2Fb", "~tilde", "-dash"]
    cases = [
        Case(f"labels/folder/{name[:20]}", "images", _images(_file(f"{name}/z.png",
             png_bytes(letter()))), min_written=5)
        for name in names
    ]  # fmt: skip

    def non_utf8(tmp: Path) -> None:
        good_images(tmp / "in")
        folder = os.fsencode(tmp / "in") + b"/caf\xe9"
        os.makedirs(folder, exist_ok=True)
        with open(folder + b"/n\xe9.png", "wb") as handle:
            handle.write(png_bytes(letter()))

    cases.append(Case("labels/non_utf8_folder_and_file", "images", non_utf8,
                      mentions=("not UTF-8",), min_written=4))  # fmt: skip
    return cases


def _symlink_cases() -> list[Case]:
    def loop(tmp: Path) -> None:
        good_images(tmp / "in")
        (tmp / "in" / "a" / "loop.png").symlink_to(tmp / "in" / "a" / "loop.png")

    def loop_in_table(tmp: Path) -> None:
        write(tmp / "in" / "x.png", png_bytes(letter()))
        (tmp / "in" / "y.png").symlink_to(tmp / "in" / "y.png")
        write(tmp / "in" / "labels.csv", "file_name,label\ny.png,a\nx.png,a\n")

    def dangling(tmp: Path) -> None:
        good_images(tmp / "in")
        (tmp / "in" / "a" / "gone.png").symlink_to(tmp / "nowhere.png")

    return [
        Case("symlinks/loop_in_class_folder", "images", loop, mentions=("loop.png",),
             min_written=4),
        Case("symlinks/loop_named_by_table", "images", loop_in_table, mentions=("y.png",),
             min_written=1),
        Case("symlinks/dangling", "images", dangling, mentions=("gone.png",), min_written=4),
    ]  # fmt: skip


def _out_cases() -> list[Case]:
    """Output folders that are files, below files, inside the input or holding symlinks."""

    def out_is_file(tmp: Path) -> None:
        good_images(tmp / "in")
        write(tmp / "out", "a file")

    def out_below_file(tmp: Path) -> None:
        good_images(tmp / "in")
        write(tmp / "blocker", "a file")

    def out_with_symlinked_manifest(tmp: Path) -> None:
        good_images(tmp / "in")
        (tmp / "out").mkdir()
        write(tmp / "elsewhere.jsonl", "")
        (tmp / "out" / "manifest.jsonl").symlink_to(tmp / "elsewhere.jsonl")

    def out_with_symlinked_label_folder(tmp: Path) -> None:
        good_images(tmp / "in")
        (tmp / "out").mkdir()
        (tmp / "elsewhere").mkdir()
        (tmp / "out" / "a").symlink_to(tmp / "elsewhere")

    def user_temporary_in_out(tmp: Path) -> None:
        good_images(tmp / "in")
        write(tmp / "out" / ".notes.tmp-keep", "the user's own file")

    return [
        Case("out/is_a_file", "images", out_is_file, fatal=True, mentions=("out",)),
        Case("out/below_a_file", "images", out_below_file, args=("-o", "{tmp}/blocker/out"),
             fatal=True, mentions=("blocker",)),
        Case("out/symlinked_manifest", "images", out_with_symlinked_manifest, fatal=True,
             mentions=("manifest.jsonl", "symbolic link")),
        Case("out/symlinked_label_folder", "images", out_with_symlinked_label_folder,
             fatal=True, mentions=("symbolic link",)),
        Case("out/users_own_tmp_file_survives", "images", user_temporary_in_out, min_written=4,
             check=lambda out: (out / ".notes.tmp-keep").is_file()),
    ]  # fmt: skip


def _audio_cases() -> list[Case]:
    tone = speech_like()
    nan = tone.copy()
    nan[100] = np.nan
    inf = tone.copy()
    inf[200] = np.inf
    payloads = {
        "empty_wav": wav_bytes(np.zeros(0, np.float32)),
        "silent_wav": wav_bytes(np.zeros(8000, np.float32)),
        "nan_sample": wav_bytes(nan),
        "inf_sample": wav_bytes(inf),
        "text_as_wav": b"RIFF but not really",
        "truncated_header": wav_bytes(tone)[:30],
        "zeros_file": bytes(2048),
    }
    words = {"empty_wav": "empty", "silent_wav": "silent", "nan_sample": "NaN",
             "inf_sample": "infinite", "text_as_wav": "decode", "truncated_header": "decode",
             "zeros_file": "decode"}  # fmt: skip
    cases = [
        Case(f"audio/{what}{suffix}", "audio", _speech(_file(f"bad_{what}{suffix}", data)),
             mentions=(f"bad_{what}{suffix}", words[what]), min_written=2)
        for what, data in payloads.items()
        for suffix in (".wav", ".flac", ".ogg")
        if suffix == ".wav" or words[what] == "decode"
    ]  # fmt: skip
    int16 = (tone * 32767).astype(np.int16)
    cases += [
        Case("audio/int16_wav_scaled", "audio", _speech(_file("pcm.wav", wav_bytes(int16,
             "PCM_16"))), min_written=3),
        Case("audio/stereo", "audio", _speech(_file("two.wav", wav_bytes(
             np.stack([tone, tone], axis=1)))), min_written=3),
        Case("audio/transcript_latin1", "audio", _speech(_file("ok0.txt",
             "caf\xe9".encode("latin-1"))), mentions=("ok0.txt", "UTF-8"), min_written=1),
        Case("audio/transcript_utf16", "audio", _speech(_file("ok0.txt",
             "caf\xe9".encode("utf-16"))), min_written=2,
             check=_check_rows(lambda rows: any(r.get("transcription") == "caf\xe9"
                                                for r in rows), "UTF-16 transcript read")),
        Case("audio/transcript_bom_stripped", "audio", _speech(_file("ok0.txt",
             "\ufeffhello")), min_written=2,
             check=_check_rows(lambda rows: all(not str(r.get("transcription", "")).startswith(
                 "\ufeff") for r in rows), "BOM not kept")),
        Case("audio/noise_dir_unreadable", "audio", _speech(lambda f: write(
             f.parent / "noises" / "n.wav", b"junk")),
             args=("--noise", "*", "--noise-dir", "{tmp}/noises"), fatal=True,
             mentions=("no readable audio", "n.wav")),
        Case("audio/noise_is_etc_passwd", "audio", _speech(lambda f: None),
             args=("--noise", "/etc/passwd"), fatal=True, mentions=("/etc/passwd",)),
        Case("audio/image_step_in_audio_config", "audio", _speech(lambda f: write(
             f.parent / "img.yaml", "- Rotate: {}\n")), args=("--config", "{tmp}/img.yaml"),
             fatal=True, mentions=("Rotate", "image")),
    ]  # fmt: skip
    return cases


def _config_cases() -> list[Case]:
    configs = {
        "audio_step": ("- Rotate: {}\n- Gain: {}\n", ("Gain", "audio")),
        "unknown_name": ("- Rotat: {}\n", ("Rotat", "did you mean")),
        "bad_value": ("- Rotate: {degrees: -400}\n", ("degrees",)),
        "python_tag": ("- !!python/object/apply:os.system ['echo hi']\n", ("not valid",)),
        "not_a_list": ("42\n", ("expected",)),
        "empty_file": ("", ("expected",)),
        "binary": (bytes(range(256)), ("image.yaml",)),
        "deep": ('{"OneOf": {"transforms": [' * 500 + '"Rotate"' + "]}}" * 500, ("nested",)),
        "alias_bomb": ("a: &a [Rotate, Rotate, Rotate, Rotate, Rotate, Rotate, Rotate]\n"
                       + "".join(f"{c}: &{c} [" + ", ".join([f"*{p}"] * 7) + "]\n"
                                 for p, c in zip("abcdefg", "bcdefgh", strict=True))
                       + "pipeline: [*h, *h, *h, *h, *h, *h, *h]\n", ("aliases",)),
        "utf16": ("- Rotate: {degrees: 5}\n".encode("utf-16"), None),
        "huge": ("#" * 2_000_000, ("larger than",)),
    }  # fmt: skip
    cases = []
    for what, (text, mentions) in configs.items():
        setup = _images(lambda f, text=text: write(f.parent / "image.yaml", text))
        args = ("--config", "{tmp}/image.yaml")
        fatal = mentions is not None
        cases.append(Case(f"config/{what}", "images", setup, args, fatal, mentions or (), 4))
    return cases


def _synth_cases() -> list[Case]:
    def fonts(files: dict[str, bytes]) -> Setup:
        def setup(tmp: Path) -> None:
            for name, data in files.items():
                write(tmp / "fonts" / name, data)
            (tmp / "in").mkdir(exist_ok=True)

        return setup

    from augment.assets import asset_dir

    dejavu = (asset_dir("fonts") / "DejaVu" / "DejaVuSans.ttf").read_bytes()
    dseg = (asset_dir("fonts") / "DSEG" / "DSEG7Classic-Regular.ttf").read_bytes()

    def backgrounds(files: dict[str, bytes]) -> Setup:
        def setup(tmp: Path) -> None:
            for name, data in files.items():
                write(tmp / "bg" / name, data)
            (tmp / "in").mkdir(exist_ok=True)

        return setup

    photo = png_bytes(np.random.default_rng(1).integers(0, 256, (64, 64, 3), dtype=np.uint8))
    return [
        Case("synth/charset_near_preset", "synth", fonts({}), args=("--charset", "alnm"),
             fatal=True, mentions=("alnm", "alnum")),
        Case("synth/charset_combining_accent", "synth", fonts({}),
             args=("--charset", "e\u0301a"), min_written=2,
             check=_check_rows(lambda rows: {r["label"] for r in rows} == {"\u00e9", "a"}
                               or {r["label"] for r in rows} == {"e\u0301", "a"},
                               "é is one class")),
        Case("synth/fonts_folder_empty", "synth", fonts({}), args=("--fonts", "{tmp}/fonts"),
             fatal=True, mentions=("fonts",)),
        Case("synth/font_corrupt_beside_good", "synth",
             fonts({"good.ttf": dejavu, "bad.ttf": b"not a font"}),
             args=("--fonts", "{tmp}/fonts"), mentions=("bad.ttf",), min_written=10,
             logged=False),
        Case("synth/font_without_the_glyph", "synth", fonts({"seg.ttf": dseg}),
             args=("--fonts", "{tmp}/fonts", "--charset", "Ж"), fatal=True,
             mentions=("Ж",)),
        Case("synth/backgrounds_all_corrupt", "synth",
             backgrounds({"a.png": b"junk", "b.jpg": b"junk"}),
             args=("--backgrounds", "{tmp}/bg"), fatal=True, mentions=("bg",)),
        Case("synth/backgrounds_one_corrupt", "synth",
             backgrounds({"a.png": photo, "b.jpg": b"junk"}),
             args=("--backgrounds", "{tmp}/bg"), mentions=("b.jpg",), min_written=10,
             logged=False),
        Case("synth/size_too_small", "synth", fonts({}), args=("--size", "2"), fatal=True,
             mentions=("--size",)),
    ]  # fmt: skip


def _state_cases() -> list[Case]:
    """OUT folders left by earlier runs: torn, NUL-filled or truncated records, reruns."""

    def earlier_run(damage: Callable[[Path], None]) -> Setup:
        def setup(tmp: Path) -> None:
            from typer.testing import CliRunner

            from augment.cli.main import app

            good_images(tmp / "in")
            result = CliRunner().invoke(app, ["images", str(tmp / "in"), "-o", str(tmp / "out")])
            assert result.exit_code == 0, result.output
            damage(tmp / "out")

        return setup

    def nul_line(out: Path) -> None:
        with open(out / "manifest.jsonl", "ab") as handle:
            handle.write(bytes(300) + b"\n")

    def torn_line(out: Path) -> None:
        with open(out / "manifest.jsonl", "ab") as handle:
            handle.write(b'{"index": 9, "fi')

    def truncated_run_record(out: Path) -> None:
        data = (out / "run.json").read_bytes()
        (out / "run.json").write_bytes(data[: len(data) // 2])

    def lost_examples(out: Path) -> None:
        lines = (out / "manifest.jsonl").read_text().splitlines(keepends=True)
        (out / "manifest.jsonl").write_text("".join(lines[:2]))

    def out_inside_in(tmp: Path) -> None:
        good_images(tmp / "in")

    return [
        Case("state/torn_manifest_line_resumes", "images", earlier_run(torn_line), min_written=4),
        Case("state/nul_filled_manifest_line", "images", earlier_run(nul_line), fatal=True,
             mentions=("manifest.jsonl", "line")),
        Case("state/truncated_run_record", "images", earlier_run(truncated_run_record),
             fatal=True, mentions=("run.json",)),
        Case("state/rerun_finishes_lost_examples", "images", earlier_run(lost_examples),
             min_written=4, check=_check_rows(lambda rows: len(rows) == 4, "no duplicates")),
        Case("state/identical_rerun", "images", lambda tmp: good_images(tmp / "in"),
             repeat=True, min_written=4),
        Case("state/out_inside_in_resumes", "images", out_inside_in,
             args=("-o", "{in}/augmented"), repeat=True, min_written=0),
    ]  # fmt: skip


def _more_label_cases() -> list[Case]:
    """Labels from a table that cannot be folder names as they are: escaped, never lost."""
    labels = ["../x", "a/b", "CON", " ", "a\tb", "x" * 300, "\u01c5", "\u0130", "A", "a"]
    cases = []
    for i, label in enumerate(labels):
        rows = [{"file_name": "x.png", "label": label}, {"file_name": "y.png", "label": "b"}]

        def setup(tmp: Path, rows: list[dict] = rows) -> None:
            write(tmp / "in" / "x.png", png_bytes(letter()))
            write(tmp / "in" / "y.png", png_bytes(letter()))
            write(tmp / "in" / "metadata.jsonl", jsonl(rows))

        cases.append(Case(f"labels/table/{i}_{label[:10]!r}", "images", setup, min_written=2,
                          check=_check_rows(lambda rows, label=label: label in
                                            {r["label"] for r in rows}, "label kept")))  # fmt: skip
    return cases


def _more_config_cases() -> list[Case]:
    configs = {
        "transforms_not_list": ("- OneOf: {transforms: Rotate}\n", ("transforms",)),
        "weights_mismatch": ("- OneOf: {transforms: [Rotate, Blur], weights: [1]}\n",
                             ("weights",)),
        "p_above_one": ("- Maybe: {p: 2, transform: Rotate}\n", ("p",)),
        "maybe_without_transform": ("- Maybe: {p: 0.5}\n", ("Maybe",)),
        "yaml_tabs": ("-\tRotate: {}\n", ("not valid",)),
        "json_trailing_comma": (None, ("not valid",)),
        "null": ("null\n", ("expected",)),
        "bare_name": ("Rotate\n", None),
        "pipeline_key": ("pipeline: [Rotate, Blur]\n", None),
        "range_reversed": ("- Scale: {factor: [1.2, 0.8]}\n", ("factor",)),
    }  # fmt: skip
    cases = []
    for what, (text, mentions) in configs.items():
        name = "image.json" if text is None else "image.yaml"
        body = '[{"Rotate": {}},]' if text is None else text
        setup = _images(lambda f, body=body, name=name: write(f.parent / name, body))
        args = ("--config", f"{{tmp}}/{name}")
        fatal = mentions is not None
        cases.append(Case(f"config/{what}", "images", setup, args, fatal, mentions or (), 4))
    return cases


def _more_synth_cases() -> list[Case]:
    def config(text: str) -> Setup:
        def setup(tmp: Path) -> None:
            (tmp / "in").mkdir()
            write(tmp / "synth.yaml", text)

        return setup

    def charset_file(data: bytes) -> Setup:
        def setup(tmp: Path) -> None:
            (tmp / "in").mkdir()
            write(tmp / "chars.txt", data)

        return setup

    with_config = ("--config", "{tmp}/synth.yaml")
    return [
        Case("synth/weights_nan", "synth", config("render: {backgrounds: {flat: .nan}}\n"),
             args=with_config, fatal=True, mentions=("backgrounds",)),
        Case("synth/weights_all_zero", "synth",
             config("render: {backgrounds: {flat: 0, noise: 0}}\n"), args=with_config,
             fatal=True, mentions=("backgrounds",)),
        Case("synth/unknown_render_key", "synth", config("render: {p_neighbor: 0.5}\n"),
             args=with_config, fatal=True, mentions=("p_neighbor", "p_neighbour")),
        Case("synth/empty_charset", "synth", config(""), args=("--charset", ""), fatal=True,
             mentions=("charset",)),
        Case("synth/charset_file_missing", "synth", config(""),
             args=("--charset", "@{tmp}/nope.txt"), fatal=True, mentions=("nope.txt",)),
        Case("synth/charset_file_latin1", "synth", charset_file("\xe9a".encode("latin-1")),
             args=("--charset", "@{tmp}/chars.txt"), fatal=True, mentions=("chars.txt", "UTF-8")),
        Case("synth/charset_file_utf16", "synth", charset_file("ab".encode("utf-16")),
             args=("--charset", "@{tmp}/chars.txt"), min_written=2),
    ]  # fmt: skip


def _more_audio_cases() -> list[Case]:
    return [
        Case("audio/noise_dir_empty", "audio", _speech(lambda f: (f.parent / "noises").mkdir()),
             args=("--noise", "noise", "--noise-dir", "{tmp}/noises"), fatal=True,
             mentions=("noises",)),
        Case("audio/snr_not_numbers", "audio", _speech(lambda f: None),
             args=("--snr", "a:b"), fatal=True, mentions=("--snr",)),
        Case("audio/snr_reversed", "audio", _speech(lambda f: None),
             args=("--snr", "20:0"), fatal=True, mentions=("--snr",)),
    ]  # fmt: skip


def all_cases() -> list[Case]:
    return (
        _corrupt_image_cases()
        + _image_format_cases()
        + _bomb_cases()
        + _table_cases()
        + _label_cases()
        + _symlink_cases()
        + _out_cases()
        + _audio_cases()
        + _config_cases()
        + _synth_cases()
        + _state_cases()
        + _more_label_cases()
        + _more_config_cases()
        + _more_synth_cases()
        + _more_audio_cases()
    )
