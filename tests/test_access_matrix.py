"""An ended role ends all access (issue 8, item 9): every URL × every role, generated from the URL resolver.

The world is the demo province (`load_demo`): one user per role (commune officers, province staff, the council's
chair, secretary and members, the advisory group's member, the department's report viewer, a producer account,
an administrator), with real producers, ideas, plans, dossiers, evidence, rounds, sheets, results, decisions,
certificates, plans and report runs. For each demo user the test ends every role assignment of theirs yesterday
(`valid_to`), and then requests every URL the resolver knows, filled with real object ids, by GET and by POST.

How the answers are judged (our reading of "answers 404"):
- A URL that names an object (it has parameters) answers **404** to the ended user, GET and POST alike (or 405
  where the URL does not take that method at all, as it answers anyone, the user without a role included).
- A URL that names no object (home, lists, "new" forms, API lists) cannot be a 404 for everyone: there the ended
  user must see **nothing of the role's data**, which we check as "answers exactly what a user who never held a
  role answers" (same status, same redirect, same page once the CSRF token and the user's name are set aside).
- Council and advisory memberships and producer account links stay in the database (they are the record of who
  sat on which council); they simply grant nothing once the role they depend on has ended.
- The Django superuser flag is an account flag, not a dated role: for the administrator the test ends the
  administrator role assignment and clears the flag, so what is tested is the dated role.
- A few URLs are outside the question and listed in EXEMPT with the reason (public pages, the user's own
  account pages and mailbox, the official criteria every signed-in user reads, login and logout).

So that the test cannot pass on an empty or unreachable world, each demo user must first, with the role still
valid, open at least one of the same object URLs (200) that a user without a role cannot (404).

Every URL of the resolver must be either in URL_KWARGS / NO_KWARGS or in EXEMPT: a new URL fails this test until
someone says which object it shows.
"""
import datetime
import io
import re
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ocop_portal.demo import DEMO_USERS

EXEMPT = {
    "set_language": "switches the interface language; no data",
    "api-schema": "the API's description, the same for everyone",
    "login": "public", "logout": "ends the session (a POST would log the tester out)",
    "password_change": "the user's own account", "password_change_done": "the user's own account",
    "password_reset": "public", "password_reset_done": "public", "password_reset_confirm": "public",
    "password_reset_complete": "public",
    "profile": "the user's own account page, which lists their role assignments (ended ones included)",
    "inbox": "the user's own mailbox: messages already delivered to the person stay theirs",
    "products:verify": "the public verification page (QR code)",
    "products:verify_pdf": "the public verification page (QR code)",
    "products:catalogue": "the public catalogue", "products:catalogue_province": "the public catalogue",
    "evaluations:rubric": "the official scoring sheets, readable by every signed-in user",
    "evaluations:api-rubric-list": "the official scoring sheets, readable by every signed-in user",
    "evaluations:api-rubric-detail": "the official scoring sheets, readable by every signed-in user",
    "registrations:api-root": "the API's index of links", "evaluations:api-root": "the API's index of links",
    "products:api-root": "the API's index of links",
    "reports:api-report-list": "the registry of report definitions (codes and titles), no data",
    "api-docs": "the API's documentation page, the same for everyone",
    "plans:indicator_list": "the catalogue of indicator definitions, no data",
    "api_token_issue": "the user's own API key", "api_token_revoke": "the user's own API key",
    "imports:open_data": "the public catalogue as open data",
}

# URLs without parameters: compared with the answer to a user who never held a role.
NO_KWARGS = {
    "home", "registrations:producer_list", "registrations:producer_create", "registrations:support_steps",
    "registrations:dossier_list", "registrations:dossier_create", "registrations:api-producer-list",
    "registrations:api-dossier-list", "evaluations:round_list", "evaluations:round_open",
    "evaluations:api-round-list", "evaluations:api-assignment-list", "evaluations:api-score-sheet-list",
    "evaluations:api-result-list", "reports:report_list", "plans:plan_list", "plans:plan_create",
    "plans:showroom_list", "plans:showroom_create", "plans:training_list", "plans:training_create",
    "plans:community_organisation_list", "plans:community_organisation_create", "plans:new_rural_list",
    "plans:new_rural_create", "reports:api-report-run-list", "reports:subscription_list",
    "reports:subscription_create",
    "products:decision_list", "products:decision_create", "products:certificate_list", "products:product_list",
    "products:api-product-list", "products:api-certificate-list",
    "imports:batch_list", "imports:template", "imports:export", "imports:certificate_entry", "imports:suggest",
}


@dataclass
class World:
    producer: object
    idea: object
    plan: object
    dossier: object  # the producer's draft
    evidence: object  # an evidence file of one of the producer's dossiers
    scoring_entry: object  # a dossier in the round being scored
    review_round: object  # the round in advisory review (with the advisory group)
    closed_round: object
    result: object
    sheet: object
    report_plan: object
    showroom: object
    training: object
    community_organisation: object
    new_rural: object
    run: object
    subscription: object
    decision: object
    decision_item: object
    certificate: object
    batch: object  # the demo's confirmed import


URL_KWARGS = {
    "registrations:producer_detail": lambda w: {"pk": w.producer.pk},
    "registrations:producer_update": lambda w: {"pk": w.producer.pk},
    "registrations:producer_account": lambda w: {"pk": w.producer.pk},
    "registrations:idea_create": lambda w: {"pk": w.producer.pk},
    "registrations:plan_create": lambda w: {"pk": w.producer.pk},
    "registrations:idea_update": lambda w: {"pk": w.producer.pk, "item_pk": w.idea.pk},
    "registrations:plan_update": lambda w: {"pk": w.producer.pk, "item_pk": w.plan.pk},
    "registrations:idea_status": lambda w: {"pk": w.producer.pk, "item_pk": w.idea.pk},
    "registrations:plan_status": lambda w: {"pk": w.producer.pk, "item_pk": w.plan.pk},
    "registrations:dossier_detail": lambda w: {"pk": w.dossier.pk},
    "registrations:dossier_edit": lambda w: {"pk": w.dossier.pk},
    "registrations:commune_assessment": lambda w: {"pk": w.dossier.pk},
    "registrations:dossier_form_01": lambda w: {"pk": w.dossier.pk},
    "registrations:commune_assessment_pdf": lambda w: {"pk": w.scoring_entry.dossier_id},
    "registrations:dossier_transition": lambda w: {"pk": w.dossier.pk, "to": "submitted"},
    "registrations:evidence_download": lambda w: {"pk": w.evidence.pk},
    "registrations:evidence_delete": lambda w: {"pk": w.evidence.pk},
    "registrations:api-producer-detail": lambda w: {"pk": w.producer.pk},
    "registrations:api-dossier-detail": lambda w: {"pk": w.dossier.pk},
    "evaluations:round_detail": lambda w: {"pk": w.review_round.pk},
    "evaluations:round_transition": lambda w: {"pk": w.review_round.pk},
    "evaluations:round_place": lambda w: {"pk": w.review_round.pk},
    "evaluations:round_assign": lambda w: {"pk": w.scoring_entry.round_id},
    "evaluations:round_auto_assign": lambda w: {"pk": w.scoring_entry.round_id},
    "evaluations:round_results": lambda w: {"pk": w.closed_round.pk},
    "evaluations:round_results_announce": lambda w: {"pk": w.closed_round.pk},
    "evaluations:round_close_confirm": lambda w: {"pk": w.scoring_entry.round_id},
    "evaluations:spread_conclusion": lambda w: {"pk": w.scoring_entry.round_id, "dossier_pk": w.scoring_entry.dossier_id},
    "registrations:dossier_restore": lambda w: {"pk": w.dossier.pk},
    "evaluations:result_central": lambda w: {"pk": w.closed_round.pk, "result_pk": w.result.pk},
    "evaluations:round_minutes": lambda w: {"pk": w.closed_round.pk},
    "evaluations:entry_score": lambda w: {"pk": w.scoring_entry.round_id, "dossier_pk": w.scoring_entry.dossier_id},
    "evaluations:entry_autosave": lambda w: {"pk": w.scoring_entry.round_id, "dossier_pk": w.scoring_entry.dossier_id},
    "evaluations:entry_conflict": lambda w: {"pk": w.scoring_entry.round_id, "dossier_pk": w.scoring_entry.dossier_id},
    "evaluations:entry_finding": lambda w: {"pk": w.scoring_entry.round_id, "dossier_pk": w.scoring_entry.dossier_id},
    "evaluations:entry_export": lambda w: {"pk": w.scoring_entry.round_id, "dossier_pk": w.scoring_entry.dossier_id},
    "evaluations:entry_evidence": lambda w: {"pk": w.scoring_entry.round_id, "dossier_pk": w.scoring_entry.dossier_id,
                                             "evidence_pk": _evidence_of(w.scoring_entry.dossier).pk},
    "evaluations:sheet_reopen": lambda w: {"sheet_pk": w.sheet.pk},
    "evaluations:self_assessment": lambda w: {"dossier_pk": w.scoring_entry.dossier_id},
    "evaluations:self_assessment_pdf": lambda w: {"dossier_pk": w.scoring_entry.dossier_id},
    "evaluations:api-round-detail": lambda w: {"pk": w.review_round.pk},
    "evaluations:api-assignment-detail": lambda w: {"pk": _assignment_of(w.sheet).pk},
    "evaluations:api-score-sheet-detail": lambda w: {"pk": w.sheet.pk},
    "evaluations:api-result-detail": lambda w: {"pk": w.result.pk},
    "plans:plan_detail": lambda w: {"pk": w.report_plan.pk},
    "plans:plan_edit": lambda w: {"pk": w.report_plan.pk},
    "plans:plan_transition": lambda w: {"pk": w.report_plan.pk, "to": "ended"},
    "plans:plan_records": lambda w: {"pk": w.report_plan.pk, "indicator": "new_3star",
                                     "unit": w.report_plan.issuing_unit_id, "period": "all"},
    "plans:showroom_edit": lambda w: {"pk": w.showroom.pk},
    "plans:training_edit": lambda w: {"pk": w.training.pk},
    "plans:community_organisation_edit": lambda w: {"pk": w.community_organisation.pk},
    "plans:new_rural_edit": lambda w: {"pk": w.new_rural.pk},
    "reports:run_detail": lambda w: {"pk": w.run.pk},
    "reports:run_download": lambda w: {"pk": w.run.pk},
    "reports:subscription_edit": lambda w: {"pk": w.subscription.pk},
    "reports:subscription_delete": lambda w: {"pk": w.subscription.pk},
    "reports:report_detail": lambda w: {"code": "producers"},
    "reports:api-report-run-detail": lambda w: {"pk": w.run.pk},
    "products:decision_detail": lambda w: {"pk": w.decision.pk},
    "products:decision_pdf": lambda w: {"pk": w.decision.pk},
    "products:decision_record": lambda w: {"pk": w.decision.pk},
    "products:decision_transition": lambda w: {"pk": w.decision.pk},
    "products:decision_item_remove": lambda w: {"pk": w.decision.pk, "item_pk": w.decision_item.pk},
    "products:certificate_detail": lambda w: {"pk": w.certificate.pk},
    "products:certificate_revoke": lambda w: {"pk": w.certificate.pk},
    "products:inspection_create": lambda w: {"pk": w.certificate.pk},
    "products:certificate_pdf": lambda w: {"pk": w.certificate.pk},
    "products:api-product-detail": lambda w: {"pk": w.certificate.product_id},
    "products:api-certificate-detail": lambda w: {"pk": w.certificate.pk},
    "imports:batch_detail": lambda w: {"pk": w.batch.pk},
    "imports:batch_confirm": lambda w: {"pk": w.batch.pk},
    "imports:batch_undo": lambda w: {"pk": w.batch.pk},
}


def _evidence_of(dossier):
    from registrations.models import EvidenceFile

    return EvidenceFile.objects.filter(revision__dossier=dossier).order_by("pk").first()


def _assignment_of(sheet):
    from evaluations.models import Assignment

    return Assignment.objects.filter(round_id=sheet.round_id, dossier_id=sheet.dossier_id).order_by("pk").first()


def resolver_url_names() -> set:
    """Every named URL of the project, namespaced, without DRF's format-suffix twins or the admin site."""
    names = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name == "admin":
                    continue
                ns = ":".join(filter(None, [namespace, p.namespace]))
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name and "format" not in p.pattern.regex.groupindex:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, "")
    return names


_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=|name="csrf-token" content=|nonce=|"X-CSRFToken": )"[^"]*"')


def _answer(response, user) -> tuple:
    """What a response tells the user, with the per-request token and the user's own login set aside."""
    body = b"".join(response) if response.streaming else response.content
    text = body.decode("utf-8", "replace").replace(user.username, "<user>")
    return response.status_code, response.get("Location", ""), _TOKEN.sub(r"\1-", text)


def _request(client, method, url):
    return client.get(url) if method == "GET" else client.post(url, {})


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo province, loaded once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        from evaluations.enums import RoundPhase
        from evaluations.models import Result, Round, RoundEntry, ScoreSheet
        from products.models import Certificate, Decision
        from registrations.models import BusinessPlan, Dossier, Producer, ProductIdea
        from plans.models import CommunityOrganisation, NewRuralRecognition, Plan, Showroom, Training
        from reports.models import ReportRun, Subscription
        from imports.models import ImportBatch

        producer = Producer.objects.get(accounts__username="chuthe")
        dossier = Dossier.objects.filter(producer=producer, status="draft").get()
        review_round = Round.objects.get(phase=RoundPhase.ADVISORY_REVIEW)
        scoring_entry = (RoundEntry.objects.filter(round__phase=RoundPhase.SCORING,
                                                   dossier__revisions__evidence_files__isnull=False)
                         .select_related("dossier").order_by("pk").first())
        closed_round = Round.objects.get(phase=RoundPhase.CLOSED)
        decision = Decision.objects.filter(items__isnull=False).order_by("pk").first()
        built = World(
            producer=producer,
            idea=ProductIdea.objects.create(producer=producer, commune=producer.commune, year=2026,
                                            title="Nước dừa xiêm ít đường"),
            plan=BusinessPlan.objects.create(producer=producer, commune=producer.commune, year=2026,
                                             title="Phương án đóng chai nước dừa"),
            dossier=dossier,
            evidence=_evidence_of(Dossier.objects.filter(producer=producer, revisions__evidence_files__isnull=False)
                                  .order_by("pk").first()),
            scoring_entry=scoring_entry, review_round=review_round, closed_round=closed_round,
            result=Result.objects.filter(round=closed_round).order_by("pk").first(),
            sheet=ScoreSheet.objects.filter(round=scoring_entry.round, dossier=scoring_entry.dossier).order_by("pk").first(),
            report_plan=Plan.objects.order_by("pk").first(), run=ReportRun.objects.order_by("pk").first(),
            subscription=Subscription.objects.order_by("pk").first(),
            showroom=Showroom.objects.order_by("pk").first(),
            training=Training.objects.create(title="Tập huấn chủ thể OCOP", commune=producer.commune,
                                             held_on=datetime.date(2026, 5, 12), participants=40, managers=12),
            community_organisation=CommunityOrganisation.objects.create(
                name="Hợp tác xã Dừa sáp Cầu Kè", commune=producer.commune, kind="formed",
                happened_on=datetime.date(2026, 3, 2)),
            new_rural=NewRuralRecognition.objects.create(commune=producer.commune, level="advanced", year=2026),
            decision=decision, decision_item=decision.items.order_by("pk").first(),
            certificate=Certificate.objects.filter(product__producer=producer).order_by("pk").first()
            or Certificate.objects.order_by("pk").first(),
            batch=ImportBatch.objects.order_by("pk").first(),
        )
        yield built
        transaction.set_rollback(True)


def _urls(world) -> list[tuple[str, str, bool]]:
    """(name, path, names an object) for every URL under test."""
    out = [(name, reverse(name), False) for name in sorted(NO_KWARGS)]
    out += [(name, reverse(name, kwargs=fill(world)), True) for name, fill in sorted(URL_KWARGS.items())]
    return out


def test_every_url_of_the_resolver_is_in_the_matrix_or_exempt_with_a_reason():
    names = resolver_url_names()
    known = set(URL_KWARGS) | NO_KWARGS | set(EXEMPT)
    assert sorted(names - known) == [], "add these URLs to tests/test_access_matrix.py (URL_KWARGS, NO_KWARGS or EXEMPT)"
    assert sorted(known - names) == []


@pytest.mark.django_db
def test_the_world_has_an_object_for_every_url(world):
    assert all(getattr(world, f) is not None for f in World.__dataclass_fields__)
    assert _evidence_of(world.scoring_entry.dossier) is not None and _assignment_of(world.sheet) is not None


@pytest.mark.django_db
@pytest.mark.parametrize("username", [u[1] for u in DEMO_USERS])
def test_a_role_ended_yesterday_reaches_nothing(world, client, username, settings):
    from accounts.models import RoleAssignment, User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = User.objects.get(username=username)
    twin = User.objects.create(username=f"{username}-khongvaitro", full_name=user.full_name)
    urls = _urls(world)

    # With the role valid, the user reaches real objects that a user without a role cannot.
    reached = []
    for name, url, names_object in urls:
        if not names_object:
            continue
        client.force_login(user)
        mine = client.get(url).status_code
        client.force_login(twin)
        if mine == 200 and client.get(url).status_code == 404:
            reached.append(name)
    assert reached, f"{username} reaches no object of the demo province: the matrix would prove nothing"

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for assignment in RoleAssignment.objects.filter(user=user):
        assignment.valid_from = min(assignment.valid_from or yesterday, yesterday)
        assignment.valid_to = yesterday
        assignment.save()
    User.objects.filter(pk=user.pk).update(is_superuser=False, is_staff=False)
    # The unread count in the account menu is the user's own, like their name, not something the role shows.
    from activity.models import OutboxMessage

    OutboxMessage.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())

    wrong = []
    for method in ("GET", "POST"):
        for name, url, names_object in urls:
            client.force_login(twin)
            expected = _answer(_request(client, method, url), twin)
            client.force_login(user)
            answer = _answer(_request(client, method, url), user)
            # A method the URL does not take is a 405 for everyone, whatever the object: it discloses nothing.
            if names_object and answer[0] != 404 and not (answer[0] == expected[0] == 405):
                wrong.append(f"{method} {url} ({name}) → {answer[0]}, not 404")
            elif not names_object and answer != expected:
                wrong.append(f"{method} {url} ({name}) → {answer[0]} differs from a user without a role "
                             f"({expected[0]}): {_first_difference(expected, answer)}")
    assert wrong == [], "\n".join(wrong)


def _first_difference(expected, answer) -> str:
    import difflib

    lines = list(difflib.unified_diff(expected[2].splitlines(), answer[2].splitlines(), lineterm="", n=0))
    return " | ".join(line.strip()[:160] for line in lines[2:6]) or f"{expected[:2]} ≠ {answer[:2]}"
