"""The administration pages' forms: validation only (the rules across records are the services')."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from agencies import roles
from agencies.accounts.forms import NewPasswordForm
from agencies.administration.services import ADMINISTRATOR_AGENCY_MESSAGE, EXCLUSIVE_MESSAGE
from agencies.models import Agency, Area, Membership
from audits.models import Need
from lib.forms import GDSFormMixin

ROLE_CHOICES = [
    (roles.COORDINATOR, "Coordinator: runs audit rounds and, once confirmed, sees children's identifiers"),
    (roles.BOARD_VIEWER, "Board viewer: reads published briefings"),
    (roles.BOARD_APPROVER, "Board approver: signs briefings off and publishes them"),
    (roles.ADMINISTRATOR, "Administrator: manages people, agencies and areas; never sees identifiers"),
]


class AccessForm(GDSFormMixin, forms.Form):
    """A person's partnership roles and their agency (with their role there), either or both."""

    roles = forms.MultipleChoiceField(
        choices=ROLE_CHOICES,
        required=False,
        label="Partnership roles",
        help_text="Select all that apply. Agency staff usually have none.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose roles from the list"},
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        label="Agency",
        help_text="Leave as 'No agency' for partnership staff.",
        empty_label="No agency",
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )
    agency_role = forms.ChoiceField(
        choices=Membership.Role.choices,
        required=False,
        label="Role in the agency",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose agency lead or auditor"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.order_by("name")
        self.helper.layout = Layout(*self.access_layout())

    def access_layout(self):
        return [
            Field.checkboxes("roles", legend_size=Size.SMALL, small=True),
            Field.select("agency"),
            Field.radios("agency_role", legend_size=Size.SMALL, inline=True),
        ]

    def clean(self):
        data = super().clean()
        if data.get("agency") and not data.get("agency_role"):
            self.add_error("agency_role", "Choose whether they are the agency's lead or an auditor")
        if not data.get("agency"):
            data["agency_role"] = ""
        chosen = set(data.get("roles") or [])
        if {roles.ADMINISTRATOR, roles.COORDINATOR} <= chosen:
            self.add_error("roles", EXCLUSIVE_MESSAGE)
        if roles.ADMINISTRATOR in chosen and data.get("agency"):
            self.add_error("agency", ADMINISTRATOR_AGENCY_MESSAGE)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"role_names": data["roles"], "agency": data["agency"], "agency_role": data["agency_role"]}


class InviteForm(AccessForm):
    full_name = forms.CharField(
        max_length=150,
        label="Full name",
        error_messages={"required": "Enter the person's full name", "max_length": "Enter 150 characters or fewer"},
    )
    email = forms.EmailField(
        max_length=254,
        label="E-mail address",
        help_text="Their work address: the invitation is sent to it, and they sign in with it.",
        error_messages={
            "required": "Enter the person's e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.org",
        },
    )
    job_title = forms.CharField(max_length=150, required=False, label="Job title (optional)")

    field_order = ["full_name", "email", "job_title", "roles", "agency", "agency_role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("full_name", autocomplete="off", spellcheck="false"),
            Field.text("email", autocomplete="off", spellcheck="false"),
            Field.text("job_title"),
            *self.access_layout(),
        )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "email": data["email"],
            "job_title": data["job_title"],
            **super().service_kwargs(),
        }


class SetPasswordFromInvitationForm(NewPasswordForm):
    """Django's set-password form (its password validators included), in the service's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Password"
        self.fields["new_password2"].label = "Confirm password"
        self.fields["new_password1"].error_messages["required"] = "Enter a password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your password"
        self.setup_gds()


class AgencyForm(GDSFormMixin, forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "short_name", "sector", "is_active"]
        labels = {"is_active": "Can be added to new cases"}
        help_texts = {
            "short_name": "How the agency is named in tables and e-mails, for example Northshire Police.",
            "is_active": "Untick when the agency leaves the partnership: its past work stays.",
        }
        error_messages = {
            "name": {"required": "Enter the agency's name", "unique": "There is already an agency with this name"},
            "short_name": {
                "required": "Enter a short name",
                "unique": "There is already an agency with this short name",
            },
            "sector": {"required": "Choose the agency's sector"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("name"),
            Field.text("short_name", field_width=20),
            Field.select("sector"),
            Field.checkbox("is_active"),
        )


class AreaForm(GDSFormMixin, forms.ModelForm):
    class Meta:
        model = Area
        fields = ["name", "short_name"]
        help_texts = {"short_name": "For example NS."}
        error_messages = {
            "name": {"required": "Enter the area's name", "unique": "There is already an area with this name"},
            "short_name": {"required": "Enter a short name", "unique": "There is already an area with this short name"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.text("name"), Field.text("short_name", field_width=10))


class NeedForm(GDSFormMixin, forms.ModelForm):
    class Meta:
        model = Need
        fields = ["name", "slug"]
        labels = {"slug": "Short code"}
        help_texts = {"slug": "Lower-case letters, numbers and hyphens, for example domestic-abuse."}
        error_messages = {
            "name": {"required": "Enter the need's name", "unique": "There is already a need with this name"},
            "slug": {
                "required": "Enter a short code",
                "unique": "There is already a need with this short code",
                "invalid": "Use only lower-case letters, numbers, hyphens and underscores",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.text("name"), Field.text("slug", field_width=20, spellcheck="false"))
