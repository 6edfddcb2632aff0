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
    "card.no_unit": "{raw} <i>(nguồn không ghi đơn vị)</i>",
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
    "btn.fees": "💰 Phí, lệ phí",
    "btn.due": "📅 Ngày hẹn trả",
    "btn.portal": "🌐 Xem trên Cổng DVC",
    "btn.feedback": "📝 Gửi phản ánh về thủ tục này",
    "btn.back": "↩️ Quay lại thủ tục",
    "btn.prev": "◀️ Trước",
    "btn.next": "Sau ▶️",
    "btn.call": "📞 Gọi Trung tâm",
    "docs.title": "<b>Hồ sơ cần nộp</b> — {name}",
    "docs.none": "Bản gốc chưa có danh sách hồ sơ cho thủ tục này. Bạn vui lòng hỏi Trung tâm trước khi đi nộp nhé.",
    "legal.title": "<b>Căn cứ pháp lý</b> — {name}",
    "legal.none": "Bản gốc chưa ghi căn cứ pháp lý cho thủ tục này.",
    "fees.title": "<b>Phí, lệ phí theo cách nộp</b> — {name}",
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
    "fields.title": "<b>Chọn lĩnh vực</b> ({count} lĩnh vực)",
    "fields.levels": "<b>{field}</b>: chọn cấp thực hiện",
    "fields.all_levels": "Tất cả các cấp",
    "inline.none": "Không tìm thấy thủ tục phù hợp",
    "inline.none_text": "Mình chưa tìm thấy thủ tục phù hợp. Hãy mở trợ lý để tìm kỹ hơn.",
    "call.centre": "📞 {centre}: {phone}",
    "call.none": "Số điện thoại của Trung tâm chưa được cấu hình.",
    # --- feedback ---
    # --- tasks ---
    # --- server ---
}
