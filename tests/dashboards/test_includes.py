"""The shared template pieces other pages include: forms and pagination."""

from django import forms
from django.core.paginator import Paginator
from django.template import Context, RequestContext, Template
from django.test import RequestFactory


class OfficerForm(forms.Form):
    name = forms.CharField(label="姓名")
    cert_no = forms.CharField(label="执法证号", help_text="14位数字")
    active = forms.BooleanField(label="在岗", required=False)

    def clean(self):
        if self.cleaned_data.get("name") == "重复":
            raise forms.ValidationError("该人员已登记。")
        return self.cleaned_data


def _render(source, **context):
    return Template(source).render(Context(context))


def _render_page(request, page):
    template = Template('{% include "includes/pagination.html" %}')
    return template.render(RequestContext(request, {"page_obj": page}))


def test_form_include_lists_every_bad_field_and_keeps_typed_values():
    form = OfficerForm(data={"name": "王某某", "cert_no": ""})
    form.fields["cert_no"].error_messages["required"] = "请填写执法证号。"
    html = _render('{% include "includes/form.html" %}', form=form)
    assert 'value="王某某"' in html
    assert "以下项目有误，请按提示修改" in html
    assert '<a href="#id_cert_no" class="bad-field">执法证号</a>' in html
    assert '<small class="error">请填写执法证号。</small>' in html
    assert 'class="field has-error"' in html
    assert '<small class="help" id="id_cert_no_helptext">14位数字</small>' in html
    assert 'class="field checkbox"' in html


def test_form_include_shows_form_wide_errors_without_an_empty_field_summary():
    form = OfficerForm(data={"name": "重复", "cert_no": "14110012345"})
    html = _render('{% include "includes/form.html" %}', form=form)
    assert "该人员已登记。" in html
    assert "以下项目有误" not in html


def test_form_include_shows_no_error_box_for_a_fresh_form():
    html = _render('{% include "includes/form.html" %}', form=OfficerForm())
    assert "msg-error" not in html
    assert "Renders" not in html  # the include's own comment stays out of the page
    assert '<span class="req" aria-hidden="true">*</span>' in html


def test_pagination_links_keep_the_filters_and_change_only_the_page():
    request = RequestFactory().get("/manage/officers/", {"org": "3", "q": "王", "page": "2"})
    page = Paginator(range(45), 20).page(2)
    html = _render_page(request, page)
    assert "共 45 条，第 2 / 3 页" in html
    assert 'href="?org=3&amp;q=%E7%8E%8B&amp;page=3" rel="next"' in html
    assert 'href="?org=3&amp;q=%E7%8E%8B&amp;page=1" rel="prev"' in html


def test_pagination_of_a_single_page_shows_only_the_count():
    request = RequestFactory().get("/manage/officers/")
    page = Paginator(range(3), 20).page(1)
    html = _render_page(request, page)
    assert "共 3 条" in html
    assert "Pagination" not in html
    assert "下一页" not in html
