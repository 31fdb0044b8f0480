"""Demo programme finances: funding lines, five years of expenses, local spending, the council's target.

Of the same order as the Pays de Murat evaluation: about 500 000 € of public
money for about 1,2 M€ spent locally by the installed households.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import InstallationProject
from impact.models import Expense, FundingLine, LocalSpending, Target

FUNDING = [
    ("eu_leader", "LEADER — fiche-action 3 « Accueil de nouveaux actifs »", "LEADER-HTC-2021-03", "200000"),
    ("state", "FNADT — ingénierie de l'accueil", "FNADT-15-2021-044", "100000"),
    ("region", "Région — accueil d'actifs et résidences d'entrepreneurs", "REG-AURA-2021-1187", "100000"),
    ("council", "Budget propre de la communauté de communes", "DEL-2021-017", "120000"),
]
YEARLY = [
    ("eu_leader", "Poste de référent·e accueil", "staff", "Communauté de communes", "45000"),
    ("council", "Travaux du logement passerelle", "housing", "Entreprise Teyssier, Murat", "30000"),
    ("region", "Formation au télétravail et à la création", "training", "Organisme de formation", "12000"),
    ("state", "Forum du télétravail et communication", "promotion", "Imprimerie du Cantal", "8000"),
]
WORKS_HOUSEHOLDS = 11
WORKS_AMOUNT = Decimal("60000")


def seed(stdout):
    today = timezone.localdate()
    start = datetime.date(today.year - 5, 1, 1)
    Target.objects.get_or_create(
        name="Objectif du conseil communautaire : nouveaux entrepreneurs",
        defaults={
            "low_goal": 23,
            "high_goal": 50,
            "start_date": start,
            "deadline": datetime.date(today.year + 3, 12, 31),
        },
    )
    lines = {}
    for funder, programme, reference, amount in FUNDING:
        lines[funder], _created = FundingLine.objects.get_or_create(
            programme=programme,
            defaults={
                "funder": funder,
                "convention_reference": reference,
                "amount": Decimal(amount),
                "start_date": start,
                "end_date": datetime.date(today.year + 1, 12, 31),
            },
        )
    if not Expense.objects.exists():
        for year in range(start.year, today.year + 1):
            for funder, label, category, supplier, amount in YEARLY:
                invoice_date = min(datetime.date(year, 3, 15), today)
                amount = Decimal(amount) if year < today.year else Decimal(amount) / 4
                Expense.objects.create(
                    funding_line=lines[funder],
                    label=f"{label} {year}",
                    supplier=supplier,
                    category=category,
                    amount=amount,
                    invoice_number=f"F{year}-{category[:3].upper()}",
                    invoice_date=invoice_date,
                    paid_on=invoice_date + datetime.timedelta(days=30)
                    if invoice_date + datetime.timedelta(days=30) <= today
                    else None,
                )
    _local_spending(today)
    total_cost = sum(Expense.objects.values_list("amount", flat=True), Decimal(0))
    total_local = sum(LocalSpending.objects.values_list("amount", flat=True), Decimal(0))
    stdout.write(f"  impact: {total_cost:.0f} € of public money, {total_local:.0f} € spent locally")


def _local_spending(today):
    projects = (
        InstallationProject.objects.filter(arrival__isnull=False, local_spending__isnull=True)
        .select_related("arrival")
        .order_by("arrival__arrival_date")
    )
    for n, project in enumerate(projects):
        arrival = project.arrival.arrival_date
        year = 0
        while True:
            begin = arrival + datetime.timedelta(days=365 * year)
            end = begin + datetime.timedelta(days=364)
            if end >= today:
                end = today - datetime.timedelta(days=1)
            if end <= begin:
                break
            share = Decimal((end - begin).days + 1) / 365
            for category, amount in (("rent", 4800), ("purchases", 5400)):
                LocalSpending.objects.create(
                    project=project,
                    category=category,
                    amount=(Decimal(amount) * share).quantize(Decimal("1")),
                    period_start=begin,
                    period_end=end,
                )
            if year == 0 and n < WORKS_HOUSEHOLDS:
                LocalSpending.objects.create(
                    project=project,
                    category="works",
                    amount=WORKS_AMOUNT,
                    period_start=begin,
                    period_end=end,
                    supplier="Artisans du Pays de Murat",
                )
            if end == today - datetime.timedelta(days=1):
                break
            year += 1
