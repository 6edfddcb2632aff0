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
    "start.greeting": (
        "Xin chào {name}! 👋 Mình là trợ lý thủ tục hành chính của {centre}.\n\n"
        "Bạn cứ gõ tự nhiên điều cần làm, ví dụ: <i>làm sổ đỏ hết bao lâu</i>, "
        "<i>xin lý lịch tư pháp</i>, <i>gia hạn tạm trú</i>. Mình sẽ tìm đúng thủ tục: "
        "cơ quan, thời hạn, lệ phí, hồ sơ cần chuẩn bị.\n\nHoặc chọn bên dưới:"
    ),
    "menu.search_hint": "🔎 Cách tìm thủ tục",
    "menu.same_day": "⚡ Trả kết quả trong ngày",
    "menu.time_cut": "✂️ Đã cắt giảm thời gian",
    "menu.postal": "📮 Qua bưu chính công ích",
    "menu.fields": "📂 Tra theo lĩnh vực",
    "menu.feedback": "📝 Gửi phản ánh, kiến nghị",
    "menu.language": "🌐 English",
    "search.hint": (
        "Bạn chỉ cần gõ tên thủ tục hoặc việc cần làm, có dấu hay không dấu đều được. "
        "Ví dụ: <i>dang ky khai sinh</i>, <i>cấp lại CCCD</i>, <i>bằng lái xe</i>. "
        "Nếu biết mã thủ tục (như 1.001193), gõ mã là ra ngay."
    ),
    "help.title": "<b>Các lệnh của trợ lý</b>",
    "help.footer": (
        "Gõ bất kỳ câu hỏi nào về thủ tục để tìm. Trong nhóm, gõ @{bot} kèm từ khóa "
        "để chia sẻ thủ tục."
    ),
    "cmd.start": "Bắt đầu và menu chính",
    "cmd.help": "Danh sách lệnh",
    "cmd.trongngay": "Thủ tục trả kết quả trong ngày",
    "cmd.catgiam": "Thủ tục đã cắt giảm thời gian",
    "cmd.buuchinh": "Thủ tục nộp hoặc nhận kết quả qua bưu chính",
    "cmd.linhvuc": "Tra thủ tục theo lĩnh vực",
    "cmd.hanxuly": "Tính ngày hẹn trả kết quả: /hanxuly MÃ [ngày nộp]",
    "cmd.phananh": "Gửi phản ánh, kiến nghị",
    "cmd.tracuu": "Tra cứu phản ánh: /tracuu MÃ",
    "cmd.dulieucuatoi": "Xem dữ liệu của bạn mà trợ lý đang lưu",
    "cmd.xoadulieu": "Xóa dữ liệu cá nhân của bạn",
    "cmd.huy": "Hủy thao tác đang làm",
    "cmd.lang": "Đổi ngôn ngữ (Tiếng Việt / English)",
    "lang.choose": "Chọn ngôn ngữ / Choose a language:",
    "lang.set": "Đã chuyển sang tiếng Việt. Dữ liệu thủ tục vẫn giữ nguyên như công bố.",
    "lang.bad": "Ngôn ngữ chưa hỗ trợ. Dùng <code>/lang vi</code> hoặc <code>/lang en</code>.",
    "help.officials": "<b>Lệnh dành cho cán bộ</b>",
    "cmdo.nhiemvu": "Tổng hợp nhiệm vụ cải cách hành chính; /nhiemvu TÊN_CƠ_QUAN để xem một cơ quan",
    "cmdo.quahan": "Nhiệm vụ quá hạn, trễ nhiều nhất trước",
    "cmdo.nhiemvu_sapden": "Nhiệm vụ sắp đến hạn: /nhiemvu_sapden [số ngày]",
    "cmdo.task": "Chi tiết và lịch sử một nhiệm vụ: /task MÃ",
    "cmdo.capnhat": "Cập nhật tiến độ nhiệm vụ: /capnhat MÃ",
    "cmdo.baocao": "Biểu đồ và tệp Excel tình hình nhiệm vụ",
    "cmdo.phananh_moi": "Phản ánh mới chờ xử lý",
    "cmdo.phananh_quahan": "Phản ánh quá hạn xử lý",
    "cmdo.phananh": "Xem và xử lý một phản ánh: /phananh MÃ",
    "cmdo.xuatphananh": "Xuất phản ánh ra Excel: /xuatphananh [từ ngày] [đến ngày]",
    "cmdo.chan": "Chặn người dùng lạm dụng: /chan MÃ_NGƯỜI_DÙNG",
    # --- catalogue and search ---
    "card.code": "Mã thủ tục",
    "card.field": "Lĩnh vực",
    "card.level": "Cấp thực hiện",
    "card.agency": "Cơ quan thực hiện",
    "card.time_fee": "Thời hạn và phí, lệ phí",
    "card.missing": "<i>chưa có thông tin</i>",
    "card.no_unit": "{raw} <i>— nguồn không ghi đơn vị</i>",
    "card.fee": "phí, lệ phí",
    "card.same_day": "⚡ Trả kết quả ngay trong ngày",
    "card.time_cut": "✂️ Đã cắt giảm thời gian: {legal} → <b>{cut}</b> ngày làm việc ({decision})",
    "card.postal_submit": "📮 Nộp hồ sơ qua bưu chính công ích",
    "card.postal_return": "📮 Nhận kết quả qua bưu chính công ích",
    "card.address": "📍 Nơi tiếp nhận: {address}",
    "card.notes": "📝 Ghi chú của tỉnh: {notes}",
    "card.sample": "⚠️ Thông tin riêng của tỉnh ở trên là <b>dữ liệu mẫu</b>, chưa phải quyết định chính thức.",
    "card.source": "Nguồn: {source}, danh mục cập nhật {date}.",
    "card.source_dvcqg": "Cổng Dịch vụ công quốc gia",
    "card.source_bqp": "Bộ Quốc phòng (bản xuất từ Cổng Dịch vụ công quốc gia)",
    "card.anomaly": "ℹ️ Một số mục trong bản gốc bị thiếu hoặc không đọc được; mình để trống thay vì đoán.",
    "card.agency_line": "🏢 Cơ quan giải quyết: {agency}",
    "card.address_line": "📍 Nơi nộp: {address}",
    "card.channels": "📨 Cách nộp: {channels}",
    "card.within_day": "trả kết quả trong ngày",
    "card.time": "⏱ Thời hạn: {time}",
    "card.time_head": "⏱ Thời hạn:",
    "card.fee_line": "💰 Phí, lệ phí: {fee}",
    "card.fee_head": "💰 Phí, lệ phí:",
    "card.by_case": "tùy trường hợp — {fees}",
    "card.unit_from_text": "<i>(đơn vị theo nội dung thủ tục)</i>",
    "card.time_unclear": "chưa rõ (nguồn ghi: “{raw}”)",
    "card.time_cases_unknown": "<i>Nguồn không ghi mỗi thời hạn dành cho trường hợp nào.</i>",
    "card.more_rows": "… và {count} mức khác (bấm 💰 bên dưới)",
    "card.postal_both": "📮 Nộp hồ sơ và nhận kết quả qua bưu chính công ích",
    "fee.free": "Miễn phí",
    "fee.free_other": "Miễn phí; có khoản phí khác{see}",
    "fee.free_when": "Miễn phí {condition}",
    "fee.free_partial": "chỉ miễn cho một số trường hợp{see}",
    "fee.several": "{amounts} <i>(nhiều mức{see})</i>",
    "fee.caveat": "{amounts} <i>(có ngoại lệ{see})</i>",
    "fee.see": " — xem 💰",
    "fee.uncertain": "{amounts} <i>(nguồn ghi chưa rõ{see})</i>",
    "fee.amount_provincial": "{amounts} <i>(mức cụ thể do HĐND tỉnh quyết định — hỏi Trung tâm)</i>",
    "fee.hdnd": "theo Nghị quyết của HĐND tỉnh — hỏi Trung tâm",
    "fee.ubnd": "theo quyết định của UBND tỉnh — hỏi Trung tâm",
    "fee.local": "theo quy định của địa phương — hỏi Trung tâm",
    "fee.law": "theo {basis} — nguồn không ghi số tiền",
    "fee.law_general": "theo quy định về phí, lệ phí — nguồn không ghi số tiền",
    "fee.unclear": "chưa rõ — nguồn ghi: “{text}”",
    "fees.fee_head": "💰 <b>Phí, lệ phí</b>",
    "fees.source": "<i>Nguyên văn:</i> {text}",
    "fees.notes": "📝 <b>Ghi chú của tỉnh</b>: {notes}",
    "fees.anomalies": "ℹ️ <b>Bản gốc thiếu hoặc chưa rõ</b> (mình để trống thay vì đoán):",
    "fees.more": "📋 <b>Thông tin khác</b>",
    "anomaly.no_channels": "không đọc được cách thức thực hiện",
    "anomaly.time_missing": "không có thời hạn",
    "anomaly.time_without_unit": "thời hạn không ghi đơn vị",
    "anomaly.time_unit_from_text": "thời hạn không ghi đơn vị; đơn vị lấy từ nội dung thủ tục",
    "anomaly.time_not_numeric": "thời hạn không phải một con số (giữ nguyên văn)",
    "anomaly.time_fee_glued": "thời hạn và phí dính vào nhau, không tách chắc chắn được",
    "anomaly.fee_missing": "không có thông tin phí, lệ phí",
    "anomaly.fee_unparsed": "phí, lệ phí không ghi số tiền (giữ nguyên văn)",
    "anomaly.fee_amount_unclear": "số tiền không rõ (dưới 1.000 đồng hoặc nhiều mức)",
    "anomaly.fee_contradicted": "ghi “Miễn phí” nhưng phần ghi chú nêu số tiền hoặc nơi quy định mức thu",
    "anomaly.no_documents": "không có thành phần hồ sơ",
    "anomaly.documents_unstructured": "thành phần hồ sơ không theo bảng (giữ nguyên văn)",
    "anomaly.no_legal_basis": "không có căn cứ pháp lý",
    "anomaly.legal_number_missing": "có văn bản pháp lý không ghi số hiệu",
    "channel.truc_tiep": "Trực tiếp",
    "channel.truc_tuyen": "Trực tuyến",
    "channel.buu_chinh": "Bưu chính",
    "unit.ngay_lam_viec": "ngày làm việc",
    "unit.ngay": "ngày",
    "unit.gio": "giờ",
    "unit.tuan": "tuần",
    "unit.thang": "tháng",
    "unit.nam": "năm",
    "btn.documents": "📄 Hồ sơ cần nộp",
    "btn.legal": "⚖️ Căn cứ pháp lý",
    "btn.fees": "💰 Phí, lệ phí, ghi chú",
    "btn.due": "📅 Ngày hẹn trả",
    "btn.portal": "🌐 Xem trên Cổng DVC",
    "btn.feedback": "📝 Gửi phản ánh về thủ tục này",
    "btn.back_list": "↩️ Quay lại danh sách",
    "btn.back": "↩️ Quay lại thủ tục",
    "btn.prev": "◀️ Trước",
    "btn.next": "Sau ▶️",
    "btn.call": "📞 Gọi Trung tâm",
    "docs.title": "<b>Hồ sơ cần nộp</b> — {name}",
    "docs.none": "Bản gốc chưa có danh sách hồ sơ cho thủ tục này. Bạn vui lòng hỏi Trung tâm trước khi đi nộp nhé.",
    "legal.title": "<b>Căn cứ pháp lý</b> — {name}",
    "legal.none": "Bản gốc chưa ghi căn cứ pháp lý cho thủ tục này.",
    "fees.title": "<b>Phí, lệ phí và ghi chú</b> — {name}",
    "fees.none": "Bản gốc chưa có thông tin phí, lệ phí cho thủ tục này.",
    "due.result": (
        "📅 <b>{name}</b>\nNộp ngày {submitted}, thời hạn {duration}:\n"
        "dự kiến có kết quả <b>{due}</b>."
    ),
    "due.holidays": "Đã trừ ngày nghỉ: {days}.",
    "due.weekends": "Không tính thứ Bảy, Chủ nhật và ngày nghỉ lễ.",
    "due.unknown": "Bản gốc không ghi rõ thời hạn của thủ tục này ({raw}), nên mình chưa tính được ngày hẹn trả.",
    "due.no_time": "Bản gốc chưa có thời hạn giải quyết của thủ tục này, nên mình chưa tính được ngày hẹn trả.",
    "due.note": "Ngày trên chỉ để tham khảo; ngày hẹn chính thức ghi trên giấy tiếp nhận hồ sơ.",
    "due.usage": (
        "Cách dùng: <code>/hanxuly MÃ_THỦ_TỤC [ngày nộp]</code>, ví dụ "
        "<code>/hanxuly 1.001193 25/11/2026</code>. Không ghi ngày thì tính từ hôm nay."
    ),
    "due.no_such_date": "Không có ngày <code>{value}</code> trong lịch. Bạn xem lại ngày, tháng giúp mình nhé (ví dụ 25/11/2026).",
    "due.bad_date": "Ngày <code>{value}</code> chưa đúng dạng ngày/tháng/năm (ví dụ 25/11/2026).",
    "not_found_code": "Không có thủ tục nào mang mã <code>{code}</code>. Bạn kiểm tra lại mã giúp mình nhé.",
    "search.none": (
        "Mình chưa tìm thấy thủ tục nào khớp với nội dung bạn gõ. "
        "Bạn thử gõ ngắn gọn tên việc cần làm (ví dụ <i>đăng ký kết hôn</i>), "
        "tra theo lĩnh vực, hoặc gửi phản ánh, gọi Trung tâm nhé."
    ),
    "search.list": "Mình tìm thấy mấy thủ tục gần với <i>{query}</i>. Bạn chọn đúng thủ tục nhé:",
    "search.too_long": "Câu hỏi hơi dài, mình chỉ đọc {limit} ký tự đầu thôi nhé.",
    "search.empty": "Bạn gõ giúp mình tên thủ tục hoặc việc cần làm nhé.",
    "search.not_text": "Mình chỉ đọc được tin nhắn chữ. Bạn gõ tên thủ tục cần tìm giúp mình nhé.",
    "list.same_day": "<b>Thủ tục trả kết quả trong ngày</b> ({count})",
    "list.time_cut": "<b>Thủ tục đã cắt giảm thời gian</b> ({count})",
    "list.postal": "<b>Thủ tục nộp hoặc nhận kết quả qua bưu chính công ích</b> ({count})",
    "list.field": "<b>{field}</b> ({count} thủ tục)",
    "list.field_level": "<b>{field}</b> — {level} ({count} thủ tục)",
    "list.page": "Trang {page}/{pages}",
    "list.empty": "Hiện chưa có thủ tục nào trong danh sách này.",
    "list.sample": "⚠️ Danh sách dựa trên dữ liệu mẫu của tỉnh, chưa phải quyết định chính thức.",
    "fields.common": "<b>Chọn lĩnh vực</b>: những lĩnh vực người dân hay cần",
    "fields.all": "📚 Tất cả lĩnh vực ({count})",
    "fields.back_common": "⭐ Lĩnh vực thường dùng",
    "fields.title": "<b>Chọn lĩnh vực</b> ({count} lĩnh vực)",
    "fields.levels": "<b>{field}</b>: chọn cấp thực hiện",
    "fields.all_levels": "Tất cả các cấp",
    "inline.none": "Không tìm thấy thủ tục phù hợp",
    "inline.none_text": "Mình chưa tìm thấy thủ tục phù hợp. Hãy mở trợ lý để tìm kỹ hơn.",
    "call.centre": "📞 {centre}: {phone}",
    "call.none": "Số điện thoại của Trung tâm chưa được cấu hình.",
    # --- small talk and the centre ---
    "talk.greeting": "Chào bạn! 👋 Bạn cần làm thủ tục gì, cứ gõ tự nhiên cho mình nhé, ví dụ: <i>làm sổ đỏ hết bao lâu</i>.",
    "talk.thanks": "Không có gì ạ! 😊 Bạn cần gì thêm cứ nhắn mình nhé.",
    "talk.bye": "Chào bạn, chúc bạn một ngày tốt lành! 👋",
    "talk.insult": "Mình xin lỗi nếu câu trả lời chưa đúng ý bạn. Bạn gõ lại ngắn gọn việc cần làm giúp mình, hoặc gọi Trung tâm nhé.",
    "talk.emoji": "😊 Bạn cần tìm thủ tục gì, cứ gõ cho mình nhé.",
    "talk.centre_phone": "📞 Số điện thoại của {centre}: {value}",
    "talk.centre_phone_missing": "Số điện thoại của {centre} chưa được cấu hình trong trợ lý.",
    "talk.centre_hours": "🕗 Giờ làm việc của {centre}: {value}",
    "talk.centre_hours_missing": "Giờ làm việc của {centre} chưa được cấu hình trong trợ lý.",
    "talk.centre_address": "📍 Địa chỉ của {centre}: {value}",
    "talk.centre_address_missing": "Địa chỉ của {centre} chưa được cấu hình trong trợ lý.",
    "search.vietnamese": "Note: the search reads Vietnamese (with or without accents), e.g. <i>dang ky ket hon</i>.",
    # --- answers: the aspect asked first, clarify, refer ---
    "ask.time": "⏱ <b>Thời hạn giải quyết</b>:",
    "ask.fee": "💰 <b>Phí, lệ phí</b>:",
    "ask.documents": "📄 <b>Hồ sơ cần nộp</b>:",
    "ask.documents_more": "… và {count} giấy tờ nữa (bấm <i>Hồ sơ</i> bên dưới để xem đủ).",
    "ask.place": "📍 <b>Nơi giải quyết</b>:",
    "ask.place_agency": "• Cơ quan thực hiện: {agency}",
    "ask.place_agency_missing": "• Cơ quan thực hiện: bản gốc chưa ghi",
    "ask.place_levels": "• Cấp thực hiện: {levels}",
    "ask.place_address": "• Địa chỉ nhận hồ sơ: {address}",
    "ask.sample": " (dữ liệu mẫu)",
    "ask.online_yes": "💻 <b>{name}</b> có thể nộp trực tuyến: thời hạn {duration}, phí {fee}.",
    "ask.online_no": "💻 Dữ liệu của thủ tục <b>{name}</b> chưa ghi cách nộp trực tuyến. Bạn hỏi Trung tâm trước khi nộp nhé.",
    "ask.postal_yes": "📮 <b>{name}</b> có thể nộp qua bưu chính: thời hạn {duration}, phí {fee}.",
    "ask.postal_no": "📮 Dữ liệu của thủ tục <b>{name}</b> chưa ghi việc nộp hoặc nhận kết quả qua bưu chính công ích.",
    "clarify.intro": "Thủ tục <b>{name}</b> có vài trường hợp khác nhau.",
    "clarify.yes_no": "{extra} không?",
    "clarify.which": "Bạn thuộc trường hợp nào?",
    "clarify.yes": "Có",
    "clarify.no": "Không",
    "refer.fine": "Câu hỏi về mức phạt, xử phạt vi phạm không phải là một thủ tục hành chính nên mình không tra được ạ.",
    "refer.dispute": "Việc tranh chấp (đất đai, thừa kế, lao động, hàng xóm…) cần được tư vấn hoặc hòa giải, không phải một thủ tục mình tra được ạ.",
    "refer.legal_advice": "Câu hỏi này cần tư vấn pháp luật, không phải một thủ tục hành chính nên mình không trả lời thay cơ quan có thẩm quyền được ạ.",
    "refer.dossier_status": "Mình không xem được tình trạng hồ sơ bạn đã nộp ạ.",
    "refer.complaint_person": "Mình rất tiếc về chuyện bạn gặp phải. Mình không giải quyết được việc này, nhưng bạn có thể gửi phản ánh để Trung tâm xem xét.",
    "refer.other": "Câu hỏi này có vẻ không phải về một thủ tục hành chính, nên mình chưa trả lời được ạ.",
    "refer.can": "Mình giúp được: tìm thủ tục hành chính (hồ sơ, thời hạn, lệ phí, nơi nộp) và nhận phản ánh, kiến nghị.",
    "refer.call": "📞 Hỏi trực tiếp {centre}: {phone}",
    "refer.lookup": "🔎 Tra cứu hồ sơ bằng mã hồ sơ trên giấy tiếp nhận tại Cổng Dịch vụ công ({portal}) hoặc nơi bạn đã nộp.",
    "refer.mediation": "🤝 Tranh chấp đất đai được hòa giải trước tại Ủy ban nhân dân cấp xã nơi có đất.",
    "refer.legal_aid": "⚖️ Nếu bạn thuộc diện được trợ giúp pháp lý miễn phí, có thể làm thủ tục yêu cầu trợ giúp pháp lý.",
    "btn.portal_lookup": "🔎 Cổng Dịch vụ công",
    "btn.mediation": "🤝 Hòa giải tranh chấp đất đai",
    "btn.legal_aid": "⚖️ Yêu cầu trợ giúp pháp lý",
    # --- feedback ---
    "cmdo.bochan": "Bỏ chặn người dùng: /bochan MÃ_NGƯỜI_DÙNG",
    "fb.intro": (
        "📝 <b>Gửi phản ánh, kiến nghị</b>\n"
        "Mình sẽ hỏi vài bước ngắn. Mỗi bước đều được lưu lại, bạn có thể dừng và quay lại sau. "
        "Gõ /huy bất cứ lúc nào để hủy."
    ),
    "fb.resumed": "Bạn đang có một phản ánh chưa gửi, mình tiếp tục từ bước đang dở nhé.",
    "fb.no_draft": "Bạn chưa có phản ánh nào đang soạn. Gõ /phananh để bắt đầu.",
    "fb.private_only": "Bạn vui lòng nhắn riêng cho trợ lý để gửi phản ánh nhé.",
    "fb.ask.kind": "<b>Bước 1.</b> Bạn muốn phản ánh về việc gì?",
    "fb.procedure_prefilled": "Thủ tục liên quan: <b>{name}</b> (<code>{code}</code>).",
    "fb.ask.procedure": (
        "<b>Bước 2.</b> Phản ánh liên quan đến thủ tục nào? Gõ vài từ để tìm "
        "(ví dụ: <i>khai sinh</i>, <i>sổ đỏ</i>), hoặc bấm “Bỏ qua” nếu không liên quan thủ tục cụ thể."
    ),
    "fb.procedure_hits": "Chọn thủ tục đúng trong danh sách, gõ từ khác để tìm lại, hoặc bỏ qua:",
    "fb.procedure_none": "Mình chưa tìm thấy thủ tục phù hợp. Bạn gõ từ khác, hoặc bấm “Bỏ qua”:",
    "fb.ask.content": (
        "<b>Bước 3.</b> Bạn mô tả nội dung phản ánh: việc gì, ở đâu, khi nào. "
        "Tối đa {limit} ký tự. Xin đừng ghi số CCCD hay thông tin nhạy cảm."
    ),
    "fb.ask.attachments": (
        "<b>Bước 4.</b> Bạn có thể gửi kèm ảnh, tệp (PDF, Word, Excel, ảnh) hoặc vị trí "
        "(tối đa {limit} tệp, mỗi tệp dưới 20 MB). Xin đừng gửi ảnh CCCD, giấy tờ tùy thân. "
        "Gửi xong, hoặc không có gì để gửi, bấm “Xong”."
    ),
    "fb.attached_so_far": "Đã đính kèm: {what}.",
    "fb.attached": "📎 Đã nhận: {what}. Bạn còn gửi được {left} tệp. Gửi tiếp, hoặc bấm “Xong”.",
    "fb.media_not_now": "Bạn chỉ gửi ảnh, tệp hoặc vị trí ở bước đính kèm nhé.",
    "fb.ask.contact": (
        "<b>Bước 5. Thông tin liên hệ</b>\n"
        "Bạn có đồng ý để lại họ tên và số điện thoại để cán bộ liên hệ khi cần làm rõ không?\n\n"
        "• Mục đích: chỉ để xử lý và trả lời phản ánh này.\n"
        "• Người xem: cán bộ Trung tâm và cơ quan được giao xử lý.\n"
        "• Bạn xem lại hoặc xóa dữ liệu bất cứ lúc nào bằng /dulieucuatoi và /xoadulieu.\n"
        "• Chính sách bảo vệ dữ liệu cá nhân, phiên bản {policy}.\n\n"
        "Nếu không đồng ý, bạn vẫn gửi ẩn danh được và theo dõi kết quả bằng mã tra cứu."
    ),
    "fb.ask.name": "Bạn cho biết họ và tên:",
    "fb.ask.phone": "Số điện thoại để liên hệ (ví dụ 0912 345 678):",
    "fb.summary.title": "<b>Bước 6. Kiểm tra lại phản ánh của bạn</b>",
    "fb.summary.due": "Hạn trả lời dự kiến: {due} ({days} ngày làm việc)",
    "fb.summary.hint": "Bấm “Gửi phản ánh” nếu đã đúng, hoặc “Sửa” để thay đổi.",
    "fb.edit.title": "Bạn muốn sửa phần nào?",
    "fb.edit.kind": "Loại phản ánh",
    "fb.edit.procedure": "Thủ tục liên quan",
    "fb.edit.content": "Nội dung",
    "fb.edit.attachments": "Ảnh, tệp, vị trí",
    "fb.edit.contact": "Thông tin liên hệ",
    "fb.btn.cancel": "✖️ Hủy phản ánh",
    "fb.btn.skip_procedure": "⏭ Bỏ qua",
    "fb.btn.attachments_done": "✅ Xong",
    "fb.btn.clear": "🗑 Xóa hết tệp đã gửi",
    "fb.btn.consent": "✅ Đồng ý, để lại tên và số điện thoại",
    "fb.btn.anonymous": "🙈 Gửi ẩn danh",
    "fb.btn.send": "📨 Gửi phản ánh",
    "fb.btn.edit": "✏️ Sửa",
    "fb.btn.back_summary": "↩️ Quay lại bản tóm tắt",
    "fb.btn.erase_yes": "🗑 Đồng ý xóa",
    "fb.btn.erase_no": "Không, giữ lại",
    "fb.kind.quy_dinh": "Phản ánh về quy định hành chính",
    "fb.kind.thai_do": "Thái độ phục vụ",
    "fb.kind.tre_hen": "Hồ sơ trễ hẹn",
    "fb.kind.kien_nghi": "Kiến nghị",
    "fb.kind.khac": "Khác",
    "fb.step.kind": "chọn loại phản ánh",
    "fb.step.procedure": "chọn thủ tục liên quan",
    "fb.step.content": "nhập nội dung",
    "fb.step.attachments": "gửi ảnh, tệp, vị trí",
    "fb.step.contact": "thông tin liên hệ",
    "fb.step.contact_name": "nhập họ tên",
    "fb.step.contact_phone": "nhập số điện thoại",
    "fb.step.summary": "xác nhận gửi",
    "fb.draft_open": (
        "📝 Bạn còn một phản ánh đang soạn dở (bước: {step}), mình vẫn giữ nguyên. "
        "Khi muốn làm tiếp, bấm “▶️ Tiếp tục phản ánh”; muốn bỏ, gõ /huy."
    ),
    "fb.btn.resume": "▶️ Tiếp tục phản ánh",
    "fb.content_kept": "📝 Mình đã ghi lại nội dung bạn vừa gõ:\n<i>{content}</i>",
    "fb.kind_guess": "Có vẻ đây là phản ánh về <b>{kind}</b>: bấm nút 👉 (hoặc gõ “có”), hoặc chọn loại khác.",
    "fb.procedure_suggested": "Theo nội dung bạn gõ, có thể là một trong các thủ tục dưới đây.",
    "fb.hint.kind": (
        "Mình chưa hiểu ý bạn. Bạn bấm chọn loại phản ánh bên dưới, "
        "hoặc gõ luôn nội dung phản ánh (ít nhất {minimum} ký tự)."
    ),
    "fb.hint.kind_edit": "Mình chưa hiểu ý bạn. Bạn bấm chọn loại phản ánh bên dưới nhé.",
    "fb.hint.attachments": (
        "Mình chưa hiểu ý bạn. Ở bước này bạn gửi ảnh, tệp hoặc vị trí; "
        "xong thì bấm “Xong” (hoặc gõ “xong”)."
    ),
    "fb.hint.contact": (
        "Mình chưa hiểu ý bạn. Bạn gõ “có” để để lại họ tên và số điện thoại, "
        "“không” để gửi ẩn danh, hoặc bấm một nút bên dưới."
    ),
    "fb.hint.summary": (
        "Mình chưa hiểu ý bạn. Bạn gõ “gửi” để gửi phản ánh, “sửa” để thay đổi, "
        "hoặc bấm một nút bên dưới."
    ),
    "fb.cancel_offer": (
        "Để hủy phản ánh đang soạn, bấm “✖️ Hủy phản ánh” (hoặc gõ /huy). "
        "Chưa muốn hủy thì bấm “▶️ Tiếp tục phản ánh”: mọi thứ vẫn được giữ nguyên."
    ),
    "fb.label.kind": "Loại",
    "fb.label.procedure": "Thủ tục",
    "fb.label.attachments": "Đính kèm",
    "fb.label.contact": "Liên hệ",
    "fb.label.content": "Nội dung",
    "fb.anonymous": "ẩn danh",
    "fb.none": "<i>không có</i>",
    "fb.none_plain": "chưa có",
    "fb.yes": "có",
    "fb.no": "không",
    "fb.n_photos": "{n} ảnh",
    "fb.n_documents": "{n} tệp",
    "fb.with_location": "vị trí",
    "fb.err.empty": "Nội dung đang trống. Bạn vui lòng gõ nội dung nhé.",
    "fb.err.too_long": "Nội dung dài {length} ký tự, vượt giới hạn {limit}. Bạn rút gọn giúp mình nhé.",
    "fb.err.too_short": "Nội dung hơi ngắn (cần ít nhất {minimum} ký tự). Bạn mô tả rõ hơn giúp mình nhé.",
    "fb.err.unsupported_file": (
        "Mình chưa nhận loại tệp này. Bạn gửi ảnh, PDF, Word, Excel hoặc chia sẻ vị trí nhé."
    ),
    "fb.err.file_too_big": "Tệp lớn hơn {limit_mb} MB nên mình không nhận được. Bạn gửi tệp nhỏ hơn nhé.",
    "fb.err.too_many_files": "Bạn đã gửi đủ {limit} tệp. Bấm “Xong” để sang bước tiếp theo.",
    "fb.err.bad_location": "Vị trí không hợp lệ. Bạn chia sẻ lại vị trí nhé.",
    "fb.err.bad_name": "Họ tên cần từ 2 đến {limit} ký tự và không chứa chữ số. Bạn nhập lại nhé.",
    "fb.err.bad_phone": "Số điện thoại chưa đúng. Bạn nhập dạng 0912 345 678 hoặc +84 912 345 678 nhé.",
    "fb.err.bad_code": "Mã tra cứu có dạng <code>PA-XXXXXXXX</code> (8 ký tự sau PA-). Ví dụ: <code>/tracuu PA-7KQ3M9XD</code>.",
    "fb.rate_limited": (
        "Bạn đã gửi nhiều phản ánh trong thời gian ngắn. Để tránh trùng lặp, bạn vui lòng "
        "thử lại sau khoảng {minutes} phút (từ {at}). Phản ánh đang soạn vẫn được giữ."
    ),
    "fb.expired": (
        "Phản ánh đang soạn đã hết hạn vì không có thao tác trong {hours} giờ. "
        "Gõ /phananh để bắt đầu lại nhé."
    ),
    "fb.cancelled": "Đã hủy phản ánh đang soạn. Khi cần, gõ /phananh để bắt đầu lại.",
    "fb.nothing_to_cancel": "Hiện không có thao tác nào đang dở để hủy.",
    "fb.submitted": (
        "✅ <b>Đã ghi nhận phản ánh của bạn.</b>\n"
        "Mã tra cứu: <code>{code}</code>\n"
        "Hạn trả lời dự kiến: {due} ({days} ngày làm việc).\n\n"
        "Gõ <code>/tracuu {code}</code> để xem tiến độ. Mình sẽ nhắn bạn khi có cập nhật."
    ),
    "fb.already_sent": "Phản ánh này đã được gửi rồi (mã {code}).",
    "fb.status.moi": "Mới tiếp nhận",
    "fb.status.dang_xu_ly": "Đang xử lý",
    "fb.status.da_chuyen": "Đã chuyển cơ quan khác",
    "fb.status.mo_lai": "Đã mở lại",
    "fb.status.da_tra_loi": "Đã trả lời",
    "fb.status.khong_tham_quyen": "Không thuộc thẩm quyền",
    "fb.status.trung": "Trùng phản ánh khác",
    "fb.status.tu_choi": "Từ chối tiếp nhận",
    "fb.action.submitted": "gửi phản ánh",
    "fb.action.claim": "nhận xử lý",
    "fb.action.forward": "chuyển cơ quan",
    "fb.action.reply": "trả lời",
    "fb.action.not_competent": "không thuộc thẩm quyền",
    "fb.action.duplicate": "đánh dấu trùng",
    "fb.action.reject": "từ chối",
    "fb.action.rated": "đánh giá",
    "fb.action.reopened": "mở lại phản ánh",
    "fb.action.hidden": "ẩn (người gửi bị chặn)",
    "fb.action.unhidden": "bỏ ẩn",
    "fb.action.erased": "xóa dữ liệu cá nhân theo yêu cầu",
    "fb.actor.citizen": "Người gửi",
    "fb.actor.system": "Hệ thống",
    "fb.history": "Lịch sử xử lý",
    "fb.rating.hai_long": "😊 Hài lòng",
    "fb.rating.binh_thuong": "😐 Bình thường",
    "fb.rating.khong_hai_long": "😞 Không hài lòng",
    "fb.notify.claim": "📌 Phản ánh <code>{code}</code> đang được <b>{agency}</b> xử lý.",
    "fb.notify.forward": "↪️ Phản ánh <code>{code}</code> đã được chuyển đến <b>{note}</b> để xử lý.",
    "fb.notify.reply": (
        "💬 <b>Trả lời phản ánh <code>{code}</code></b> từ {agency}:\n\n{note}\n\n"
        "Bạn thấy câu trả lời thế nào?"
    ),
    "fb.notify.not_competent": (
        "ℹ️ Phản ánh <code>{code}</code> không thuộc thẩm quyền của {agency}. "
        "Cơ quan có thẩm quyền: <b>{note}</b>. Bạn có thể gửi phản ánh đến cơ quan đó."
    ),
    "fb.notify.duplicate": (
        "ℹ️ Phản ánh <code>{code}</code> trùng với một phản ánh đã được tiếp nhận trước đó "
        "và sẽ được xử lý cùng."
    ),
    "fb.notify.reject": "Phản ánh <code>{code}</code> không được tiếp nhận. Lý do: {note}",
    "fb.rate_prompt": "Bạn đánh giá câu trả lời thế nào?",
    "fb.rated": "Cảm ơn bạn đã đánh giá!",
    "fb.rated_before": "Bạn đã đánh giá câu trả lời này rồi.",
    "fb.thanks_rating": "Cảm ơn bạn đã đánh giá. Ý kiến của bạn giúp cải thiện chất lượng phục vụ.",
    "fb.reopened": (
        "Mình đã mở lại phản ánh <code>{code}</code> và chuyển lại cho cán bộ. "
        "Hạn trả lời mới: {due}."
    ),
    "fb.too_late_to_reopen": (
        "Đã ghi nhận đánh giá. Câu trả lời đã quá {days} ngày nên không mở lại được; "
        "bạn gõ /phananh để gửi phản ánh mới nhé."
    ),
    "fb.track_usage": "Gõ <code>/tracuu MÃ</code>, ví dụ <code>/tracuu PA-7KQ3M9XD</code>.",
    "fb.track_mine": "<b>Phản ánh của bạn</b> (gõ <code>/tracuu MÃ</code> để xem chi tiết):",
    "fb.track_not_found": "Không tìm thấy phản ánh với mã này. Bạn kiểm tra lại mã giúp mình nhé.",
    "fb.track_sent": "Ngày gửi: {at}",
    "fb.track_due": "Hạn trả lời dự kiến: {due}",
    "fb.track_overdue": "⚠️ Đã quá hạn; mình đã nhắc cơ quan xử lý.",
    "fb.my_data": (
        "<b>Dữ liệu của bạn mà trợ lý đang lưu</b>\n"
        "• Số phản ánh đã gửi: {records}\n"
        "• Phản ánh đang soạn: {draft}\n"
        "• Đồng ý cung cấp thông tin liên hệ: {consent}\n\n"
        "Toàn bộ chi tiết trong tệp đính kèm. Gõ /xoadulieu nếu muốn xóa."
    ),
    "fb.consent_at": "đồng ý lúc {time} ngày {day}",
    "fb.consent_policy": " (chính sách {policy})",
    "fb.my_data_file": "Dữ liệu của bạn (JSON)",
    "fb.erase_confirm": (
        "<b>Xóa dữ liệu cá nhân?</b>\n"
        "Mình sẽ xóa nội dung, họ tên, số điện thoại, vị trí, tệp đính kèm và liên kết với "
        "tài khoản Telegram của bạn. Chỉ giữ số liệu thống kê ẩn danh (loại, trạng thái, ngày). "
        "Sau khi xóa, bạn sẽ không tra cứu hay nhận trả lời các phản ánh cũ qua trợ lý nữa."
    ),
    "fb.erased": "Đã xóa dữ liệu cá nhân của bạn ({records} phản ánh được ẩn danh hóa).",
    "fb.erase_kept": "Đã giữ nguyên dữ liệu của bạn.",
    "fbo.new_header": "🆕 <b>Phản ánh mới</b>",
    "fbo.reopened_header": "🔁 <b>Phản ánh được mở lại</b> (người gửi không hài lòng)",
    "fbo.hidden": "🚫 <i>Ẩn khỏi hàng chờ: người gửi bị chặn</i>",
    "fbo.received": "Tiếp nhận",
    "fbo.handler": "Xử lý",
    "fbo.due": "Hạn xử lý: {due}",
    "fbo.due_overdue": "Hạn xử lý: {due} ⚠️ <b>quá hạn {days} ngày làm việc</b>",
    "fbo.days_late": " (quá {days} ngày)",
    "fbo.btn.claim": "✋ Nhận xử lý",
    "fbo.btn.fwd": "↪️ Chuyển cơ quan",
    "fbo.btn.reply": "💬 Trả lời",
    "fbo.btn.nc": "🚫 Không thuộc thẩm quyền",
    "fbo.btn.dup": "♊ Trùng",
    "fbo.btn.rej": "⛔ Từ chối",
    "fbo.btn.show": "📄 Chi tiết",
    "fbo.btn.files": "📎 Tệp đính kèm",
    "fbo.none_new": "Không có phản ánh mới nào đang chờ nhận xử lý.",
    "fbo.list_new": "<b>Phản ánh chờ nhận xử lý</b> ({count})",
    "fbo.none_overdue": "Không có phản ánh nào quá hạn. 👍",
    "fbo.list_overdue": "<b>Phản ánh quá hạn</b> ({count})",
    "fbo.reminder": "⏰ <b>Nhắc việc:</b> {count} phản ánh đã quá hạn xử lý",
    "fbo.not_found": "Không tìm thấy phản ánh {code}.",
    "fbo.no_files": "Phản ánh {code} không có tệp đính kèm.",
    "fbo.admin_only": "Lệnh này chỉ dành cho quản trị viên.",
    "fbo.unknown_user": "Trợ lý chưa lưu người dùng nào mang mã <code>{user}</code> (người này chưa từng gửi phản ánh), nên không có gì để chặn hay bỏ chặn.",
    "fbo.block_usage": "Dùng: <code>/chan MÃ_NGƯỜI_DÙNG</code> hoặc <code>/chan PA-XXXXXXXX</code>.",
    "fbo.blocked": "Đã chặn người dùng {user}; {count} phản ánh của họ được ẩn khỏi hàng chờ.",
    "fbo.unblocked": "Đã bỏ chặn người dùng {user}; {count} phản ánh hiện lại trong hàng chờ.",
    "fbo.export_usage": (
        "Dùng: <code>/xuatphananh [từ ngày] [đến ngày] [csv]</code>, ngày dạng dd/mm/yyyy. "
        "Mặc định: từ đầu tháng đến hôm nay."
    ),
    "fbo.export_caption": "Phản ánh tiếp nhận từ {start} đến {end}: {count} bản ghi.",
    "fbo.ask.forward": "{name}: nhập tên cơ quan nhận chuyển cho <code>{code}</code> (hoặc /huy).",
    "fbo.ask.reply": "{name}: nhập nội dung trả lời người dân cho <code>{code}</code> (hoặc /huy).",
    "fbo.ask.not_competent": (
        "{name}: nhập cơ quan có thẩm quyền xử lý <code>{code}</code> (hoặc /huy)."
    ),
    "fbo.ask.duplicate": "{name}: nhập mã phản ánh mà <code>{code}</code> trùng với (hoặc /huy).",
    "fbo.ask.reject": "{name}: nhập lý do từ chối <code>{code}</code> (hoặc /huy).",
    "fbo.done": "✅ {name} đã {action}: <code>{code}</code>.",
    "fbo.pending_expired": "Thao tác đang chờ đã hết hạn. Bạn bấm lại nút trên phản ánh nhé.",
    "fbo.pending_cancelled": "Đã hủy thao tác đang chờ.",
    "fbo.err.closed": "Phản ánh đã đóng ({status}), không thao tác thêm được.",
    "fbo.err.already_claimed": "Phản ánh đã được {name} nhận xử lý.",
    "fbo.err.empty": "Nội dung đang trống. Bạn nhập lại nhé (hoặc /huy).",
    "fbo.err.too_long": "Nội dung dài {length} ký tự, vượt giới hạn {limit}.",
    "fbo.err.bad_code": "Mã phản ánh có dạng PA-XXXXXXXX. Bạn nhập lại nhé (hoặc /huy).",
    "fbo.err.self_duplicate": "Không thể đánh dấu phản ánh trùng với chính nó.",
    "fbo.err.dup_not_found": "Không có phản ánh {code}. Bạn nhập lại mã nhé (hoặc /huy).",
    "fbo.err.bad_action": "Thao tác không hợp lệ.",
    "fbo.err.other_agency": (
        "Phản ánh đang do {agency} xử lý; chỉ cán bộ của cơ quan đó (và quản trị viên) "
        "thao tác được."
    ),
    "fbo.err.unknown_agency": (
        "Không có cơ quan «{agency}» trong danh sách cơ quan của trợ lý. Bạn chọn bằng nút "
        "(hoặc /huy)."
    ),
    "fbo.err.same_agency": "Phản ánh đang ở {agency} rồi. Bạn chọn cơ quan khác (hoặc /huy).",
    "fbo.err.no_agency": "Chưa có cơ quan nào khác trong cấu hình để chuyển đến.",
    "fbo.ask.forward_pick": (
        "{name}: chọn cơ quan nhận chuyển <code>{code}</code> ({count} cơ quan, trang "
        "{page}/{pages}), hoặc trả lời tin nhắn này bằng tên cơ quan (/huy để hủy)."
    ),
    "fbo.btn.prev": "« Trang trước",
    "fbo.btn.next": "Trang sau »",
    "fbo.forwarded": "↪️ Đã chuyển <code>{code}</code> đến <b>{agency}</b>.",
    "fbo.forwarded_header": "↪️ <b>Phản ánh được chuyển đến {agency}</b>",
    "fbo.held_by": (
        "🔒 Phản ánh đang do <b>{agency}</b> xử lý; chỉ cán bộ của cơ quan đó (và quản trị "
        "viên) thao tác được."
    ),
    "fbo.erased_record": "Phản ánh <code>{code}</code>: người gửi đã yêu cầu xóa dữ liệu cá nhân.",
    # --- tasks ---
    "tasks.empty": (
        "Chưa có nhiệm vụ nào trong hệ thống. Quản trị viên nhập danh sách bằng lệnh "
        "<code>python -m bot tasks import TỆP</code> (xem docs/tasks.md)."
    ),
    "tasks.summary.title": "<b>📊 Nhiệm vụ cải cách hành chính</b> (đến ngày {date})",
    "tasks.summary.sentence": (
        "Nhận được <b>{documents}</b> văn bản chỉ đạo với <b>{total}</b> nhiệm vụ; "
        "hoàn thành đúng hạn <b>{on_time}</b> nhiệm vụ (đạt {on_time_pct}); "
        "hoàn thành nhưng trễ hạn <b>{late}</b> nhiệm vụ ({late_pct}); "
        "đang thực hiện <b>{open}</b> nhiệm vụ"
    ),
    "tasks.summary.overdue_part": " (trong đó <b>{overdue}</b> nhiệm vụ quá hạn)",
    "tasks.summary.no_overdue": " (không có nhiệm vụ quá hạn)",
    "tasks.table.title": "<b>Theo cơ quan chủ trì</b> (quá hạn nhiều xếp trước):",
    "tasks.table.cols": "Cơ quan|Tổng|Đúng|Trễ|Đang|Quá",
    "tasks.table.legend": (
        "<i>Đúng: hoàn thành đúng hạn · Trễ: hoàn thành trễ hạn · Đang: đang thực hiện "
        "trong hạn · Quá: quá hạn chưa hoàn thành</i>"
    ),
    "tasks.btn.by_agency": "🏢 Theo cơ quan",
    "tasks.btn.by_area": "📂 Theo lĩnh vực",
    "tasks.btn.overdue": "🔴 Quá hạn",
    "tasks.btn.due_soon": "⏳ Sắp đến hạn",
    "tasks.btn.all_overdue": "🔴 Xem tất cả nhiệm vụ quá hạn",
    "tasks.btn.back": "« Tổng hợp",
    "tasks.btn.areas": "« Các lĩnh vực",
    "tasks.btn.prev": "« Trang trước",
    "tasks.btn.next": "Trang sau »",
    "tasks.btn.update": "✏️ Cập nhật tiến độ",
    "tasks.btn.cancel": "✖️ Hủy",
    "tasks.btn.no_note": "💾 Lưu, không ghi chú",
    "tasks.agency.pick": "Chọn cơ quan chủ trì để xem chi tiết:",
    "tasks.agency.title": "<b>🏢 {agency}</b> (đến ngày {date})",
    "tasks.agency.overdue": "<b>Nhiệm vụ quá hạn ({count}), trễ nhiều nhất trước:</b>",
    "tasks.agency.not_found": (
        "Mình không tìm thấy cơ quan nào giống «{query}». Bạn thử gõ ngắn hơn, ví dụ "
        "<code>/nhiemvu tu phap</code>, hoặc gõ /nhiemvu rồi bấm «Theo cơ quan»."
    ),
    "tasks.agency.choose": "Có nhiều cơ quan khớp với «{query}». Bạn chọn một:",
    "tasks.agency.choose_page": (
        "Có {count} cơ quan khớp với «{query}» (trang {page}/{pages}). Bạn chọn một:"
    ),
    "tasks.agency.pick_page": "Chọn cơ quan chủ trì để xem chi tiết (trang {page}/{pages}):",
    "tasks.agency.open": (
        "<b>Nhiệm vụ chưa hoàn thành: {count}</b>, quá hạn trước (trang {page}/{pages}):"
    ),
    "tasks.agency.none_open": "Không còn nhiệm vụ nào chưa hoàn thành. 🎉",
    "tasks.area.pick": "Chọn lĩnh vực cải cách để xem chi tiết:",
    "tasks.area.title": "<b>📂 {area}</b> (đến ngày {date})",
    "tasks.area.none": "Chưa phân lĩnh vực",
    "tasks.recurring": "thường xuyên",
    "tasks.line.overdue": "{icon} <code>{code}</code> {title} — hạn {deadline}, <b>trễ {days} ngày</b> ({agency})",
    "tasks.line.open": "{icon} <code>{code}</code> {title} — hạn {deadline} ({agency})",
    "tasks.line.done": "{icon} <code>{code}</code> {title} — xong ngày {done} ({agency})",
    "tasks.line.agency": "{icon} <code>{code}</code> {title} — hạn <b>{deadline}</b> · {status}",
    "tasks.overdue.title": "<b>🔴 Nhiệm vụ quá hạn: {count}</b>, trễ nhiều nhất trước (trang {page}/{pages})",
    "tasks.overdue.title_agency": "<b>🔴 {agency}: {count} nhiệm vụ quá hạn</b>, trễ nhiều nhất trước (trang {page}/{pages})",
    "tasks.overdue.none": "🎉 Không có nhiệm vụ nào quá hạn.",
    "tasks.soon.title": "<b>⏳ {count} nhiệm vụ đến hạn trong {days} ngày tới</b> (đến {until}; trang {page}/{pages})",
    "tasks.soon.agency": "Cơ quan chủ trì: <b>{agency}</b>",
    "tasks.soon.none": "Không có nhiệm vụ nào đến hạn trong {days} ngày tới (đến {until}).",
    "tasks.task.usage": "Cách dùng: <code>/task MÃ</code>, ví dụ <code>/task NV26-012</code>.",
    "tasks.task.not_found": "Mình không tìm thấy nhiệm vụ có mã «{code}». Bạn kiểm tra lại mã nhé.",
    "tasks.detail.title": "<b>Nhiệm vụ <code>{code}</code></b>",
    "tasks.detail.document": "Văn bản giao: <b>{number}</b> ngày {date} của {issuer}",
    "tasks.detail.status": "Tình trạng: <b>{status}</b>",
    "tasks.detail.late_by": " (trễ {days} ngày)",
    "tasks.detail.history": "<b>Lịch sử</b>",
    "tasks.history.by": "{name} ({agency})",
    "tasks.history.import": "Nhập từ tệp",
    "tasks.history.created": "tạo mới",
    "tasks.history.note": "ghi chú: {note}",
    "tasks.field.title": "Nội dung",
    "tasks.field.doc_number": "Văn bản giao",
    "tasks.field.doc_date": "Ngày giao",
    "tasks.field.issuer": "Cơ quan giao",
    "tasks.field.area": "Lĩnh vực",
    "tasks.field.agency": "Cơ quan chủ trì",
    "tasks.field.supporting": "Cơ quan phối hợp",
    "tasks.field.deadline": "Thời hạn",
    "tasks.field.completed_on": "Ngày hoàn thành",
    "tasks.field.progress": "Tiến độ",
    "tasks.field.note": "Ghi chú",
    "tasks.field.status": "Tình trạng",
    "tasks.status.dung_han": "Hoàn thành đúng hạn",
    "tasks.status.tre_han": "Hoàn thành trễ hạn",
    "tasks.status.dang_thuc_hien": "Đang thực hiện (trong hạn)",
    "tasks.status.qua_han": "Quá hạn chưa hoàn thành",
    "tasks.choice.done": "✅ Đã hoàn thành",
    "tasks.choice.open": "🔵 Đang thực hiện",
    "tasks.choice.note": "📝 Chỉ ghi tiến độ",
    "tasks.update.usage": "Cách dùng: <code>/capnhat MÃ</code>, ví dụ <code>/capnhat NV26-012</code>.",
    "tasks.update.start": (
        "<b>Cập nhật nhiệm vụ <code>{code}</code></b>\n{title}\n\n"
        "Thời hạn: {deadline}\nTình trạng hiện nay: <b>{status}</b>\n\n"
        "Bạn chọn tình trạng mới (gõ /huy để hủy):"
    ),
    "tasks.update.ask_note": (
        "Nhiệm vụ <code>{code}</code>: <b>{choice}</b>.\n\n"
        "Bây giờ bạn gửi ghi chú tiến độ trong một tin nhắn (tối đa {limit} ký tự). "
        "Gõ /huy để hủy."
    ),
    "tasks.update.ask_note_done": (
        "Nhiệm vụ <code>{code}</code>: <b>{choice}</b>.\n\n"
        "Bây giờ bạn gửi ghi chú kết quả trong một tin nhắn (tối đa {limit} ký tự). "
        "Nếu hoàn thành vào ngày khác hôm nay, ghi ngày ở đầu, ví dụ: "
        "<code>12/11/2026 Đã ban hành kế hoạch</code>. Gõ /huy để hủy."
    ),
    "tasks.update.press_button": "Bạn chọn tình trạng bằng nút ở tin nhắn trên trước, hoặc gõ /huy để hủy cập nhật.",
    "tasks.update.done": "✅ Đã cập nhật nhiệm vụ <code>{code}</code>: <b>{status}</b>.",
    "tasks.update.cancelled": "Đã hủy cập nhật nhiệm vụ. Chưa có gì thay đổi.",
    "tasks.update.nothing": "Không có cập nhật nào đang dở.",
    "tasks.update.gone": "Phiên cập nhật này không còn. Bạn gõ lại <code>/capnhat MÃ</code> nhé.",
    "tasks.update.retry": "Bạn gửi lại ghi chú, hoặc gõ /huy để hủy.",
    "tasks.update.denied": "Nhiệm vụ <code>{code}</code> do <b>{agency}</b> chủ trì.",
    "tasks.update.own": "Bạn chỉ cập nhật được nhiệm vụ do {own} chủ trì.",
    "tasks.update.denied_short": "Bạn chỉ cập nhật được nhiệm vụ do cơ quan mình chủ trì.",
    "tasks.report.caption": "📊 <b>Tình hình thực hiện nhiệm vụ cải cách hành chính</b> đến ngày {date}",
    "tasks.report.xlsx": "📎 Số liệu chi tiết: {count} nhiệm vụ (tổng hợp, theo cơ quan, theo lĩnh vực, danh sách).",
    "tasks.digest.title": "<b>🌅 Bản tin nhiệm vụ cải cách hành chính</b>\n{date}",
    "tasks.digest.new_overdue": "<b>🔴 Mới quá hạn ({count}):</b>",
    "tasks.digest.this_week": "<b>⏳ Đến hạn trong tuần này ({count}):</b>",
    "tasks.digest.completed": "<b>✅ Hoàn thành hôm qua ({count}):</b>",
    "tasks.digest.completed_since": "<b>✅ Hoàn thành từ ngày {since} ({count}):</b>",
    "tasks.digest.nothing": "<i>không có</i>",
    "tasks.digest.more": "… và {count} nhiệm vụ khác",
    "tasks.digest.footer": "Gõ /nhiemvu để xem chi tiết, /quahan để xem các nhiệm vụ quá hạn.",
    "tasks.err.too_long": "Nội dung bạn gõ dài quá (tối đa 100 ký tự). Bạn gõ ngắn lại nhé.",
    "tasks.err.empty": "Bạn gõ thêm tên cơ quan hoặc mã nhiệm vụ (chữ hoặc số) nhé.",
    "tasks.err.bad_days": (
        "Số ngày chưa đúng. Bạn gõ một số từ 1 đến 366, ví dụ <code>/nhiemvu_sapden 14</code>."
    ),
    "tasks.err.bad_date": "Ngày ở đầu ghi chú không có thật. Bạn ghi theo dạng dd/mm/yyyy.",
    "tasks.err.future_date": "Ngày hoàn thành không thể sau hôm nay.",
    "tasks.err.before_assigned": "Ngày hoàn thành không thể trước ngày giao nhiệm vụ.",
    "tasks.err.note_too_long": "Ghi chú dài quá (tối đa 1.000 ký tự).",
    "tasks.err.empty_note": "Bạn chọn «Chỉ ghi tiến độ» nên cần gửi nội dung ghi chú.",
    "tasks.err.bad_choice": "Lựa chọn không hợp lệ.",
    "tasks.err.generic": "Yêu cầu chưa đúng. Bạn kiểm tra lại nhé.",
    # --- server ---
}
