"""The classes list's rows (templates/courses/course_list.html), the grids' and the class page's sessions and learners
(course_detail.html), written in Python: tthtcd_portal/rows.py."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from courses.models import Learner
from tthtcd_portal.rows import counts, dates, text, url_for

register = template.Library()


@register.simple_tag
def course_rows(page, many_centres: bool) -> str:
    """One <tr> per class of the page, as the template's `{% for course in page %}` wrote them."""
    detail, number, day = url_for("courses:detail"), counts(), dates()
    roster = f' <span class="badge text-bg-info">{text(gettext("có danh sách"))}</span>'
    # each cell's heading for the phone's stacked rows (.table-stack in static/css/portal.css)
    of_centre, kind, starts = text(gettext("Trung tâm")), text(gettext("Loại")), text(gettext("Bắt đầu"))
    sessions, participants = text(gettext("Buổi")), text(gettext("Lượt người học"))
    parts = []
    for course in page:
        title = text(course.title)
        centre = f'<td data-label="{of_centre}">{text(course.centre.commune.name)}</td>' if many_centres else ""
        parts.append(
            f'\n    <tr data-key="{title}">\n'
            f'      <td><a href="{detail(course.pk)}">{title}</a>{roster if course.is_roster else ""}</td>\n'
            f"      {centre}\n"
            f'      <td data-label="{kind}">{text(course.programme_kind.name)}</td>\n'
            f'      <td data-label="{starts}">{day(course.start_date)}</td>\n'
            f'      <td class="text-end" data-label="{sessions}">{number(course.session_count)}</td>\n'
            f'      <td class="text-end" data-label="{participants}">{number(course.participation_count)}</td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(parts))


@register.simple_tag
def attendance_rows(grid, can_edit: bool) -> str:
    """The attendance grid's rows (templates/courses/partials/grid.html: one session, or a month's): per
    learner a <th> and per session a tick box, or a dash on a day they were not enrolled."""
    day = dates()
    sessions = [(str(int(s.pk)), day(s.date)) for s in grid.sessions]
    not_enrolled = f'<span class="text-muted" title="{text(gettext("Chưa ghi danh ngày này"))}">–</span>\n        '
    disabled = "" if can_edit else " disabled"
    parts = []
    for row in grid.rows:
        name, enrolment = text(row.name), int(row.enrolment_id)
        cells = []
        for (session, on), (_session, state) in zip(sessions, row.cells, strict=True):
            if state is None:
                cells.append(f'<td class="text-center">\n        {not_enrolled}\n      </td>')
                continue
            key = f"a-{session}-{enrolment}"
            cells.append(
                f'<td class="text-center">\n        <input type="checkbox" class="form-check-input" id="{key}" '
                f'name="{key}" data-col="{session}"{" checked" if state else ""}{disabled}>\n'
                f'        <label class="visually-hidden" for="{key}">{name} {on}</label>\n      </td>'
            )
        parts.append(
            f'\n    <tr>\n      <th scope="row" class="sticky-col fw-normal text-nowrap">{name}</th>\n'
            f"      {''.join(cells)}\n    </tr>\n  "
        )
    return mark_safe("".join(parts))


@register.simple_tag
def session_rows(course, sessions, can_edit: bool) -> str:
    """The class page's sessions (templates/courses/course_detail.html): one <tr> per session, as the
    template's `{% for s in sessions %}` wrote them."""
    day, number = dates(), counts()
    attendance, edit = url_for("courses:attendance"), url_for("courses:session_edit")
    key = text(course.title)
    mark, change = text(gettext("Điểm danh")), text(gettext("Sửa"))
    # each cell's heading for the phone's stacked rows (.table-stack in static/css/portal.css)
    by, hours_, present = text(gettext("Người dạy")), text(gettext("Giờ")), text(gettext("Có mặt"))
    women, minorities = text(gettext("Nữ")), text(gettext("DTTS"))
    hours: dict = {}  # `|floatformat:"1g"` once per distinct value (a class repeats its 2 or 3 lengths)
    parts = []
    for s in sessions:
        if s.hours not in hours:
            hours[s.hours] = str(floatformat(s.hours, "1g"))
        label, pk = s.instructor_label, s.pk
        marks = f'<a href="{attendance(pk)}">{mark}</a>' if course.is_roster else ""
        changes = f'<a class="ms-2" href="{edit(pk)}">{change}</a>' if can_edit else ""
        # a topic that only repeats the class's title (the page's heading) is left out on a phone
        topic = ' class="d-none d-md-table-cell"' if s.topic == course.title else ""
        parts.append(
            f'\n    <tr data-key="{key}">\n'
            f'      <td>{day(s.date)}</td><td{topic}>{text(s.topic)}</td><td class="d-none d-md-table-cell" '
            f'data-label="{by}">{text(label) if label else "—"}</td>'
            f'<td class="text-end" data-label="{hours_}">{hours[s.hours]}</td>\n'
            f'      <td class="text-end" data-label="{present}">{number(s.present)}</td>'
            f'<td class="text-end" data-label="{women}">{number(s.women)}</td>'
            f'<td class="text-end" data-label="{minorities}">{number(s.minorities)}</td>\n'
            '      <td class="text-end text-nowrap">\n'
            f"        {marks}\n"
            f"        {changes}\n"
            "      </td>\n    </tr>\n  "
        )
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def enrolment_items(context, course, enrolments, can_edit: bool) -> str:
    """The class page's learners (templates/courses/course_detail.html): one <li> per enrolment, with the
    withdraw and delete forms when the user may edit, as the template's `{% for e in enrolments %}` wrote them
    (the page's one CSRF token in each form, as `{% csrf_token %}` put it)."""
    day, iso = dates(), dates("Y-m-d")
    withdraw, delete = url_for("courses:withdraw"), url_for("courses:enrolment_delete")
    genders = {value: text(label) for value, label in Learner.Gender.choices}
    token = context.get("csrf_token")
    csrf = (
        format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
        if token and token != "NOTPROVIDED"
        else ""
    )
    until_msg = gettext("thôi học sau %(day)s")
    upto_msg = gettext("%(name)s học đến ngày")
    confirm_msg = gettext("Xóa %(name)s khỏi danh sách học viên của lớp?")
    label_msg = gettext("Xóa %(name)s khỏi lớp")
    withdraw_label, withdraw_button, delete_button = (
        text(gettext("Thôi học")),
        text(gettext("Cho thôi học")),
        text(gettext("Xóa")),
    )
    end = iso(course.end_date)
    parts = []
    for e in enrolments:
        learner = e.learner
        name, pk = text(learner.full_name), int(e.pk)
        gender = genders.get(learner.gender) or text(learner.get_gender_display())
        born = f", {text(learner.birth_year)}" if learner.birth_year else ""
        if e.until_date:
            state = (
                '<span class="badge text-bg-light border" data-testid="withdrawn">'
                f"{until_msg % {'day': text(day(e.until_date))}}</span>\n    "
            )
        elif can_edit:
            state = (
                f'<details class="d-inline-block"><summary class="small">{withdraw_label}</summary>\n'
                f'      <form method="post" action="{withdraw(pk)}" class="d-flex flex-wrap gap-1 align-items-end my-1">'
                f"{csrf}\n"
                f'        <div><label class="form-label small mb-0" for="thoi-hoc-{pk}">{upto_msg % {"name": name}}'
                "</label>\n"
                f'        <input type="date" class="form-control form-control-sm" name="until_date" id="thoi-hoc-{pk}" '
                f'required min="{iso(e.from_date)}" max="{end}"></div>\n'
                f'        <button type="submit" class="btn btn-sm btn-outline-danger">{withdraw_button}</button>\n'
                "      </form></details>"
            )
        else:
            state = ""
        remove = (
            f'<form method="post" action="{delete(pk)}" class="d-inline" data-confirm="'
            f'{confirm_msg % {"name": name}}">{csrf}<button class="btn btn-link btn-sm p-0 ms-1 text-danger" '
            f'type="submit" aria-label="{label_msg % {"name": name}}">{delete_button}</button></form>'
            if can_edit
            else ""
        )
        parts.append(
            f'<li class="col">{name} <span class="text-muted">({gender}{born})</span>\n'
            f"    {state}\n    {remove}</li>\n  "
        )
    return mark_safe("".join(parts))


@register.simple_tag
def recent_class_rows(courses) -> str:
    """One <tr> per recent class (templates/courses/partials/centre_classes.html: the centre page and the
    centre's figures page), as the partial's `{% for course in recent_classes %}` wrote them (its `{% empty %}`
    row when there are none)."""
    if not courses:
        empty = text(gettext("Chưa có lớp học nào."))
        return mark_safe(f'\n      <tr><td colspan="5" class="text-muted">{empty}</td></tr>\n    ')
    detail, number, day = url_for("courses:detail"), counts(), dates()
    parts = []
    for course in courses:
        parts.append(
            "\n      <tr>\n"
            f'        <td><a href="{detail(course.pk)}">{text(course.title)}</a></td>\n'
            f'        <td class="d-none d-md-table-cell">{text(course.programme_kind.name)}</td>\n'
            f"        <td>{day(course.start_date)}</td>\n"
            f'        <td class="text-end">{number(course.session_count)}</td>\n'
            f'        <td class="text-end">{number(course.participation_count)}</td>\n'
            "      </tr>\n    "
        )
    return mark_safe("".join(parts))
