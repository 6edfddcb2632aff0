"""Generate the SAMPLE reform-task files knowledge/data/tasks_sample.{xlsx,csv} (fixed seed).

The data is invented to look like a province's list: about two hundred tasks across
twenty-two provincial agencies (names after the 2025 mergers), from documents of the
Government, the Prime Minister and the provincial People's Committee, in all seven reform
areas. It is NOT real data; both files say so in their first row.

    .venv/bin/python scripts/make_tasks_sample.py            # writes the two sample files
    .venv/bin/python scripts/make_tasks_sample.py --tasks 5000 --out /tmp/big.xlsx
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from knowledge.tasks import AREAS
from knowledge.tasks.importer import HEADER_LABELS

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "knowledge" / "data"
SEED = 2026
AS_OF = date(2026, 11, 20)  # completions are recorded up to this day
LABEL = (
    "DỮ LIỆU MẪU - nhiệm vụ cải cách hành chính của một tỉnh giả định, KHÔNG phải số liệu "
    f"thật; số liệu đến ngày {AS_OF:%d/%m/%Y}. Tạo bởi scripts/make_tasks_sample.py."
)
# The import format's headers (knowledge/tasks/importer.py), after a row number.
COLUMNS = ("STT", *HEADER_LABELS.values())

AGENCIES = (
    "Sở Tư pháp",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường",
    "Sở Khoa học và Công nghệ",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Công Thương",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Dân tộc và Tôn giáo",
    "Sở Ngoại vụ",
    "Thanh tra tỉnh",
    "Công an tỉnh",
    "Văn phòng UBND tỉnh",
    "Ban Quản lý các khu công nghiệp tỉnh",
    "Trung tâm Phục vụ hành chính công tỉnh",
    "Bảo hiểm xã hội tỉnh",
    "Thuế tỉnh",
    "Bộ Chỉ huy Quân sự tỉnh",
    "Kho bạc Nhà nước khu vực",
    "Đài Phát thanh và Truyền hình tỉnh",
)
# Agencies that usually lead each area (by index into AGENCIES), besides anyone else.
AREA_LEADS = (
    (14, 1, 12),
    (0, 14, 1),
    (14, 16, 0, 4, 3, 13),
    (1, 14),
    (1, 12),
    (2, 20, 18),
    (5, 16, 13, 14, 17),
)
FIELDS = (
    "đất đai",
    "hộ tịch",
    "xây dựng",
    "đầu tư",
    "giáo dục",
    "y tế",
    "lao động",
    "môi trường",
    "giao thông",
    "công thương",
    "nông nghiệp",
    "văn hóa",
)
TEMPLATES = (
    (
        "Xây dựng, ban hành kế hoạch cải cách hành chính năm 2026 của cơ quan",
        "Kiểm tra công tác cải cách hành chính tại các đơn vị trực thuộc",
        "Báo cáo kết quả thực hiện nhiệm vụ cải cách hành chính quý {q}/2026",
        "Tuyên truyền về cải cách hành chính trên trang thông tin điện tử",
        "Khắc phục hạn chế trong xác định Chỉ số cải cách hành chính năm 2025",
        "Tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2026",
    ),
    (
        "Rà soát văn bản quy phạm pháp luật lĩnh vực {f} để sửa đổi, bổ sung",
        "Tham mưu quy định chi tiết thi hành luật mới trong lĩnh vực {f}",
        "Kiểm tra, xử lý văn bản trái pháp luật lĩnh vực {f}",
        "Theo dõi tình hình thi hành pháp luật về {f}",
        "Hệ thống hóa văn bản quy phạm pháp luật kỳ 2024-2028",
    ),
    (
        "Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực {f}",
        "Công bố danh mục thủ tục hành chính sửa đổi, bổ sung lĩnh vực {f}",
        "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính lĩnh vực {f}",
        "Cắt giảm thời gian giải quyết thủ tục hành chính lĩnh vực {f}",
        "Tiếp nhận, trả kết quả thủ tục {f} không phụ thuộc địa giới hành chính",
        "Xử lý dứt điểm hồ sơ quá hạn lĩnh vực {f}",
    ),
    (
        "Kiện toàn chức năng, nhiệm vụ, cơ cấu tổ chức sau sắp xếp",
        "Xây dựng đề án vị trí việc làm của cơ quan",
        "Sắp xếp đơn vị sự nghiệp công lập trực thuộc",
        "Rà soát phân cấp, ủy quyền giải quyết công việc cho cấp xã",
    ),
    (
        "Đánh giá, xếp loại công chức, viên chức theo kết quả công việc",
        "Bồi dưỡng kỹ năng giải quyết thủ tục hành chính cho công chức cấp xã",
        "Kiểm tra kỷ luật, kỷ cương hành chính và văn hóa công vụ",
        "Tinh giản biên chế gắn với vị trí việc làm",
    ),
    (
        "Giao quyền tự chủ tài chính cho đơn vị sự nghiệp công lập",
        "Đẩy nhanh giải ngân vốn đầu tư công năm 2026",
        "Rà soát, sắp xếp lại nhà, đất là tài sản công sau hợp nhất",
        "Công khai ngân sách theo quy định",
    ),
    (
        "Triển khai Đề án 06 về dữ liệu dân cư, định danh và xác thực điện tử",
        "Kết nối, chia sẻ dữ liệu lĩnh vực {f} với Cơ sở dữ liệu quốc gia",
        "Nâng tỷ lệ hồ sơ trực tuyến toàn trình lĩnh vực {f}",
        "Triển khai thanh toán trực tuyến phí, lệ phí lĩnh vực {f}",
        "Cấp chữ ký số cho cán bộ, công chức và sử dụng trên Hệ thống quản lý văn bản",
        "Bảo đảm an toàn thông tin hệ thống thông tin cấp độ 3",
    ),
)
ISSUERS = (
    ("Chính phủ", ("NQ-CP", "NĐ-CP"), 0.18),
    ("Thủ tướng Chính phủ", ("CT-TTg", "QĐ-TTg", "CĐ-TTg"), 0.22),
    ("UBND tỉnh", ("KH-UBND", "QĐ-UBND", "CT-UBND"), 0.45),
    ("Chủ tịch UBND tỉnh", ("CĐ-UBND", "QĐ-CT"), 0.15),
)
NOTES = (
    "Đã báo cáo UBND tỉnh",
    "Chờ hướng dẫn của Bộ",
    "Đang lấy ý kiến các sở, ngành",
    "Đã trình UBND tỉnh",
    "Vướng mắc về kinh phí",
)


def _documents(rng: random.Random, count: int) -> list[tuple[str, date, str]]:
    docs: list[tuple[str, date, str]] = []
    used: set[tuple[str, str]] = set()
    start = date(2025, 12, 1)
    while len(docs) < count:
        issuer, kinds, _ = rng.choices(ISSUERS, weights=[i[2] for i in ISSUERS])[0]
        day = start + timedelta(days=rng.randrange(0, 300))
        number = f"{rng.randrange(1, 400)}/{rng.choice(kinds)}"
        if (issuer, number) in used:
            continue
        used.add((issuer, number))
        docs.append((number, day, issuer))
    docs.sort(key=lambda d: d[1])
    return docs


def generate(n_tasks: int = 200, seed: int = SEED, as_of: date = AS_OF) -> list[dict[str, Any]]:
    """The sample rows (header -> value; dates as ``date``), deterministic for a seed."""
    rng = random.Random(seed)
    docs = _documents(rng, max(1, round(n_tasks / 3.8)))
    # Every document gets at least one task; the rest are spread at random.
    owners = list(range(len(docs))) + [rng.randrange(len(docs)) for _ in docs]
    owners += [rng.randrange(len(docs)) for _ in range(max(0, n_tasks - len(owners)))]
    owners = sorted(owners[:n_tasks])
    rows: list[dict[str, Any]] = []
    for i, doc_index in enumerate(owners, start=1):
        number, given, issuer = docs[doc_index]
        area = rng.randrange(len(AREAS))
        if rng.random() < 0.4:
            lead = AGENCIES[rng.choice(AREA_LEADS[area])]
        else:
            lead = rng.choice(AGENCIES)
        others = [a for a in rng.sample(AGENCIES, rng.randrange(0, 4)) if a != lead]
        title = rng.choice(TEMPLATES[area]).format(f=rng.choice(FIELDS), q=rng.randrange(1, 5))
        deadline: date | None = given + timedelta(days=rng.randrange(20, 330))
        completed: date | None = None
        if rng.random() < 0.04:
            deadline = None  # recurring ("Thường xuyên")
            if rng.random() < 0.3:
                completed = min(as_of, given + timedelta(days=rng.randrange(10, 200)))
        elif deadline is not None and deadline < as_of:
            if rng.random() < 0.9:
                if rng.random() < 0.86:
                    span = max(1, (deadline - given).days)
                    completed = given + timedelta(days=rng.randrange(1, span + 1))
                else:
                    completed = min(as_of, deadline + timedelta(days=rng.randrange(1, 45)))
        elif deadline is not None and rng.random() < 0.3:
            span = max(1, (as_of - given).days)
            completed = given + timedelta(days=rng.randrange(1, span + 1))
        note = rng.choice(NOTES) if completed is None and rng.random() < 0.25 else ""
        rows.append(
            {
                "STT": i,
                "Mã nhiệm vụ": f"NV26-{i:03d}" if n_tasks < 1000 else f"NV26-{i:05d}",
                "Nội dung nhiệm vụ": title,
                "Văn bản giao": number,
                "Ngày giao": given,
                "Cơ quan giao": issuer,
                "Lĩnh vực": AREAS[area],
                "Cơ quan chủ trì": lead,
                "Cơ quan phối hợp": "; ".join(others),
                "Thời hạn": deadline if deadline is not None else "Thường xuyên",
                "Ngày hoàn thành": completed,
                "Ghi chú": note,
            }
        )
    return rows


def write_xlsx(rows: list[dict[str, Any]], path: Path, label: str = LABEL) -> None:
    """An XLSX with a label row, the header row, and real date cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Nhiệm vụ (MẪU)"
    sheet.append([label])
    sheet["A1"].font = Font(bold=True, color="C00000")
    sheet.append(list(COLUMNS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
    for col in ("E", "J", "K"):
        for cell in sheet[col][2:]:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    widths = {"B": 11, "C": 60, "D": 14, "E": 12, "F": 20, "G": 30, "H": 32, "I": 40}
    for col, width in widths.items():
        sheet.column_dimensions[col].width = width
    book.properties.creator = "scripts/make_tasks_sample.py"
    book.properties.created = datetime(2026, 11, 20)
    book.properties.modified = datetime(2026, 11, 20)
    book.save(path)


def write_csv(rows: list[dict[str, Any]], path: Path, label: str = LABEL) -> None:
    """A UTF-8 CSV (with BOM, as Excel writes it) with a label row and dd/mm/yyyy dates."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([label])
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(
                [
                    row[c].strftime("%d/%m/%Y") if isinstance(row[c], date) else row[c] or ""
                    for c in COLUMNS
                ]
            )


def main() -> None:
    """Write the sample files (or one file of another size with --out)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, help="one .xlsx or .csv file instead of the samples")
    args = parser.parse_args()
    rows = generate(args.tasks, args.seed)
    targets = [args.out] if args.out else [DATA / "tasks_sample.xlsx", DATA / "tasks_sample.csv"]
    for target in targets:
        (write_csv if target.suffix == ".csv" else write_xlsx)(rows, target)
        print(f"{target}: {len(rows)} nhiệm vụ")


if __name__ == "__main__":
    main()
