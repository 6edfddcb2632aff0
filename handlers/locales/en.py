"""English texts. Keys mirror vi.py; a missing key falls back to Vietnamese."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- common ---
    "error.apology": "Sorry, something went wrong while handling your request. Please try again shortly.",
    "unknown_command": "Sorry, I don't know that command. Type /help to see what I can do.",
    "stale_button": "This button has expired. Please type your request again.",
    # --- start and help ---
    "start.greeting": (
        "Hello {name}! 👋 I am the administrative-procedure assistant of {centre}.\n\n"
        "Just type what you need, for example <i>land use certificate</i>, "
        "<i>lý lịch tư pháp</i>, <i>gia hạn tạm trú</i>. I will find the procedure: agency, "
        "time limit, fees and documents. Procedure data stays in Vietnamese as published.\n\n"
        "Or choose below:"
    ),
    "menu.search_hint": "🔎 How to search",
    "menu.same_day": "⚡ Same-day results",
    "menu.time_cut": "✂️ Shortened processing time",
    "menu.postal": "📮 Via public postal service",
    "menu.fields": "📂 Browse by field",
    "menu.feedback": "📝 Send feedback",
    "menu.language": "🌐 Tiếng Việt",
    "search.hint": (
        "Type the procedure's name or what you need to do, in Vietnamese with or without "
        "accents, e.g. <i>dang ky khai sinh</i>, <i>cấp lại CCCD</i>. A procedure code "
        "such as 1.001193 works too."
    ),
    "help.title": "<b>Commands</b>",
    "help.footer": "Type any question about a procedure to search. In any chat, type @{bot} and a keyword to share a procedure.",
    "cmd.start": "Start and main menu",
    "cmd.help": "List of commands",
    "cmd.trongngay": "Procedures with same-day results",
    "cmd.catgiam": "Procedures with shortened processing time",
    "cmd.buuchinh": "Submit or receive results by post",
    "cmd.linhvuc": "Browse procedures by field",
    "cmd.hanxuly": "Expected result date: /hanxuly CODE [date]",
    "cmd.phananh": "Send feedback or a complaint",
    "cmd.tracuu": "Track your feedback: /tracuu CODE",
    "cmd.dulieucuatoi": "See the data the assistant keeps about you",
    "cmd.xoadulieu": "Delete your personal data",
    "cmd.huy": "Cancel what you are doing",
    "cmd.lang": "Change language (Tiếng Việt / English)",
    "lang.choose": "Chọn ngôn ngữ / Choose a language:",
    "lang.set": "Switched to English. Procedure data stays in Vietnamese as published.",
    "lang.bad": "Unsupported language. Use <code>/lang vi</code> or <code>/lang en</code>.",
    # --- catalogue and search ---
    "card.code": "Code",
    "card.field": "Field",
    "card.level": "Level",
    "card.agency": "Agency",
    "card.time_fee": "Time limit and fees",
    "card.missing": "<i>not available</i>",
    "card.no_unit": "{raw} <i>(unit missing in the source)</i>",
    "card.fee": "fees",
    "card.same_day": "⚡ Same-day result",
    "card.time_cut": "✂️ Processing time cut: {legal} → <b>{cut}</b> working days ({decision})",
    "card.postal_submit": "📮 Submit by public postal service",
    "card.postal_return": "📮 Receive the result by public postal service",
    "card.address": "📍 Where to submit: {address}",
    "card.notes": "📝 Provincial note: {notes}",
    "card.sample": "⚠️ The provincial details above are <b>sample data</b>, not an official decision.",
    "card.source": "Source: {source}, catalogue of {date}.",
    "card.source_dvcqg": "National Public Service Portal",
    "card.source_bqp": "Ministry of National Defence (export from the National Public Service Portal)",
    "card.anomaly": "ℹ️ Some items were missing or unreadable in the source; they are left blank rather than guessed.",
    "channel.truc_tiep": "In person",
    "channel.truc_tuyen": "Online",
    "channel.buu_chinh": "By post",
    "unit.ngay_lam_viec": "working days",
    "unit.ngay": "days",
    "unit.gio": "hours",
    "unit.tuan": "weeks",
    "unit.thang": "months",
    "unit.nam": "years",
    "btn.documents": "📄 Documents",
    "btn.legal": "⚖️ Legal basis",
    "btn.fees": "💰 Fees",
    "btn.due": "📅 Result date",
    "btn.portal": "🌐 Open on the portal",
    "btn.feedback": "📝 Feedback on this procedure",
    "btn.back": "↩️ Back to the procedure",
    "btn.prev": "◀️ Previous",
    "btn.next": "Next ▶️",
    "btn.call": "📞 Call the centre",
    "docs.title": "<b>Documents to submit</b> — {name}",
    "docs.none": "The source has no document list for this procedure. Please ask the centre before you go.",
    "legal.title": "<b>Legal basis</b> — {name}",
    "legal.none": "The source lists no legal basis for this procedure.",
    "fees.title": "<b>Fees by channel</b> — {name}",
    "fees.none": "The source has no fee information for this procedure.",
    "due.result": (
        "📅 <b>{name}</b>\nSubmitted on {submitted}, time limit {duration}:\n"
        "expected result on <b>{due}</b>."
    ),
    "due.holidays": "Public holidays skipped: {days}.",
    "due.weekends": "Saturdays, Sundays and public holidays are not counted.",
    "due.unknown": "The source does not state this procedure's time limit clearly ({raw}), so I cannot compute a date.",
    "due.no_time": "The source has no time limit for this procedure, so I cannot compute a date.",
    "due.note": "For reference only; the official date is on your submission receipt.",
    "due.usage": "Usage: <code>/hanxuly CODE [submission date]</code>, e.g. <code>/hanxuly 1.001193 25/11/2026</code>. Without a date, today is used.",
    "due.bad_date": "<code>{value}</code> is not a day/month/year date (e.g. 25/11/2026).",
    "not_found_code": "No procedure has the code <code>{code}</code>. Please check it.",
    "search.none": "I could not find a matching procedure. Try a short name of what you need (e.g. <i>đăng ký kết hôn</i>), browse by field, send feedback or call the centre.",
    "search.list": "Several procedures are close to <i>{query}</i>. Please pick one:",
    "search.too_long": "Your message is long; I only read the first {limit} characters.",
    "search.empty": "Please type the name of a procedure or what you need to do.",
    "search.not_text": "I can only read text messages. Please type the procedure you are looking for.",
    "list.same_day": "<b>Same-day procedures</b> ({count})",
    "list.time_cut": "<b>Procedures with shortened time</b> ({count})",
    "list.postal": "<b>Procedures by public postal service</b> ({count})",
    "list.field": "<b>{field}</b> ({count} procedures)",
    "list.field_level": "<b>{field}</b> — {level} ({count} procedures)",
    "list.page": "Page {page}/{pages}",
    "list.empty": "There are no procedures in this list yet.",
    "list.sample": "⚠️ Based on the province's sample data, not an official decision.",
    "fields.title": "<b>Choose a field</b> ({count} fields)",
    "fields.levels": "<b>{field}</b>: choose a level",
    "fields.all_levels": "All levels",
    "inline.none": "No matching procedure",
    "inline.none_text": "No matching procedure found. Open the assistant to search further.",
    "call.centre": "📞 {centre}: {phone}",
    "call.none": "The centre's phone number is not configured.",
    # --- feedback ---
    # --- tasks ---
    # --- server ---
}
