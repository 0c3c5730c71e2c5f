"""The centre page's board and instructor rows (templates/centres/partials/board_table.html and
instructor_table.html), written in Python: tthtcd_portal/rows.py."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from centres.models import BoardMember, Instructor, InstructorAssignment
from tthtcd_portal.rows import dates, labels, text, url_for

register = template.Library()


@register.simple_tag
def board_rows(members, centre, can_edit: bool, current: bool) -> str:
    """One <tr> per board member, as the partial's `{% for m in members %}` wrote them (its `{% empty %}` row
    when there are none)."""
    members = list(members)
    if not members:
        return mark_safe(
            f'\n    <tr data-key=""><td colspan="7" class="text-muted">{text(gettext("Chưa có thành viên."))}</td></tr>\n  '
        )
    day, now_label = dates(), text(gettext("nay"))
    position, engagement = labels(BoardMember, "position"), labels(BoardMember, "engagement")
    # each cell's heading for the phone's stacked rows (.table-stack in static/css/portal.css)
    h_position, h_post, h_engagement = (
        text(gettext("Chức danh")),
        text(gettext("Chức vụ chính")),
        text(gettext("Chế độ")),
    )
    h_decision, h_term = text(gettext("Quyết định")), text(gettext("Nhiệm kỳ"))
    if can_edit:
        edit_url, end_url = url_for("centres:board_edit", centre.pk), url_for("centres:board_end", centre.pk)
        edit_label, end_label = text(gettext("Sửa")), text(gettext("Kết thúc nhiệm kỳ"))
    parts = []
    for m in members:
        name = text(m.full_name)
        if m.appointment_decision:
            decision = text(m.appointment_decision)
            if m.decision_date:
                decision += f", {day(m.decision_date)}"
            if m.decision_signer:
                decision += f'<br><span class="small text-muted">{text(m.decision_signer)}</span>'
        else:
            decision = "—"
        term_end = day(m.term_end) if m.term_end else now_label
        actions = ""
        if can_edit:
            end = (
                f'<a class="btn btn-link btn-sm p-0" href="{end_url(m.pk)}">{end_label}</a>'
                if current and not m.term_end
                else ""
            )
            actions = (
                '<td class="text-nowrap">\n'
                f'        <a class="btn btn-link btn-sm p-0 me-2" href="{edit_url(m.pk)}">{edit_label}</a>\n'
                f"        {end}\n      </td>"
            )
        parts.append(
            f'\n    <tr data-key="{name}">\n'
            f'      <td>{name}</td><td data-label="{h_position}">{text(position(m.position))}</td>'
            f'<td data-label="{h_post}">{text(m.main_post) if m.main_post else "—"}</td>\n'
            f'      <td class="d-none d-md-table-cell" data-label="{h_engagement}">{text(engagement(m.engagement))}</td>'
            f'<td class="d-none d-md-table-cell" data-label="{h_decision}">{decision}</td>\n'
            f'      <td class="text-nowrap" data-label="{h_term}">{day(m.term_start)} – {term_end}</td>\n'
            f"      {actions}\n"
            "    </tr>\n  "
        )
    return mark_safe("".join(parts))


@register.simple_tag
def instructor_rows(links, centre, can_edit: bool) -> str:
    """One <tr> per instructor assignment, as the partial's `{% for link in links %}` wrote them (its
    `{% empty %}` row when there are none)."""
    links = list(links)
    if not links:
        return mark_safe(
            f'\n    <tr data-key=""><td colspan="10" class="text-muted">{text(gettext("Chưa có giảng viên."))}</td></tr>\n  '
        )
    if can_edit:
        edit_url, edit_label = url_for("centres:instructor_edit", centre.pk), text(gettext("Sửa"))
    gender, kind = labels(Instructor, "gender"), labels(InstructorAssignment, "kind")
    engagement = labels(InstructorAssignment, "engagement")
    # each cell's heading for the phone's stacked rows (.table-stack in static/css/portal.css)
    h_gender, h_born, h_ethnicity = text(gettext("Giới tính")), text(gettext("Năm sinh")), text(gettext("Dân tộc"))
    h_kind, h_engagement, h_field = text(gettext("Loại")), text(gettext("Chế độ")), text(gettext("Lĩnh vực"))
    h_workplace, h_phone = text(gettext("Nơi công tác")), text(gettext("Điện thoại"))
    parts = []
    for link in links:
        p = link.instructor
        name = text(p.full_name)
        if p.phone:
            phone = text(p.phone)
            phone = f'<a href="tel:{phone}">{phone}</a>'
        else:
            phone = "—"
        actions = (
            f'<td><a class="btn btn-link btn-sm p-0" href="{edit_url(link.pk)}">{edit_label}</a></td>'
            if can_edit
            else ""
        )
        parts.append(
            f'\n    <tr data-key="{name}">\n'
            f'      <td>{name}</td><td class="d-none d-md-table-cell" data-label="{h_gender}">{text(gender(p.gender))}</td>'
            f'<td class="d-none d-md-table-cell" data-label="{h_born}">{text(p.birth_year) if p.birth_year else "—"}</td>\n'
            f'      <td class="d-none d-md-table-cell" data-label="{h_ethnicity}">{text(p.ethnicity)}</td>'
            f'<td data-label="{h_kind}">{text(kind(link.kind))}</td>'
            f'<td class="d-none d-md-table-cell" data-label="{h_engagement}">{text(engagement(link.engagement))}</td>\n'
            f'      <td data-label="{h_field}">{text(p.field) if p.field else "—"}</td>'
            f'<td class="d-none d-md-table-cell" data-label="{h_workplace}">{text(p.workplace) if p.workplace else "—"}</td>\n'
            f'      <td class="text-nowrap" data-label="{h_phone}">{phone}</td>\n'
            f"      {actions}\n"
            "    </tr>\n  "
        )
    return mark_safe("".join(parts))
