"""`python -m bot search`, run as a separate process the way scripts and judges call it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "bot", "search", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )


def test_json_output_has_the_documented_shape() -> None:
    proc = run("đăng ký khai sinh", "--json", "--limit", "3")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["query"] == "đăng ký khai sinh"
    assert 1 <= len(doc["results"]) <= 3
    first = doc["results"][0]
    assert set(first) == {"code", "name", "score"}
    assert first["code"] == "1.001193"
    assert first["name"] == "Thủ tục đăng ký khai sinh"  # ensure_ascii=False: real letters
    assert "Thủ tục đăng ký khai sinh" in proc.stdout
    assert 0.0 <= first["score"] <= 1.0


def test_stdin_mode_prints_one_json_line_per_query_in_order() -> None:
    queries = ["sổ đỏ bị mất", "", "xin chào", "1.001193", "dangw kys ket hon", "😀"]
    proc = run("-", stdin="\n".join(queries) + "\n")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == len(queries)
    docs = [json.loads(line) for line in lines]
    assert [d["query"] for d in docs] == queries
    assert docs[0]["results"][0]["code"] == "1.012786"
    assert docs[1]["results"] == []
    assert docs[2]["results"] == []
    assert [r["code"] for r in docs[3]["results"]] == ["1.001193"]
    assert docs[4]["results"][0]["code"] == "1.000894"
    assert docs[5]["results"] == []


def test_readable_output_is_vietnamese() -> None:
    found = run("tách khẩu")
    assert found.returncode == 0, found.stderr
    assert "Tách hộ" in found.stdout
    assert "1.010038" in found.stdout
    missing = run("asdfghjkl qwerty")
    assert missing.returncode == 0
    assert missing.stdout.strip() == "Không tìm thấy thủ tục phù hợp."


def test_bad_limit_is_refused() -> None:
    proc = run("khai sinh", "--limit", "0")
    assert proc.returncode == 2
    assert "--limit" in proc.stderr
