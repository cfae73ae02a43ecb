"""The demo program loads once and again (idempotent) with a verified coordinator."""

import pytest


@pytest.mark.django_db
def test_demo():
    from secondopinion.cases.demo import load
    from secondopinion.consults.demo import load_demo_program

    load()
    a = load_demo_program()
    assert load_demo_program() == a
    from secondopinion.consults.models import Program

    p = Program.objects.get()
    assert p.consultants.filter(email="dr.chen@demo.secondopinion.test").exists()
    assert p.coordinators.get().may_see_health_data
    assert a[0].totp_secret
