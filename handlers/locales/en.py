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
    "help.officials": "<b>Officials' commands</b>",
    "cmdo.nhiemvu": "Reform-task summary; /nhiemvu AGENCY for one agency",
    "cmdo.quahan": "Overdue tasks, worst first",
    "cmdo.nhiemvu_sapden": "Tasks due soon: /nhiemvu_sapden [days]",
    "cmdo.task": "A task's detail and history: /task ID",
    "cmdo.capnhat": "Update a task's progress: /capnhat ID",
    "cmdo.baocao": "Chart and Excel file of the tasks",
    "cmdo.phananh_moi": "New feedback waiting for action",
    "cmdo.phananh_quahan": "Overdue feedback",
    "cmdo.phananh": "View and handle one feedback: /phananh CODE",
    "cmdo.xuatphananh": "Export feedback to Excel: /xuatphananh [from] [to]",
    "cmdo.chan": "Block an abusive user: /chan USER_ID",
    # --- catalogue and search ---
    "card.code": "Code",
    "card.field": "Field",
    "card.level": "Level",
    "card.agency": "Agency",
    "card.time_fee": "Time limit and fees",
    "card.missing": "<i>not available</i>",
    "card.no_unit": "{raw} <i>— the source gives no unit</i>",
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
    "card.agency_line": "🏢 Handled by: {agency}",
    "card.address_line": "📍 Where to submit: {address}",
    "card.channels": "📨 How to submit: {channels}",
    "card.within_day": "result the same day",
    "card.time": "⏱ Time limit: {time}",
    "card.time_head": "⏱ Time limit:",
    "card.fee_line": "💰 Fees: {fee}",
    "card.fee_head": "💰 Fees:",
    "card.by_case": "depending on the case — {fees}",
    "card.unit_from_text": "<i>(unit from the procedure's own text)</i>",
    "card.time_unclear": "unclear (the source says “{raw}”)",
    "card.time_cases_unknown": "<i>The source does not say which case each time limit is for.</i>",
    "card.more_rows": "… and {count} more (press 💰 below)",
    "card.postal_both": "📮 Submit and receive the result by public postal service",
    "fee.free": "Free",
    "fee.free_other": "Free; other charges apply{see}",
    "fee.free_when": "Free {condition}",
    "fee.free_partial": "free in some cases only{see}",
    "fee.several": "{amounts} <i>(several rates{see})</i>",
    "fee.caveat": "{amounts} <i>(with exceptions{see})</i>",
    "fee.see": " — see 💰",
    "fee.uncertain": "{amounts} <i>(the source is unclear{see})</i>",
    "fee.amount_provincial": "{amounts} <i>(the provincial council sets the rate — ask the centre)</i>",
    "fee.hdnd": "set by a resolution of the provincial council — ask the centre",
    "fee.ubnd": "set by the provincial People's Committee — ask the centre",
    "fee.local": "set by the local authority — ask the centre",
    "fee.law": "as set by {basis} — the source states no amount",
    "fee.law_general": "as set by the fee regulations — the source states no amount",
    "fee.unclear": "unclear — the source says: “{text}”",
    "fees.fee_head": "💰 <b>Fees</b>",
    "fees.source": "<i>Source text:</i> {text}",
    "fees.notes": "📝 <b>Provincial note</b>: {notes}",
    "fees.anomalies": "ℹ️ <b>Missing or unclear in the source</b> (left blank rather than guessed):",
    "fees.more": "📋 <b>More</b>",
    "anomaly.no_channels": "submission channels unreadable",
    "anomaly.time_missing": "no time limit",
    "anomaly.time_without_unit": "time limit without a unit",
    "anomaly.time_unit_from_text": "time limit without a unit; unit taken from the procedure's text",
    "anomaly.time_not_numeric": "time limit is not a number (kept as published)",
    "anomaly.time_fee_glued": "time limit and fee run together, cannot be split safely",
    "anomaly.fee_missing": "no fee information",
    "anomaly.fee_unparsed": "fee text states no amount (kept as published)",
    "anomaly.fee_amount_unclear": "unclear amount (under 1,000 đồng or several rates)",
    "anomaly.fee_contradicted": "says “free” but its note states an amount or who sets it",
    "anomaly.no_documents": "no document list",
    "anomaly.documents_unstructured": "document list not in a table (kept as published)",
    "anomaly.no_legal_basis": "no legal basis",
    "anomaly.legal_number_missing": "a legal document without its number",
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
    "btn.fees": "💰 Fees and notes",
    "btn.due": "📅 Result date",
    "btn.portal": "🌐 Open on the portal",
    "btn.feedback": "📝 Feedback on this procedure",
    "btn.back_list": "↩️ Back to the list",
    "btn.back": "↩️ Back to the procedure",
    "btn.prev": "◀️ Previous",
    "btn.next": "Next ▶️",
    "btn.call": "📞 Call the centre",
    "docs.title": "<b>Documents to submit</b> — {name}",
    "docs.none": "The source has no document list for this procedure. Please ask the centre before you go.",
    "legal.title": "<b>Legal basis</b> — {name}",
    "legal.none": "The source lists no legal basis for this procedure.",
    "fees.title": "<b>Fees and notes</b> — {name}",
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
    "due.no_such_date": "There is no such date as <code>{value}</code>. Please check the day and month (e.g. 25/11/2026).",
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
    "fields.common": "<b>Pick a field</b>: the ones people need most",
    "fields.all": "📚 All fields ({count})",
    "fields.back_common": "⭐ Common fields",
    "fields.title": "<b>Choose a field</b> ({count} fields)",
    "fields.levels": "<b>{field}</b>: choose a level",
    "fields.all_levels": "All levels",
    "inline.none": "No matching procedure",
    "inline.none_text": "No matching procedure found. Open the assistant to search further.",
    "call.centre": "📞 {centre}: {phone}",
    "call.none": "The centre's phone number is not configured.",
    # --- small talk and the centre ---
    "talk.greeting": "Hello! 👋 Tell me what you need to do, in your own words, e.g. <i>làm sổ đỏ hết bao lâu</i>.",
    "talk.thanks": "You're welcome! 😊 Ask me anything else any time.",
    "talk.bye": "Goodbye, have a good day! 👋",
    "talk.insult": "Sorry if my answer missed the point. Please type what you need in a few words, or call the centre.",
    "talk.emoji": "😊 Which procedure are you looking for? Just type it.",
    "talk.centre_phone": "📞 {centre}'s phone: {value}",
    "talk.centre_phone_missing": "{centre}'s phone number is not configured in this assistant.",
    "talk.centre_hours": "🕗 {centre}'s working hours: {value}",
    "talk.centre_hours_missing": "{centre}'s working hours are not configured in this assistant.",
    "talk.centre_address": "📍 {centre}'s address: {value}",
    "talk.centre_address_missing": "{centre}'s address is not configured in this assistant.",
    "search.vietnamese": "Note: the search reads Vietnamese (with or without accents), e.g. <i>dang ky ket hon</i>.",
    # --- answers: the aspect asked first, clarify, refer ---
    "ask.time": "⏱ <b>Processing time</b>:",
    "ask.fee": "💰 <b>Fees</b>:",
    "ask.documents": "📄 <b>Documents to submit</b>:",
    "ask.documents_more": "… and {count} more (press <i>Documents</i> below for all).",
    "ask.place": "📍 <b>Where</b>:",
    "ask.place_agency": "• Handled by: {agency}",
    "ask.place_agency_missing": "• Handled by: not stated in the source",
    "ask.place_levels": "• Level: {levels}",
    "ask.place_address": "• Receiving address: {address}",
    "ask.sample": " (sample data)",
    "ask.online_yes": "💻 <b>{name}</b> can be submitted online: {duration}, fee {fee}.",
    "ask.online_no": "💻 The data for <b>{name}</b> does not list online submission. Please ask the centre first.",
    "ask.postal_yes": "📮 <b>{name}</b> can be submitted by post: {duration}, fee {fee}.",
    "ask.postal_no": "📮 The data for <b>{name}</b> does not list the public postal service.",
    "clarify.intro": "<b>{name}</b> has several variants.",
    "clarify.yes_no": "{extra}?",
    "clarify.which": "Which one is your case?",
    "clarify.yes": "Yes",
    "clarify.no": "No",
    "refer.fine": "Fines and penalties are not an administrative procedure, so I cannot look them up.",
    "refer.dispute": "Disputes (land, inheritance, labour, neighbours…) need legal advice or mediation, not a procedure I can look up.",
    "refer.legal_advice": "This needs legal advice rather than an administrative procedure, so I cannot answer it for the authorities.",
    "refer.dossier_status": "I cannot see the status of a dossier you have already filed.",
    "refer.complaint_person": "I am sorry this happened. I cannot settle it, but you can send feedback for the centre to review.",
    "refer.other": "This does not look like a question about an administrative procedure, so I cannot answer it.",
    "refer.can": "I can: find administrative procedures (documents, time, fees, where to apply) and take feedback.",
    "refer.call": "📞 Ask {centre} directly: {phone}",
    "refer.lookup": "🔎 Look your dossier up with the code on your receipt on the public service portal ({portal}) or where you filed it.",
    "refer.mediation": "🤝 A land dispute is first mediated at the commune People's Committee where the land lies.",
    "refer.legal_aid": "⚖️ If you qualify for free legal aid, you can request it.",
    "btn.portal_lookup": "🔎 Public service portal",
    "btn.mediation": "🤝 Land dispute mediation",
    "btn.legal_aid": "⚖️ Request legal aid",
    # --- feedback ---
    "cmdo.bochan": "Unblock a user: /bochan USER_ID",
    "fb.intro": (
        "📝 <b>Send feedback or a complaint</b>\n"
        "I'll ask a few short questions. Every step is saved, so you can stop and come back later. "
        "Type /huy at any time to cancel."
    ),
    "fb.resumed": "You have unsent feedback; let's continue where you left off.",
    "fb.no_draft": "You have no feedback in progress. Type /phananh to start.",
    "fb.private_only": "Please message the assistant privately to send feedback.",
    "fb.ask.kind": "<b>Step 1.</b> What is your feedback about?",
    "fb.procedure_prefilled": "Related procedure: <b>{name}</b> (<code>{code}</code>).",
    "fb.ask.procedure": (
        "<b>Step 2.</b> Which procedure is it about? Type a few words to search "
        "(e.g. <i>birth registration</i>), or tap “Skip” if it is not about a specific procedure."
    ),
    "fb.procedure_hits": "Pick the right procedure, type other words to search again, or skip:",
    "fb.procedure_none": "I found no matching procedure. Type other words, or tap “Skip”:",
    "fb.ask.content": (
        "<b>Step 3.</b> Describe your feedback: what happened, where and when. "
        "At most {limit} characters. Please do not include ID numbers or sensitive data."
    ),
    "fb.ask.attachments": (
        "<b>Step 4.</b> You may attach photos, files (PDF, Word, Excel, images) or a location "
        "(up to {limit} files, each under 20 MB). Please do not send photos of ID cards. "
        "When done, or if you have nothing to attach, tap “Done”."
    ),
    "fb.attached_so_far": "Attached: {what}.",
    "fb.attached": "📎 Received: {what}. You can send {left} more. Send more, or tap “Done”.",
    "fb.media_not_now": "Photos, files and locations can be sent at the attachments step.",
    "fb.ask.contact": (
        "<b>Step 5. Contact details</b>\n"
        "Do you agree to leave your name and phone number so officials can contact you if needed?\n\n"
        "• Purpose: only to handle and answer this feedback.\n"
        "• Who sees it: officials of the centre and of the agency handling it.\n"
        "• You can view or delete your data at any time with /dulieucuatoi and /xoadulieu.\n"
        "• Personal data protection policy, version {policy}.\n\n"
        "If you do not agree, you can still send it anonymously and follow it with the tracking code."
    ),
    "fb.ask.name": "Your full name:",
    "fb.ask.phone": "Phone number to contact you (e.g. 0912 345 678):",
    "fb.summary.title": "<b>Step 6. Check your feedback</b>",
    "fb.summary.due": "Expected answer by: {due} ({days} working days)",
    "fb.summary.hint": "Tap “Send” if it is right, or “Edit” to change something.",
    "fb.edit.title": "What would you like to change?",
    "fb.edit.kind": "Kind of feedback",
    "fb.edit.procedure": "Related procedure",
    "fb.edit.content": "Content",
    "fb.edit.attachments": "Photos, files, location",
    "fb.edit.contact": "Contact details",
    "fb.btn.cancel": "✖️ Cancel",
    "fb.btn.skip_procedure": "⏭ Skip",
    "fb.btn.attachments_done": "✅ Done",
    "fb.btn.clear": "🗑 Remove all attachments",
    "fb.btn.consent": "✅ I agree, leave name and phone",
    "fb.btn.anonymous": "🙈 Send anonymously",
    "fb.btn.send": "📨 Send",
    "fb.btn.edit": "✏️ Edit",
    "fb.btn.back_summary": "↩️ Back to the summary",
    "fb.btn.erase_yes": "🗑 Yes, delete",
    "fb.btn.erase_no": "No, keep it",
    "fb.kind.quy_dinh": "Administrative regulations",
    "fb.kind.thai_do": "Staff attitude",
    "fb.kind.tre_hen": "Late application",
    "fb.kind.kien_nghi": "Proposal",
    "fb.kind.khac": "Other",
    "fb.step.kind": "choosing the kind",
    "fb.step.procedure": "choosing the procedure",
    "fb.step.content": "writing the content",
    "fb.step.attachments": "sending attachments",
    "fb.step.contact": "contact details",
    "fb.step.contact_name": "your name",
    "fb.step.contact_phone": "your phone number",
    "fb.step.summary": "confirming",
    "fb.draft_open": (
        "📝 You still have unsent feedback (step: {step}); it is kept. "
        "Tap “▶️ Continue feedback” when you want to go on, or type /huy to drop it."
    ),
    "fb.btn.resume": "▶️ Continue feedback",
    "fb.content_kept": "📝 I have kept what you just typed:\n<i>{content}</i>",
    "fb.kind_guess": "It looks like feedback about <b>{kind}</b>: tap 👉 (or type “yes”), or choose another kind.",
    "fb.procedure_suggested": "From what you typed, it may be one of the procedures below.",
    "fb.hint.kind": (
        "Sorry, I did not get that. Choose the kind of feedback below, "
        "or type the feedback itself (at least {minimum} characters)."
    ),
    "fb.hint.kind_edit": "Sorry, I did not get that. Please choose the kind of feedback below.",
    "fb.hint.attachments": (
        "Sorry, I did not get that. At this step you send photos, files or a location; "
        "when done, tap “Done” (or type “done”)."
    ),
    "fb.hint.contact": (
        "Sorry, I did not get that. Type “yes” to leave your name and phone number, "
        "“no” to send anonymously, or tap a button below."
    ),
    "fb.hint.summary": (
        "Sorry, I did not get that. Type “send” to send your feedback, “edit” to change it, "
        "or tap a button below."
    ),
    "fb.cancel_offer": (
        "To drop the feedback you are writing, tap “✖️ Cancel” (or type /huy). "
        "Not now? Tap “▶️ Continue feedback”: everything is kept."
    ),
    "fb.label.kind": "Kind",
    "fb.label.procedure": "Procedure",
    "fb.label.attachments": "Attachments",
    "fb.label.contact": "Contact",
    "fb.label.content": "Content",
    "fb.anonymous": "anonymous",
    "fb.none": "<i>none</i>",
    "fb.none_plain": "not given",
    "fb.yes": "yes",
    "fb.no": "no",
    "fb.n_photos": "{n} photo(s)",
    "fb.n_documents": "{n} file(s)",
    "fb.with_location": "location",
    "fb.err.empty": "The content is empty. Please type your feedback.",
    "fb.err.too_long": "Your text has {length} characters, over the {limit} limit. Please shorten it.",
    "fb.err.too_short": "That is a little short (at least {minimum} characters). Please say a bit more.",
    "fb.err.unsupported_file": "I can't accept this kind of file. Please send a photo, PDF, Word, Excel file or a location.",
    "fb.err.file_too_big": "The file is larger than {limit_mb} MB, so I can't receive it. Please send a smaller one.",
    "fb.err.too_many_files": "You have sent the maximum of {limit} files. Tap “Done” to continue.",
    "fb.err.bad_location": "That location is not valid. Please share it again.",
    "fb.err.bad_name": "A name has 2 to {limit} characters and no digits. Please type it again.",
    "fb.err.bad_phone": "That phone number is not valid. Please type it like 0912 345 678 or +84 912 345 678.",
    "fb.err.bad_code": "A tracking code looks like <code>PA-XXXXXXXX</code> (8 characters after PA-). Example: <code>/tracuu PA-7KQ3M9XD</code>.",
    "fb.rate_limited": (
        "You have sent several reports in a short time. To avoid duplicates, please try again "
        "in about {minutes} minute(s) (from {at}). Your unsent feedback is kept."
    ),
    "fb.expired": "Your unsent feedback expired after {hours} hours without activity. Type /phananh to start again.",
    "fb.cancelled": "Your unsent feedback was cancelled. Type /phananh whenever you need to start again.",
    "fb.nothing_to_cancel": "There is nothing in progress to cancel.",
    "fb.submitted": (
        "✅ <b>Your feedback has been recorded.</b>\n"
        "Tracking code: <code>{code}</code>\n"
        "Expected answer by: {due} ({days} working days).\n\n"
        "Type <code>/tracuu {code}</code> to follow it. I will message you when there is news."
    ),
    "fb.already_sent": "This feedback was already sent (code {code}).",
    "fb.status.moi": "Received",
    "fb.status.dang_xu_ly": "In progress",
    "fb.status.da_chuyen": "Forwarded to another agency",
    "fb.status.mo_lai": "Reopened",
    "fb.status.da_tra_loi": "Answered",
    "fb.status.khong_tham_quyen": "Outside this agency's competence",
    "fb.status.trung": "Duplicate",
    "fb.status.tu_choi": "Not accepted",
    "fb.action.submitted": "sent the feedback",
    "fb.action.claim": "took it on",
    "fb.action.forward": "forwarded it",
    "fb.action.reply": "answered",
    "fb.action.not_competent": "outside competence",
    "fb.action.duplicate": "marked duplicate",
    "fb.action.reject": "did not accept it",
    "fb.action.rated": "rated",
    "fb.action.reopened": "reopened it",
    "fb.action.hidden": "hidden (sender blocked)",
    "fb.action.unhidden": "shown again",
    "fb.action.erased": "personal data erased on request",
    "fb.actor.citizen": "Sender",
    "fb.actor.system": "System",
    "fb.history": "History",
    "fb.rating.hai_long": "😊 Satisfied",
    "fb.rating.binh_thuong": "😐 Neutral",
    "fb.rating.khong_hai_long": "😞 Not satisfied",
    "fb.notify.claim": "📌 Your feedback <code>{code}</code> is being handled by <b>{agency}</b>.",
    "fb.notify.forward": "↪️ Your feedback <code>{code}</code> was forwarded to <b>{note}</b>.",
    "fb.notify.reply": (
        "💬 <b>Answer to your feedback <code>{code}</code></b> from {agency}:\n\n{note}\n\n"
        "How do you find this answer?"
    ),
    "fb.notify.not_competent": (
        "ℹ️ Your feedback <code>{code}</code> is outside the competence of {agency}. "
        "The competent agency is <b>{note}</b>; you can send your feedback there."
    ),
    "fb.notify.duplicate": (
        "ℹ️ Your feedback <code>{code}</code> duplicates one received earlier and will be handled with it."
    ),
    "fb.notify.reject": "Your feedback <code>{code}</code> was not accepted. Reason: {note}",
    "fb.rate_prompt": "How do you rate the answer?",
    "fb.rated": "Thank you for your rating!",
    "fb.rated_before": "You have already rated this answer.",
    "fb.thanks_rating": "Thank you for rating. It helps improve the service.",
    "fb.reopened": "I reopened <code>{code}</code> and sent it back to the officials. New expected answer by: {due}.",
    "fb.too_late_to_reopen": (
        "Rating recorded. The answer is more than {days} days old, so it can't be reopened; "
        "type /phananh to send new feedback."
    ),
    "fb.track_usage": "Type <code>/tracuu CODE</code>, e.g. <code>/tracuu PA-7KQ3M9XD</code>.",
    "fb.track_mine": "<b>Your feedback</b> (type <code>/tracuu CODE</code> for details):",
    "fb.track_not_found": "No feedback found with this code. Please check the code.",
    "fb.track_sent": "Sent on: {at}",
    "fb.track_due": "Expected answer by: {due}",
    "fb.track_overdue": "⚠️ Overdue; the agency has been reminded.",
    "fb.my_data": (
        "<b>What the assistant holds about you</b>\n"
        "• Feedback sent: {records}\n"
        "• Feedback in progress: {draft}\n"
        "• Consent to keep contact details: {consent}\n\n"
        "All details are in the attached file. Type /xoadulieu to delete them."
    ),
    "fb.consent_at": "given at {time} on {day}",
    "fb.consent_policy": " (policy {policy})",
    "fb.my_data_file": "Your data (JSON)",
    "fb.erase_confirm": (
        "<b>Delete your personal data?</b>\n"
        "I will delete the content, name, phone number, location, attachments and the link to "
        "your Telegram account. Only anonymous statistics (kind, status, dates) are kept. "
        "Afterwards you can no longer follow or receive answers to old feedback here."
    ),
    "fb.erased": "Your personal data was deleted ({records} report(s) anonymised).",
    "fb.erase_kept": "Your data was kept as it is.",
    # --- tasks ---
    "tasks.empty": (
        "No tasks yet. An administrator loads the list with "
        "<code>python -m bot tasks import FILE</code> (see docs/tasks.md)."
    ),
    "tasks.summary.title": "<b>📊 Administrative-reform tasks</b> (as of {date})",
    "tasks.summary.sentence": (
        "Received <b>{documents}</b> directing documents with <b>{total}</b> tasks; "
        "completed on time <b>{on_time}</b> tasks ({on_time_pct}); "
        "completed late <b>{late}</b> tasks ({late_pct}); "
        "in progress <b>{open}</b> tasks"
    ),
    "tasks.summary.overdue_part": " (of which <b>{overdue}</b> overdue)",
    "tasks.summary.no_overdue": " (none overdue)",
    "tasks.table.title": "<b>By lead agency</b> (most overdue first):",
    "tasks.table.cols": "Agency|All|OnT|Late|Open|Over",
    "tasks.table.legend": (
        "<i>OnT: done on time · Late: done late · Open: in progress, in time · "
        "Over: overdue, not done</i>"
    ),
    "tasks.btn.by_agency": "🏢 By agency",
    "tasks.btn.by_area": "📂 By area",
    "tasks.btn.overdue": "🔴 Overdue",
    "tasks.btn.due_soon": "⏳ Due soon",
    "tasks.btn.all_overdue": "🔴 All overdue tasks",
    "tasks.btn.back": "« Summary",
    "tasks.btn.areas": "« Areas",
    "tasks.btn.prev": "« Previous",
    "tasks.btn.next": "Next »",
    "tasks.btn.update": "✏️ Update progress",
    "tasks.btn.cancel": "✖️ Cancel",
    "tasks.btn.no_note": "💾 Save without a note",
    "tasks.agency.pick": "Choose a lead agency:",
    "tasks.agency.title": "<b>🏢 {agency}</b> (as of {date})",
    "tasks.agency.overdue": "<b>Overdue tasks ({count}), most days late first:</b>",
    "tasks.agency.not_found": (
        "I found no agency like «{query}». Try fewer words, e.g. "
        "<code>/nhiemvu tu phap</code>, or send /nhiemvu and press «By agency»."
    ),
    "tasks.agency.choose": "Several agencies match «{query}». Choose one:",
    "tasks.agency.choose_page": "{count} agencies match «{query}» (page {page}/{pages}). Choose one:",
    "tasks.agency.pick_page": "Choose a lead agency (page {page}/{pages}):",
    "tasks.agency.open": "<b>Open tasks: {count}</b>, overdue first (page {page}/{pages}):",
    "tasks.agency.none_open": "No open tasks left. 🎉",
    "tasks.area.pick": "Choose a reform area:",
    "tasks.area.title": "<b>📂 {area}</b> (as of {date})",
    "tasks.area.none": "No area given",
    "tasks.recurring": "recurring",
    "tasks.line.overdue": "{icon} <code>{code}</code> {title} — due {deadline}, <b>{days} days late</b> ({agency})",
    "tasks.line.open": "{icon} <code>{code}</code> {title} — due {deadline} ({agency})",
    "tasks.line.done": "{icon} <code>{code}</code> {title} — done {done} ({agency})",
    "tasks.line.agency": "{icon} <code>{code}</code> {title} — due <b>{deadline}</b> · {status}",
    "tasks.overdue.title": "<b>🔴 Overdue tasks: {count}</b>, most days late first (page {page}/{pages})",
    "tasks.overdue.title_agency": "<b>🔴 {agency}: {count} overdue tasks</b>, most days late first (page {page}/{pages})",
    "tasks.overdue.none": "🎉 No overdue tasks.",
    "tasks.soon.title": "<b>⏳ {count} tasks due within {days} days</b> (until {until}; page {page}/{pages})",
    "tasks.soon.agency": "Lead agency: <b>{agency}</b>",
    "tasks.soon.none": "No tasks due within {days} days (until {until}).",
    "tasks.task.usage": "Usage: <code>/task ID</code>, e.g. <code>/task NV26-012</code>.",
    "tasks.task.not_found": "I found no task with ID «{code}». Please check the ID.",
    "tasks.detail.title": "<b>Task <code>{code}</code></b>",
    "tasks.detail.document": "Assigned by: <b>{number}</b> of {date}, {issuer}",
    "tasks.detail.status": "Status: <b>{status}</b>",
    "tasks.detail.late_by": " ({days} days late)",
    "tasks.detail.history": "<b>History</b>",
    "tasks.history.by": "{name} ({agency})",
    "tasks.history.import": "Imported from a file",
    "tasks.history.created": "created",
    "tasks.history.note": "note: {note}",
    "tasks.field.title": "Task",
    "tasks.field.doc_number": "Document",
    "tasks.field.doc_date": "Assigned on",
    "tasks.field.issuer": "Assigned by",
    "tasks.field.area": "Area",
    "tasks.field.agency": "Lead agency",
    "tasks.field.supporting": "Supporting agencies",
    "tasks.field.deadline": "Deadline",
    "tasks.field.completed_on": "Completed on",
    "tasks.field.progress": "Progress",
    "tasks.field.note": "Note",
    "tasks.field.status": "Status",
    "tasks.status.dung_han": "Completed on time",
    "tasks.status.tre_han": "Completed late",
    "tasks.status.dang_thuc_hien": "In progress (within the deadline)",
    "tasks.status.qua_han": "Overdue, not completed",
    "tasks.choice.done": "✅ Completed",
    "tasks.choice.open": "🔵 In progress",
    "tasks.choice.note": "📝 Progress note only",
    "tasks.update.usage": "Usage: <code>/capnhat ID</code>, e.g. <code>/capnhat NV26-012</code>.",
    "tasks.update.start": (
        "<b>Update task <code>{code}</code></b>\n{title}\n\n"
        "Deadline: {deadline}\nCurrent status: <b>{status}</b>\n\n"
        "Choose the new status (/huy cancels):"
    ),
    "tasks.update.ask_note": (
        "Task <code>{code}</code>: <b>{choice}</b>.\n\n"
        "Now send the progress note in one message (up to {limit} characters). /huy cancels."
    ),
    "tasks.update.ask_note_done": (
        "Task <code>{code}</code>: <b>{choice}</b>.\n\n"
        "Now send a note on the result in one message (up to {limit} characters). "
        "If it was completed on another day than today, start with the date, e.g. "
        "<code>12/11/2026 Plan issued</code>. /huy cancels."
    ),
    "tasks.update.press_button": "Please choose the status with a button above first, or send /huy to cancel.",
    "tasks.update.done": "✅ Task <code>{code}</code> updated: <b>{status}</b>.",
    "tasks.update.cancelled": "Update cancelled. Nothing was changed.",
    "tasks.update.nothing": "There is no update in progress.",
    "tasks.update.gone": "This update is no longer open. Please send <code>/capnhat ID</code> again.",
    "tasks.update.retry": "Send the note again, or /huy to cancel.",
    "tasks.update.denied": "Task <code>{code}</code> is led by <b>{agency}</b>.",
    "tasks.update.own": "You can update only tasks led by {own}.",
    "tasks.update.denied_short": "You can update only tasks led by your own agency.",
    "tasks.report.caption": "📊 <b>Administrative-reform tasks</b> as of {date}",
    "tasks.report.xlsx": "📎 Details: {count} tasks (summary, by agency, by area, list).",
    "tasks.digest.title": "<b>🌅 Reform-task digest</b>\n{date}",
    "tasks.digest.new_overdue": "<b>🔴 Newly overdue ({count}):</b>",
    "tasks.digest.this_week": "<b>⏳ Due this week ({count}):</b>",
    "tasks.digest.completed": "<b>✅ Completed yesterday ({count}):</b>",
    "tasks.digest.completed_since": "<b>✅ Completed since {since} ({count}):</b>",
    "tasks.digest.nothing": "<i>none</i>",
    "tasks.digest.more": "… and {count} more",
    "tasks.digest.footer": "Send /nhiemvu for details, /quahan for overdue tasks.",
    "tasks.err.too_long": "That is too long (at most 100 characters). Please shorten it.",
    "tasks.err.empty": "Please add an agency name or a task ID (letters or digits).",
    "tasks.err.bad_days": "The number of days is not right. Send a number from 1 to 366, e.g. <code>/nhiemvu_sapden 14</code>.",
    "tasks.err.bad_date": "The date at the start of the note does not exist. Use dd/mm/yyyy.",
    "tasks.err.future_date": "The completion date cannot be after today.",
    "tasks.err.before_assigned": "The completion date cannot be before the task was assigned.",
    "tasks.err.note_too_long": "The note is too long (at most 1,000 characters).",
    "tasks.err.empty_note": "You chose «Progress note only», so please send the note.",
    "tasks.err.bad_choice": "That choice is not valid.",
    "tasks.err.generic": "That request is not right. Please check it.",
    # --- server ---
}
