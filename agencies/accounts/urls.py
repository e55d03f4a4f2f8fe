from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from agencies.accounts import forms, views
from agencies.accounts import views as views_account

urlpatterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="registration/sign_in.html",
            authentication_form=forms.SignInForm,
            redirect_authenticated_user=True,
        ),
        name="sign-in",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
    path("keep-alive/", views.keep_alive, name="keep-alive"),
    path("two-factor/", views_account.two_factor_code, name="two-factor-code"),
    path("two-factor/set-up/", views_account.two_factor_set_up, name="two-factor-set-up"),
    path("two-factor/recovery-codes/", views_account.two_factor_recovery_codes, name="two-factor-recovery-codes"),
    path("account/", views_account.account, name="account"),
    path("account/password/", views_account.password_change, name="account-password"),
    path("account/recovery-codes/", views_account.recovery_codes_new, name="account-recovery-codes"),
    path(
        "password-reset/",
        views.PasswordResetView.as_view(
            template_name="registration/reset_request.html",
            email_template_name="registration/reset_email.txt",
            subject_template_name="registration/reset_subject.txt",
            form_class=forms.ResetRequestForm,
            success_url=reverse_lazy("password-reset-sent"),
        ),
        name="password-reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/reset_sent.html"),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            template_name="registration/reset_confirm.html",
            form_class=forms.NewPasswordForm,
            success_url=reverse_lazy("password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/reset_complete.html"),
        name="password-reset-complete",
    ),
]
