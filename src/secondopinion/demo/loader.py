"""Every app's demo data, in the order they build on each other."""

from __future__ import annotations

from dataclasses import dataclass

from secondopinion.cases import demo as cases_demo
from secondopinion.cases.demo import DemoAccount
from secondopinion.consults.demo import PROGRAM, load_demo_program
from secondopinion.consults.models import Program
from secondopinion.directory import demo as directory_demo
from secondopinion.opinions.demo import load_demo_opinions
from secondopinion.outcomes.demo import load_demo_outcomes


@dataclass
class Loaded:
    created: bool  # False when the demo data was already there
    accounts: list[DemoAccount]
    generated: int  # requests of invented patients generated for the outcome figures


def load_everything() -> Loaded:
    created, accounts = cases_demo.load()
    accounts.extend(load_demo_program())
    load_demo_opinions()
    generated = load_demo_outcomes()
    center = directory_demo.load_demo_directory()
    program = Program.objects.filter(name=PROGRAM).first()
    if program is not None and center is not None:
        program.centers.add(center)
    return Loaded(created, accounts, generated)
