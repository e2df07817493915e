"""Forms of the administration pages. They only parse input; the services decide and save."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import ORG_ROLES, SYSTEM_ROLES, CertStatus, Org, OrgKind, Region, Role, User
from .selectors import enforcement_orgs
from .services import MOBILE_RE, USERNAME_RE, cert_no_problem

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ORG_ROLE_CHOICES = [(role.value, role.label) for role in Role if role in ORG_ROLES]
SYSTEM_ROLE_CHOICES = [(role.value, role.label) for role in Role if role in SYSTEM_ROLES]


class OrgForm(forms.Form):
    name = forms.CharField(label="机构名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=50, required=False)
    code = forms.CharField(
        label="文号代字", max_length=20, help_text="用于文号，例如“文司移”中的“文司”。"
    )
    kind = forms.ChoiceField(label="机构类别", choices=OrgKind.choices)
    parent = forms.ModelChoiceField(
        label="上级机构",
        queryset=Org.objects.none(),
        required=False,
        empty_label="（无，顶级机构）",
        help_text="部门法制机构须选择其所属的行政执法机关。",
    )
    region = forms.ModelChoiceField(
        label="行政区划", queryset=Region.objects.all(), empty_label="请选择"
    )
    sort_order = forms.IntegerField(label="排序", min_value=0, initial=0)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args: Any, user: Any, editing: Org | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        parents = Org.objects.restrict(user, "view").order_by("sort_order", "id")
        if editing is None:
            del self.fields["is_active"]
        else:
            parents = parents.exclude(pk=editing.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        regions = Region.objects.all()
        if len(regions) == 1:
            self.fields["region"].initial = regions[0]


class UserProfileForm(forms.Form):
    full_name = forms.CharField(label="姓名", max_length=50)
    org = forms.ModelChoiceField(
        label="所在机构",
        queryset=Org.objects.none(),
        required=False,
        empty_label="（无，三员账号）",
    )
    phone = forms.CharField(label="手机号码", max_length=20, required=False)

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"]
        if phone and not MOBILE_RE.fullmatch(phone):
            raise forms.ValidationError("请填写11位手机号码。")
        return phone

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = (  # type: ignore[attr-defined]
            Org.objects.restrict(user, "view").filter(is_active=True).order_by("sort_order", "id")
        )


class PasswordPairForm(forms.Form):
    """A password typed twice; it is never sent back to the browser."""

    password = forms.CharField(label="密码", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="再次输入密码", widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password2") != data.get("password"):
            self.add_error("password2", "两次输入的密码不一致。")
        return data


class UserCreateForm(UserProfileForm, PasswordPairForm):
    username = forms.CharField(
        label="用户名", max_length=30, help_text="3至30位字母、数字或“.”“_”“-”，创建后不能修改。"
    )
    field_order = ["username", "full_name", "org", "phone", "password", "password2"]

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if not USERNAME_RE.fullmatch(username):
            raise forms.ValidationError("用户名应为3至30位字母、数字或“.”“_”“-”。")
        return username

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["password"].label = "初始密码"
        self.fields["password"].help_text = "用户首次登录时须修改此密码。"


class MembershipGrantForm(forms.Form):
    role = forms.ChoiceField(label="角色")

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = choices  # type: ignore[attr-defined]


class SystemRoleGrantForm(forms.Form):
    user = forms.ModelChoiceField(
        label="账号",
        queryset=User.objects.none(),
        empty_label="请选择",
        help_text="只能为未担任任何角色的账号分配三员角色。",
    )
    role = forms.ChoiceField(label="三员角色", choices=SYSTEM_ROLE_CHOICES)

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = (  # type: ignore[attr-defined]
            lambda account: f"{account.display_name}（{account.username}）"
        )


class OfficerForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    org = forms.ModelChoiceField(
        label="所在执法机关", queryset=Org.objects.none(), empty_label="请选择"
    )
    post = forms.CharField(label="职务", max_length=50, required=False)
    cert_no = forms.CharField(label="执法证号", max_length=32, help_text="1至32位数字或大写字母。")
    cert_status = forms.ChoiceField(
        label="证件状态", choices=CertStatus.choices, initial=CertStatus.VALID
    )
    valid_from = forms.DateField(label="有效期起", required=False, widget=DATE_INPUT)
    valid_until = forms.DateField(label="有效期至", required=False, widget=DATE_INPUT)

    def clean_cert_no(self) -> str:
        # The service checks this too; checking here lists it beside the other field errors.
        cert_no: str = self.cleaned_data["cert_no"]
        if problem := cert_no_problem(cert_no):
            raise forms.ValidationError(problem)
        return cert_no

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", "不得早于有效期起。")
        return data

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = enforcement_orgs(user=user).order_by(  # type: ignore[attr-defined]
            "sort_order", "id"
        )


class OfficerImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）", help_text="请使用下载的模板填写。")


class UserFilterForm(forms.Form):
    q = forms.CharField(label="姓名或用户名", required=False)
    org = forms.ModelChoiceField(
        label="所在机构", queryset=Org.objects.none(), required=False, empty_label="全部"
    )
    role = forms.ChoiceField(label="角色", required=False, choices=[("", "全部"), *Role.choices])
    active = forms.TypedChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部"), ("1", "启用"), ("0", "已停用")],
        coerce=lambda value: value == "1",
        empty_value=None,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = Org.objects.restrict(user, "view").order_by(  # type: ignore[attr-defined]
            "sort_order", "id"
        )


class OfficerFilterForm(forms.Form):
    q = forms.CharField(label="姓名或执法证号", required=False)
    org = forms.ModelChoiceField(
        label="所在执法机关", queryset=Org.objects.none(), required=False, empty_label="全部"
    )
    status = forms.ChoiceField(
        label="证件状态", required=False, choices=[("", "全部"), *CertStatus.choices]
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = Org.objects.restrict(user, "view").filter(  # type: ignore[attr-defined]
            kind=OrgKind.ENFORCEMENT
        )
