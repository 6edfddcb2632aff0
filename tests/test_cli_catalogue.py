"""`python -m bot catalogue import|check-overlay|info|show` end to end."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from knowledge import catalogue as cat

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "sources"  # the national-portal records, kept in the repository
SOURCES = [str(DATA / "dvcqg_procedures.jsonl.gz"), str(DATA / "bqp_procedures.jsonl.gz")]
SAMPLE_OVERLAY = ROOT / "knowledge" / "data" / "overlay_sample.csv"
EPOCH = "1767312000"  # 2026-01-02 UTC
KINDS = (
    "time_without_unit",
    "time_missing",
    "time_not_numeric",
    "time_fee_glued",
    "fee_missing",
    "fee_unparsed",
    "fee_amount_unclear",
    "no_documents",
    "no_legal_basis",
    "legal_number_missing",
    "duplicate_code",
    "bad_code",
)


@pytest.fixture(scope="module")
def full_import(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("full") / "catalogue.json.gz"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONIOENCODING": "utf-8"}
    args = [
        "catalogue",
        "import",
        *SOURCES,
        "--overlay",
        str(SAMPLE_OVERLAY),
        "--output",
        str(out),
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return proc, out


def _count(stdout: str, kind: str) -> int:
    line = next(line for line in stdout.splitlines() if line.strip().startswith(f"{kind}:"))
    return int(line.split(":", 1)[1].split()[0])


def test_import_prints_counts_and_progress(
    full_import: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    proc, out = full_import
    assert proc.returncode == 0, proc.stderr
    assert "dvcqg: 2642 bản ghi" in proc.stdout
    assert "bqp: 207 bản ghi" in proc.stdout
    assert "tổng: 2849 bản ghi" in proc.stdout
    for kind in KINDS:
        assert _count(proc.stdout, kind) >= 0
    assert _count(proc.stdout, "duplicate_code") == 0
    assert _count(proc.stdout, "time_without_unit") > 0  # 1.001193 and its like
    assert "overlay: áp dụng 50 dòng, bỏ qua 0 dòng" in proc.stdout
    assert "DỮ LIỆU MẪU" in proc.stdout
    assert "dvcqg_procedures.jsonl.gz" in proc.stderr  # the tqdm bar
    assert out.exists()


def test_imported_file_matches_the_shipped_one(
    full_import: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    _, out = full_import
    fresh, shipped = cat.load(out), cat.load()
    assert fresh.built_at == "2026-01-02"
    assert len(fresh) == 2849
    # The committed catalogue is what the import produces today (except the build date).
    assert fresh.procedures == shipped.procedures
    assert fresh.sources == shipped.sources
    assert fresh.overlay_label == shipped.overlay_label


def test_import_is_reproducible(
    full_import: tuple[subprocess.CompletedProcess[str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, first = full_import
    second = tmp_path / "again.json.gz"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    args = ["catalogue", "import", *SOURCES, "--overlay", str(SAMPLE_OVERLAY)]
    assert main([*args, "--output", str(second), "--no-progress"]) == 0
    capsys.readouterr()
    assert second.read_bytes() == first.read_bytes()


# --- small inputs ----------------------------------------------------------------------------


def _records(codes: set[str]) -> list[str]:
    with gzip.open(DATA / "dvcqg_procedures.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [line for line in fh if json.loads(line)["ma_thu_tuc"] in codes]


@pytest.fixture
def small_source(tmp_path: Path) -> Path:
    lines = _records({"1.001193", "1.000894", "2.000815"})
    assert len(lines) == 3
    path = tmp_path / "small.jsonl"
    birth = next(line for line in lines if '"1.001193"' in line)
    path.write_text("".join([*lines, birth]), encoding="utf-8")  # 1.001193 twice
    return path


def test_import_reports_duplicates_and_writes_no_overlay_label(
    small_source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "small.json.gz"
    assert main(["catalogue", "import", str(small_source), "--output", str(out)]) == 0
    captured = capsys.readouterr()
    assert _count(captured.out, "duplicate_code") == 1
    assert "trùng mã: 1.001193" in captured.out
    assert "small.jsonl" in captured.err  # progress bar
    small = cat.load(out)
    assert small.codes() == ["1.000894", "1.001193", "2.000815"]
    assert small.overlay_label == ""
    assert not small.overlay_sample
    assert small.sources == ("small.jsonl: nguồn không rõ (unknown origin)",)


def test_strict_import_refuses_a_bad_overlay(
    small_source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    overlay = tmp_path / "bad.csv"
    overlay.write_text(
        "Mã thủ tục,Trả kết quả trong ngày,Thời hạn theo quy định (ngày),Thời hạn sau cắt giảm (ngày)\n"
        "1.001193,có,,\n"
        "1.000894,không,5,8\n"
        "1.999999,có,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "strict.json.gz"
    args = ["catalogue", "import", str(small_source), "--overlay", str(overlay), "--no-progress"]
    assert main([*args, "--output", str(out), "--strict"]) == 1
    captured = capsys.readouterr()
    assert "dòng 3 [1.000894]" in captured.out
    assert "dòng 4 [1.999999]" in captured.out
    assert "bỏ qua 2 dòng" in captured.out
    assert not out.exists()
    # Without --strict the good row is applied and the bad ones are skipped.
    assert main([*args, "--output", str(out)]) == 0
    capsys.readouterr()
    built = cat.load(out)
    birth, marriage = built.get("1.001193"), built.get("1.000894")
    assert birth is not None
    assert birth.local is not None
    assert birth.local.same_day
    assert marriage is not None
    assert marriage.local is None
    assert built.overlay_label.startswith("Dữ liệu của tỉnh")


def test_import_of_a_missing_file_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "none.json.gz"
    assert (
        main(["catalogue", "import", str(tmp_path / "nope.jsonl.gz"), "--output", str(out)]) == 2
    )
    assert "Lỗi" in capsys.readouterr().err
    assert not out.exists()


def test_check_overlay(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalogue", "check-overlay", str(SAMPLE_OVERLAY)]) == 0
    assert "50 dòng hợp lệ (DỮ LIỆU MẪU), 0 dòng bị bỏ qua" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("Mã thủ tục,Nộp qua bưu chính\n1.001193,có\n1.001193,có\n", encoding="utf-8")
    assert main(["catalogue", "check-overlay", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "dòng 3 [1.001193]: mã đã có ở dòng 2 (trùng mã)" in out


def test_info_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalogue", "info"]) == 0
    out = capsys.readouterr().out
    assert "thủ tục: 2849" in out
    assert "DỮ LIỆU MẪU" in out
    assert main(["catalogue", "show", "1.001193.000.00.00.H44"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["code"] == "1.001193"
    assert shown["url"].startswith("https://dichvucong.gov.vn/")
    assert main(["catalogue", "show", "9.999999"]) == 1
