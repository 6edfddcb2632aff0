"""Reading long questions, the fitted model and the labelled real questions (issue 9)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from knowledge.catalogue import Catalogue
from knowledge.search import DECISIONS, SearchEngine, fitting, model
from knowledge.search.fitting import Labelled, read_sets, split_of
from knowledge.search.reading import read

REAL = fitting.REAL_QUESTIONS


# --- reading ---------------------------------------------------------------------------------


def test_the_asking_clause_is_read_apart_from_the_story() -> None:
    r = read(
        "Năm 2019 tôi mua xe máy của anh [tên] nhưng chưa sang tên, nay anh ấy đã chuyển vào "
        "Nam sinh sống, cho tôi hỏi thủ tục sang tên xe như thế nào? Xin cảm ơn!"
    )
    assert r.ask.startswith("cho tôi hỏi thủ tục sang tên xe")
    assert "Năm 2019" in r.story
    assert "cảm ơn" not in r.ask


def test_a_run_of_questions_at_the_end_is_one_ask() -> None:
    r = read(
        "Chồng tôi là người Hàn Quốc. Chúng tôi vừa sinh con ở Việt Nam. "
        "Thủ tục khai sinh cho con thế nào? Cần giấy tờ gì?"
    )
    assert r.ask == "Thủ tục khai sinh cho con thế nào? Cần giấy tờ gì?"
    assert r.story == "Chồng tôi là người Hàn Quốc. Chúng tôi vừa sinh con ở Việt Nam."
    assert r.asks == "documents"


@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        ("làm sổ đỏ hết bao lâu", "time"),
        ("lam so do het bao lau", "time"),
        ("đổi bằng lái xe mất bao nhiêu tiền", "fee"),
        ("đăng ký kết hôn cần giấy tờ gì", "documents"),
        ("xin lý lịch tư pháp ở đâu", "place"),
        ("có làm căn cước online được không", "online"),
        ("nhận kết quả qua bưu điện được không", "postal"),
        ("đăng ký khai sinh", None),
    ],
)
def test_the_aspect_asked(text: str, aspect: str | None) -> None:
    assert read(text).asks == aspect


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Tôi đi xe máy vượt đèn đỏ bị lập biên bản, mức phạt là bao nhiêu?", "fine"),
        ("Hàng xóm lấn chiếm đất nhà tôi, tranh chấp ranh giới thì giải quyết ra sao?", "dispute"),
        ("Tôi đã nộp hồ sơ từ tháng 3 đến nay vẫn chưa có kết quả, là sao ạ?", "dossier_status"),
    ],
)
def test_refer_cues_name_their_kind(text: str, kind: str) -> None:
    assert read(text).refer_kind == kind


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01", "?!…", "😀😀"])
def test_reading_odd_input_never_raises(text: str) -> None:
    r = read(text)
    assert r.asks is None
    assert r.refer_kind is None


# --- decisions of the engine -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Tôi đi xe máy vượt đèn đỏ bị cảnh sát giao thông lập biên bản, cho hỏi mức phạt là "
        "bao nhiêu?",
        "Tôi đã nộp hồ sơ cấp sổ đỏ từ ba tháng trước đến nay vẫn chưa có kết quả, hồ sơ của "
        "tôi đang ở đâu?",
        "Bố mẹ tôi mất không để lại di chúc, anh chị em tranh chấp chia tài sản thừa kế căn "
        "nhà thì pháp luật giải quyết thế nào?",
    ],
)
def test_out_of_scope_messages_get_no_procedure(search_engine: SearchEngine, text: str) -> None:
    result = search_engine.search(text)
    assert result.decision == "refer", [h.name for h in result.hits]
    assert result.hits == ()
    assert result.refer is not None


def test_chit_chat_is_none_not_refer(search_engine: SearchEngine) -> None:
    for text in ("chúc ngủ ngon", "hôm nay trời đẹp quá nhỉ", "bạn là người thật hay máy vậy"):
        result = search_engine.search(text)
        assert result.decision == "none", text
        assert not result.hits


def test_a_question_about_time_leads_with_it(search_engine: SearchEngine) -> None:
    result = search_engine.search("đăng ký khai sinh cho con mất bao lâu")
    assert result.asks == "time"
    assert result.hits
    assert result.hits[0].code == "1.001193"


def test_variants_of_one_procedure_ask_instead_of_listing(search_engine: SearchEngine) -> None:
    result = search_engine.search("khai sinh")
    assert result.decision in ("card", "clarify")
    if result.decision == "clarify":
        codes = [o.code for o in result.options]
        assert len(codes) >= 2
        assert len(set(codes)) == len(codes)
        assert all("khai sinh" in o.label.casefold() for o in result.options)


def test_a_story_does_not_outweigh_the_question(search_engine: SearchEngine) -> None:
    story = (
        "Năm 2015 tôi mua một chiếc ô tô cũ và đã làm thủ tục sang tên, đăng ký xe đầy đủ. "
        "Nhà tôi cũng đã có sổ đỏ. "
    )
    result = search_engine.search(
        story + "Nay vợ chồng tôi sinh con, cho tôi hỏi thủ tục đăng ký "
        "khai sinh cho con như thế nào?"
    )
    assert result.hits
    assert result.hits[0].code == "1.001193", [h.name for h in result.hits]


def test_every_result_is_consistent(search_engine: SearchEngine) -> None:
    for row in read_sets([REAL])[:120]:
        result = search_engine.search(row.text)
        assert result.decision in DECISIONS
        assert (result.decision in ("refer", "none")) == (not result.hits)
        scores = [h.score for h in result.hits]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)


# --- the labelled set and the model ----------------------------------------------------------


def test_the_real_questions_are_many_varied_and_split_by_page(catalogue: Catalogue) -> None:
    rows = read_sets([REAL])
    real = [r for r in rows if r.kind == "real"]
    oos = [r for r in rows if r.kind == "oos"]
    assert len(oos) >= 100
    assert len({r.group for r in real}) >= 15
    known = {p.code for p in catalogue.procedures}
    for r in rows:
        assert r.source.startswith(("http://", "https://")), r.text
        assert 0 < len(r.text) <= 300
        assert "\t" not in r.text
        assert r.split == split_of(r.source)
        assert 1 <= len(r.codes) <= 4 if r.kind == "real" else not r.codes
        assert r.codes <= known, r.codes - known
    pages: dict[str, set[str]] = {}
    for r in rows:
        pages.setdefault(r.source, set()).add(r.split)
    assert all(len(splits) == 1 for splits in pages.values())
    assert Counter(r.split for r in real)["test"] >= 100
    assert len({r.text.casefold() for r in rows}) == len(rows)


def test_split_depends_on_the_page_only() -> None:
    page = "https://example.vn/hoi-dap/123"
    assert split_of(page) == split_of(page + "/") == split_of(page + "#cau-2")
    splits = Counter(split_of(f"https://example.vn/{i}") for i in range(2000))
    assert 0.30 < splits["test"] / 2000 < 0.40


def test_fitting_refuses_the_test_part(search_engine: SearchEngine) -> None:
    rows = [Labelled("real", "khai sinh", frozenset({"1.001193"}), "test")]
    with pytest.raises(ValueError, match="test part"):
        fitting.fit(search_engine, rows)


def test_the_shipped_model_was_fitted_on_the_current_sets() -> None:
    data = json.loads(model.MODEL_PATH.read_text(encoding="utf-8"))
    assert data["meta"]["sets"] == fitting.sets_digest(list(fitting.DEFAULT_SETS)), (
        "the labelled sets changed: run `python -m bot catalogue fit-search`"
    )
    assert list(data["scorer"]) == list(model.RANK_FEATURES)
    assert set(data["refer"]["weights"]) == set(model.REFER_FEATURES)
    shipped = model.load()
    assert 0.0 < shipped.t_refer < 1.0
    assert 0.0 <= shipped.t_low < 1.0


def test_a_missing_model_file_falls_back_to_the_prior(tmp_path: Path) -> None:
    prior = model.load(tmp_path / "absent.json")
    assert prior.scorer == model.PRIOR_SCORER
