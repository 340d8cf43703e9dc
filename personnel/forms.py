"""Forms of personnel records shared by admin and (later) the staff pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Posting
from .selectors import FAR_FUTURE, overlapping_primary_postings


def _overlap(a_start, a_end, b_start, b_end) -> bool:
    return a_start <= (b_end or FAR_FUTURE) and b_start <= (a_end or FAR_FUTURE)


class PostingForm(forms.ModelForm):
    """One posting; checks dates and the one-primary-posting rule against the database."""

    class Meta:
        model = Posting
        fields = [
            "official",
            "position",
            "org_unit",
            "title",
            "start_date",
            "end_date",
            "is_primary",
            "basis",
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("Ngày kết thúc phải sau ngày bắt đầu."))
        position, unit = data.get("position"), data.get("org_unit")
        if position and unit and position.org_unit_id != unit.pk:
            self.add_error("position", _("Chức vụ đã chọn không thuộc cơ quan, đơn vị đã chọn."))
        official = data.get("official") or getattr(self.instance, "official", None)
        if (
            self._check_db_overlap
            and official
            and start
            and data.get("is_primary")
            and not self.errors
        ):
            clash = overlapping_primary_postings(
                official_id=official.pk, start_date=start, end_date=end, exclude_pk=self.instance.pk
            ).first()
            if clash:
                raise ValidationError(
                    _("Thời gian trùng với vị trí công tác chính “%(posting)s”.")
                    % {"posting": clash}
                )
        return data

    _check_db_overlap = True


class PostingInlineForm(PostingForm):
    # Rows of one official are checked together by the formset.
    _check_db_overlap = False


class PostingInlineFormSet(forms.BaseInlineFormSet):
    """All postings of an official edited at once: the final set must not overlap."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows, in_form = [], set()
        for form in self.forms:
            if form.instance.pk:
                in_form.add(form.instance.pk)
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            data = form.cleaned_data
            if data.get("is_primary") and data.get("start_date"):
                rows.append((data["start_date"], data.get("end_date"), data.get("title") or ""))
        if self.instance.pk:
            others = self.instance.postings.filter(is_primary=True).exclude(pk__in=in_form)
            rows += [(p.start_date, p.end_date, p.title) for p in others]
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if _overlap(a[0], a[1], b[0], b[1]):
                    raise ValidationError(
                        _(
                            "Hai vị trí công tác chính “%(a)s” và “%(b)s” trùng thời gian. "
                            "Mỗi cán bộ chỉ có một vị trí công tác chính tại một thời điểm."
                        )
                        % {"a": a[2], "b": b[2]}
                    )
