"""English texts. Keys mirror vi.py; a missing key falls back to Vietnamese."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- common ---
    "error.apology": "Sorry, something went wrong while handling your request. Please try again shortly.",
    "unknown_command": "Sorry, I don't know that command. Type /help to see what I can do.",
    "stale_button": "This button has expired. Please type your request again.",
    # --- start and help ---
    # --- catalogue and search ---
    # --- feedback ---
    # --- tasks ---
    # --- server ---
}
