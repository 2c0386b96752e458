"""The certificate an upgrade or re-evaluation dossier names belongs to the products app, which registrations
may not import. Products registers one check here (in its AppConfig.ready()); registrations asks it when a
dossier is created or edited and at every later step, and refuses the dossier with the check's sentences.

A check is `fn(dossier, *, filing: bool) -> list[str]`: the Vietnamese reasons the named certificate cannot
be upgraded or re-evaluated by this dossier (empty when it can). `filing` is true while the dossier is being
filed (created, edited, first submitted): the filing window is checked then; later steps check only that the
certificate is still the producer's own and not revoked or replaced.
"""
_checks = []


def register_previous_certificate_check(fn):
    if fn not in _checks:
        _checks.append(fn)
    return fn


def previous_certificate_refusals(dossier, *, filing: bool) -> list[str]:
    return [reason for check in _checks for reason in check(dossier, filing=filing)]
