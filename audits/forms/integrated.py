from urllib.parse import urlencode

from crispy_forms_gds.layout import Field, Layout
from django import forms

from audits.models import ChronologyEntry
from config.forms import GDSFormMixin


class IntegratedFilterForm(GDSFormMixin, forms.Form):
    """The integrated chronology's filters (a GET form). Unknown values are dropped rather than
    reported: a filter link that no longer fits, say after an agency left the case, still works."""

    agency = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label="Agency")
    event_type = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Type of event",
        choices=ChronologyEntry.EventType.choices,
    )
    key_events = forms.BooleanField(required=False, label="Key events only")

    def __init__(self, data=None, *, chronologies, **kwargs):
        agency_choices = [(str(c.agency_id), c.agency.name) for c in chronologies if c.included]
        if data is not None:
            data = data.copy()
            for name, choices in (("agency", agency_choices), ("event_type", ChronologyEntry.EventType.choices)):
                allowed = {value for value, _ in choices}
                data.setlist(name, [value for value in data.getlist(name) if value in allowed])
        super().__init__(data, **kwargs)
        self.fields["agency"].choices = agency_choices
        self.helper.layout = Layout(
            Field.checkboxes("agency", small=True),
            Field.checkboxes("event_type", small=True),
            Field.checkbox("key_events", small=True),
        )

    def filters(self) -> dict:
        """The chosen filters, as keyword arguments of ``integrated_entries``."""
        if not self.is_bound or not self.is_valid():
            return {"agency_ids": [], "event_types": [], "key_only": False}
        return {
            "agency_ids": [int(value) for value in self.cleaned_data["agency"]],
            "event_types": self.cleaned_data["event_type"],
            "key_only": self.cleaned_data["key_events"],
        }

    def query_string(self) -> str:
        """The filters as a query string, for the download links."""
        filters = self.filters()
        data = {
            "agency": filters["agency_ids"],
            "event_type": filters["event_types"],
        }
        if filters["key_only"]:
            data["key_events"] = ["on"]
        return urlencode(data, doseq=True)
