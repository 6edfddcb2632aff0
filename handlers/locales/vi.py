"""Vietnamese texts (the default). Keys are shared with en.py; values are Telegram HTML."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- common ---
    "error.apology": (
        "Xin lỗi, hệ thống vừa gặp sự cố khi xử lý yêu cầu của bạn. "
        "Bạn vui lòng thử lại sau ít phút nhé."
    ),
    "unknown_command": ("Xin lỗi, mình chưa hiểu lệnh này. Gõ /help để xem các lệnh có thể dùng."),
    "stale_button": "Nút này đã cũ. Bạn vui lòng gõ lại yêu cầu nhé.",
    # --- start and help ---
    # --- catalogue and search ---
    # --- feedback ---
    # --- tasks ---
    # --- server ---
}
