from crispy_forms_gds.layout import HTML, Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.validators import MaxLengthValidator

from agencies.accounts.two_factor import normalise_code
from lib.forms import GDSFormMixin


class SignInForm(GDSFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct e-mail address and password",
        "inactive": "This account has been switched off: contact your audit coordinator",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "E-mail address"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "username", "spellcheck": "false", "autofocus": False}
        )
        self.fields["username"].error_messages["required"] = "Enter your e-mail address"
        self.fields["password"].error_messages["required"] = "Enter your password"
        # AuthenticationForm sets max_length after the field is made, so no validator checks it:
        # without one, a huge address reaches the database (and SQLite refuses its LIKE pattern).
        self.fields["username"].validators.append(
            MaxLengthValidator(254, "Enter an e-mail address of 254 characters or fewer")
        )


class ResetRequestForm(GDSFormMixin, PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "E-mail address"
        self.fields["email"].error_messages["required"] = "Enter your e-mail address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an e-mail address in the correct format, like name@example.org"
        )


class NewPasswordForm(GDSFormMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"


def _code_input(**attrs):
    return forms.TextInput(
        attrs={"class": "govuk-input--width-10", "spellcheck": "false", "autocomplete": "off", **attrs}
    )


def _six_digit_code(value: str) -> str:
    """An authenticator app's code, typed with or without spaces ("123 456"); blank stays blank
    (a required field has already refused it)."""
    code = normalise_code(value)
    if code and not (code.isdigit() and len(code) == 6):
        raise forms.ValidationError("Enter the 6-digit code from your authenticator app")
    return code


class SetUpCodeForm(GDSFormMixin, forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows for this service, for example 123456",
        max_length=20,
        widget=_code_input(autocomplete="one-time-code", inputmode="numeric"),
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def clean_code(self):
        return _six_digit_code(self.cleaned_data["code"])


class SignInCodeForm(GDSFormMixin, forms.Form):
    """The code from the authenticator app, or (in the "Use a recovery code instead" details) one
    of the recovery codes. The details are open when the recovery code was the one used, so that
    an error against it can be seen (``recovery_open`` in the page's context)."""

    code = forms.CharField(
        label="Code",
        help_text="The 6-digit code your authenticator app shows for this service",
        required=False,
        max_length=20,
        widget=_code_input(autocomplete="one-time-code", inputmode="numeric"),
    )
    recovery_code = forms.CharField(
        label="Recovery code",
        help_text="8 letters and numbers, for example abcd2345",
        required=False,
        max_length=30,
        widget=_code_input(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            "code",
            HTML(
                '<details class="govuk-details"{% if recovery_open %} open{% endif %}>'
                '<summary class="govuk-details__summary">'
                '<span class="govuk-details__summary-text">Use a recovery code instead</span></summary>'
                '<div class="govuk-details__text"><p class="govuk-body">If you do not have your phone, enter one '
                "of the recovery codes you saved when you set up two-factor sign-in. Each recovery code works "
                "once.</p>"
            ),
            "recovery_code",
            HTML(
                '<p class="govuk-body">No recovery codes left? Ask your administrator to reset your two-factor '
                'sign-in, or contact the audit team at <a class="govuk-link" href="mailto:{{ support_email }}">'
                "{{ support_email }}</a>.</p></div></details>"
            ),
        )

    def clean_code(self):
        return _six_digit_code(self.cleaned_data["code"])

    def clean_recovery_code(self):
        code = normalise_code(self.cleaned_data["recovery_code"])
        if code and len(code) != 8:
            raise forms.ValidationError("Enter a recovery code of 8 letters and numbers")
        return code

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("code") and not cleaned.get("recovery_code"):
            self.add_error("code", "Enter the code from your authenticator app")
        return cleaned


class ConfirmIdentityForm(GDSFormMixin, forms.Form):
    """The password and a current code, before the authenticator app or the recovery codes are
    replaced (``two_factor.two_factor_confirm`` checks them)."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    code = forms.CharField(
        label="Code from your authenticator app, or a recovery code",
        help_text="The 6-digit code the app shows now, or one of your recovery codes (8 letters and numbers), "
        "which is then used up",
        max_length=30,
        widget=_code_input(autocomplete="one-time-code"),
        error_messages={"required": "Enter the code from your authenticator app, or a recovery code"},
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if not ((code.isdigit() and len(code) == 6) or len(code) == 8):
            raise forms.ValidationError(
                "Enter the 6-digit code from your authenticator app, or a recovery code of 8 letters and numbers"
            )
        return code


class ChangePasswordForm(GDSFormMixin, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is wrong: enter it again",
        "password_mismatch": "The two new passwords do not match",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
