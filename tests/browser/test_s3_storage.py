"""The private files in an S3 bucket (PRIVATE_STORAGE=s3, moto's server on 127.0.0.1), in Chromium
with JavaScript off: a coordinator uploads a candidate list and draws cases from it, then
publishes a briefing and downloads its PDF. Every file went to the bucket, as ciphertext only.

The live server runs in a thread of this process, so the settings the ``s3_storage`` fixture
(tests/s3.py) changes, which lib/storage.py reads on each call, are the live server's too."""

import io
from pathlib import Path

from pypdf import PdfReader

from audits.models import Case, LearningPoint
from briefings.models import Briefing
from lib import crypto
from tests import factories

SAMPLE = Path(__file__).resolve().parents[2] / "static" / "samples" / "candidate-list-sample.csv"


def click_in_main(visitor, role, name):
    with visitor.page.expect_navigation(wait_until="load"):
        visitor.page.locator("#main-content").get_by_role(role, name=name, exact=True).click()
    visitor.check()


def bucket_objects(s3, prefix):
    client = s3.client()
    listed = client.list_objects_v2(Bucket=s3.bucket, Prefix=f"{prefix}/").get("Contents", [])
    return {
        item["Key"].removeprefix(f"{prefix}/"): client.get_object(Bucket=s3.bucket, Key=item["Key"])["Body"].read()
        for item in listed
    }


def test_a_candidate_list_and_a_published_briefing_live_in_the_bucket(visitor_without_js, s3_storage, settings):
    s3, prefix = s3_storage
    settings.BRIEFING_FOUR_EYES = False
    visitor = visitor_without_js
    page = visitor.page
    coordinator = factories.UserFactory(
        email="coordinator@example.test", full_name="Cora Ordinator", role="Coordinator"
    )
    planned = factories.AuditRoundFactory(
        area=factories.AreaFactory(name="Southshire", short_name="SS"), created_by=coordinator, title="Round planned"
    )
    audit_round = factories.AuditRoundFactory(created_by=coordinator, title="Audit of neglect")
    csc = factories.AgencyFactory(name="Children's Social Care", short_name="CSC")
    case = factories.CaseFactory(round=audit_round, number=1, summary="Child 1 lives with a grandparent.")
    factories.CaseAgencyFactory(case=case, agency=csc, added_by=coordinator)
    factories.MeetingFactory(round=audit_round)
    point = factories.LearningPointFactory(
        round=audit_round, case=case, kind=LearningPoint.Kind.STRENGTH, heading="Seen alone", text="Seen alone."
    )
    point.evidence_cases.set([case])

    # The candidate list goes up, into the bucket, and comes back for the preview and the cases.
    visitor.sign_in(coordinator.email)
    visitor.goto(planned.get_absolute_url())
    visitor.click("link", name="Draw cases from a candidate list")
    page.get_by_label("Upload the candidate list").set_input_files(SAMPLE)
    page.get_by_label("How many cases?").fill("3")
    page.get_by_label("Seed (optional)").fill("20261123")
    visitor.click("button", name="Preview the draw")
    assert page.get_by_test_id("drawn-cases").locator("tbody tr").count() == 3
    visitor.click("button", name="Add these cases to the round")
    assert Case.objects.filter(round=planned).count() == 3
    stored = bucket_objects(s3, prefix)
    lists = [name for name in stored if name.startswith("candidate-lists/")]
    assert len(lists) == 1
    assert stored[lists[0]] != SAMPLE.read_bytes() and crypto.decrypt(stored[lists[0]]) == SAMPLE.read_bytes()

    # A briefing is written, approved, published and downloaded: its PDF is read from the bucket.
    visitor.goto(audit_round.get_absolute_url())
    click_in_main(visitor, "link", "Write and publish a briefing")
    page.get_by_label("Learning summary by theme").check()
    page.get_by_label("Title").fill("Neglect: what we learnt")
    page.get_by_label("No marking (for every practitioner)").check()
    visitor.click("button", name="Create the briefing")
    visitor.click("button", name="Send for approval")
    visitor.click("button", name="Yes, send for approval")
    visitor.click("button", name="Approve", exact=True)
    visitor.click("button", name="Yes, approve the briefing")
    visitor.click("button", name="Publish", exact=True)
    visitor.click("button", name="Yes, publish the briefing")
    briefing = Briefing.objects.get()
    assert briefing.is_published
    with page.expect_download() as download:
        page.get_by_role("link", name="Download version 1 (PDF) of Neglect: what we learnt").click()
    with open(download.value.path(), "rb") as handle:
        pdf = handle.read()
    text = " ".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(pdf)).pages)
    assert "Version 1, published" in text

    stored = bucket_objects(s3, prefix)
    pdfs = [name for name in stored if name.startswith("briefings/")]
    assert pdfs, "the published PDF is in the bucket"
    assert all(crypto.looks_encrypted(body) and not body.startswith(b"%PDF") for body in stored.values())
    assert pdf in {crypto.decrypt(stored[name]) for name in pdfs}
    local = Path(settings.PRIVATE_STORAGE_ROOT)
    assert not local.exists() or not any(local.rglob("*")), "nothing was written to the local disk"
